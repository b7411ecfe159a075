from django.urls import path

from clusterbridge.interop import views

app_name = "interop"
urlpatterns = [
    path("import/", views.index, name="index"),
    path("import/calls/", views.calls_import, name="calls"),
    path("import/spreadsheet/", views.spreadsheet_import, name="spreadsheet"),
    path("import/templates/<slug:record_type>.<str:fmt>", views.template_download, name="template"),
    path("export/<slug:record_type>.<str:fmt>", views.export, name="export"),
]
