from django.urls import path

from clusterbridge.matching import views

app_name = "matching"
urlpatterns = [
    path("match/", views.match, name="match"),
    path("match/matrix/", views.matrix, name="matrix"),
]
