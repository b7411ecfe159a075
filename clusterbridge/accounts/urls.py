from django.urls import include, path

from clusterbridge.accounts import views

urlpatterns = [
    path("", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="token-revoke"),
    path("", include("django.contrib.auth.urls")),
]
