"""This app's API routes, registered on the shared /api/v1/ router."""

from django.urls import path

from clusterbridge.matching.api.views import MatchView, RecordMatchesView
from clusterbridge.taxonomy import profiles


def register(router) -> None:
    pass


# Extra (non-viewset) API paths, included under /api/v1/: the ad-hoc match, and the matches
# of every kind of record described by features (registered by their apps).
urlpatterns: list = [
    path("match/", MatchView.as_view(), name="api-match"),
    *(
        path(
            f"{kind.key}/<int:id>/matches/",
            RecordMatchesView.as_view(kind=kind.key),
            name=f"api-{kind.key}-matches",
        )
        for kind in profiles.kinds()
    ),
]
