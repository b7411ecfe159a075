"""The JSON API under /api/v1/: every app registers its viewsets on this one router
(`<app>/api/urls.py: register(router)`) and may add plain paths (`urlpatterns`)."""

from importlib import import_module

from rest_framework.routers import DefaultRouter

API_APPS = (
    "taxonomy",
    "funding",
    "projects",
    "matching",
    "clusters",
    "organisations",
    "marketplace",
    "benchmarking",
    "interop",
    "suggestions",
    "alerts",
    "events",
    "analytics",
)

router = DefaultRouter()
urlpatterns: list = []
for app in API_APPS:
    module = import_module(f"clusterbridge.{app}.api.urls")
    module.register(router)
    urlpatterns += module.urlpatterns
urlpatterns += router.urls
