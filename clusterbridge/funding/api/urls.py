"""This app's API routes, registered on the shared /api/v1/ router."""

from clusterbridge.funding.api.views import InstrumentViewSet, StrategicDocumentViewSet


def register(router) -> None:
    router.register("instruments", InstrumentViewSet, basename="instrument")
    router.register("strategic-documents", StrategicDocumentViewSet, basename="strategic-document")


# Extra (non-viewset) API paths, included under /api/v1/.
urlpatterns: list = []
