"""This app's API routes: POST /api/v1/suggest-features/."""

from django.urls import path

from clusterbridge.suggestions.api.views import SuggestFeaturesView


def register(router) -> None:
    pass


urlpatterns: list = [
    path("suggest-features/", SuggestFeaturesView.as_view(), name="suggest-features"),
]
