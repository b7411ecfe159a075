"""This app's API routes, registered on the shared /api/v1/ router."""

from clusterbridge.clusters.api.views import ClusterViewSet, NetworkViewSet


def register(router) -> None:
    router.register("clusters", ClusterViewSet, basename="cluster")
    router.register("networks", NetworkViewSet, basename="network")


# Extra (non-viewset) API paths, included under /api/v1/.
urlpatterns: list = []
