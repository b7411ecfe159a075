"""This app's API routes, registered on the shared /api/v1/ router."""

from django.urls import path

from clusterbridge.interop.api.views import CallImportView, SpreadsheetImportView


def register(router) -> None:
    pass


# Extra (non-viewset) API paths, included under /api/v1/.
urlpatterns: list = [
    path("import/calls/", CallImportView.as_view(), name="import-calls"),
    path("import/<slug:record_type>/", SpreadsheetImportView.as_view(), name="import-records"),
]
