from django.urls import path

from clusterbridge.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("specialisation/", views.specialisation, name="specialisation"),
    path("regions/<str:geo>/", views.region, name="region"),
    path("import/", views.upload, name="upload"),
]
urlpatterns += [
    path("network/", views.keystones, name="keystones"),
    path(
        "network/export.graphml",
        views.network_export,
        {"file_format": "graphml"},
        name="network-graphml",
    ),
    path("network/export.gexf", views.network_export, {"file_format": "gexf"}, name="network-gexf"),
    path("network/<str:node>/", views.network_node, name="network-node"),
]
urlpatterns += [
    path("groups/", views.groups_page, name="groups"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<slug:slug>/", views.group_detail, name="group"),
    path("groups/<slug:slug>/edit/", views.group_edit, name="group-edit"),
    path("groups/<slug:slug>/event/", views.group_event, name="group-event"),
]
