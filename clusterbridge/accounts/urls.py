"""/account/: My ClusterBridge, tokens, personal data, and allauth's account pages.

The names the site has always used (`login`, `logout`, `password_change`,
`password_reset`) stay, on allauth's views; allauth's own names (`account_login`, …) reach
the same pages. The former addresses of the password pages redirect."""

from allauth.account import views as allauth_views
from django.urls import include, path
from django.views.generic import RedirectView

from clusterbridge.accounts import views


def _moved(pattern_name: str):
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True, query_string=True)


urlpatterns = [
    path("", views.my_clusterbridge, name="profile"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("signup/", allauth_views.signup, name="signup"),
    path("password/change/", allauth_views.password_change, name="password_change"),
    path("password/reset/", allauth_views.password_reset, name="password_reset"),
    path("password_change/", _moved("password_change")),
    path("password_reset/", _moved("password_reset")),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="token-revoke"),
    path("data.json", views.download_data, name="account-data"),
    path("delete/", views.delete_account, name="account-delete"),
    path("", include("allauth.urls")),
]
