"""This app's API routes under /api/v1/analytics/."""

from django.urls import path

from clusterbridge.analytics.api import views


def register(router) -> None:
    router.register("analytics/datasets", views.RegionalDatasetViewSet, basename="regional-dataset")
    router.register("analytics/project-groups", views.ProjectGroupViewSet, basename="project-group")


urlpatterns: list = [
    path("analytics/specialisation/", views.specialisation, name="analytics-specialisation"),
    path("analytics/keystones/", views.keystones, name="analytics-keystones"),
]
