"""This app's API routes, registered on the shared /api/v1/ router."""

from clusterbridge.organisations.api.views import ClusterMembershipViewSet, OrganisationViewSet


def register(router) -> None:
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("cluster-memberships", ClusterMembershipViewSet, basename="cluster-membership")


# Extra (non-viewset) API paths, included under /api/v1/.
urlpatterns: list = []
