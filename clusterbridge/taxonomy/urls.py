from django.urls import path

from clusterbridge.taxonomy import views

app_name = "taxonomy"
urlpatterns = [path("", views.index, name="index")]
