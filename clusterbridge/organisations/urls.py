from django.urls import path

from clusterbridge.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export-csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export-xlsx"),
    path("new/", views.create, name="create"),
    path("cluster-requests/", views.cluster_requests, name="cluster-requests"),
    path(
        "cluster-requests/<int:pk>/<str:decision>/",
        views.cluster_request_decide,
        name="cluster-request-decide",
    ),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/delete/", views.delete, name="delete"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/<int:pk>/<str:action>/", views.member_action, name="member-action"),
    path("<slug:slug>/clusters/", views.clusters, name="clusters"),
    path(
        "<slug:slug>/clusters/<int:pk>/<str:action>/",
        views.cluster_link_action,
        name="cluster-link-action",
    ),
]
