"""This app's API routes, registered on the shared /api/v1/ router."""

from clusterbridge.marketplace.api.views import PostViewSet


def register(router) -> None:
    router.register("marketplace/posts", PostViewSet, basename="marketplace-post")


urlpatterns: list = []
