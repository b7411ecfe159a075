from django.urls import path

from clusterbridge.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("specialisation/", views.specialisation, name="specialisation"),
    path("regions/<str:geo>/", views.region, name="region"),
    path("import/", views.upload, name="upload"),
]
