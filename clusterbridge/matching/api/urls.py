"""This app's API routes, registered on the shared /api/v1/ router."""

from django.urls import path

from clusterbridge.matching.api.views import MatchView


def register(router) -> None:
    pass


# Extra (non-viewset) API paths, included under /api/v1/.
urlpatterns: list = [path("match/", MatchView.as_view(), name="api-match")]
