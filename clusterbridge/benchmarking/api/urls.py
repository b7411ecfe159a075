"""This app's API routes, registered on the shared /api/v1/ router."""

from clusterbridge.benchmarking.api.views import AssessmentViewSet, IndicatorViewSet


def register(router) -> None:
    router.register("benchmarking/indicators", IndicatorViewSet, basename="benchmarking-indicator")
    router.register(
        "benchmarking/assessments", AssessmentViewSet, basename="benchmarking-assessment"
    )


urlpatterns: list = []
