"""This app's API routes, registered on the shared /api/v1/ router."""

from clusterbridge.projects.api.views import ProjectViewSet


def register(router) -> None:
    router.register("projects", ProjectViewSet, basename="project")


# Extra (non-viewset) API paths, included under /api/v1/.
urlpatterns: list = []
