from django.urls import path

from clusterbridge.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("matrix/", views.matrix, name="matrix"),
    path("instrument-matrix/", views.instrument_features_matrix, name="instrument-matrix"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/delete/", views.project_delete, name="delete"),
]
