from django.urls import path

from clusterbridge.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("history/<int:pk>/", views.change_detail, name="change-detail"),
    path("history/<int:pk>/revert/", views.revert_change, name="change-revert"),
    path("trash/", views.trash, name="trash"),
    path("trash/<int:content_type_id>/<str:pk>/restore/", views.restore, name="trash-restore"),
]
