from django.urls import path

from clusterbridge.clusters import views

app_name = "clusters"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export-csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export-xlsx"),
    path("landscape/", views.landscape_page, name="landscape"),
    path("register/", views.propose, name="propose"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<str:kind>/<int:pk>/<str:decision>/", views.decide, name="decide"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("classifications/", views.classification_queue, name="classification-queue"),
    path("classifications/decide/", views.decide_classifications, name="decide-classifications"),
    path("networks/", views.network_list, name="networks"),
    path("networks/<slug:code>/", views.network_detail, name="network"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/claim/", views.claim, name="claim"),
    path("<slug:slug>/resubmit/", views.resubmit, name="resubmit"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/managers/", views.grant, name="grant"),
    path(
        "<slug:slug>/classifications/<int:pk>/<str:decision>/",
        views.decide_classification,
        name="decide-classification",
    ),
]
