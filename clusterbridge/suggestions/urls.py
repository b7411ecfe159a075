from django.urls import path

from clusterbridge.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("suggestions/", views.queue, name="queue"),
    path("suggestions/decide/", views.decide, name="decide"),
    path("suggestions/<int:pk>/accept/", views.accept, name="accept"),
    path("suggestions/<int:pk>/reject/", views.reject, name="reject"),
    path("suggestions/for/<int:content_type_id>/<str:object_id>/", views.suggest, name="suggest"),
]
