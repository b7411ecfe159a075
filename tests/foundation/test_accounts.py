"""Sign-in, sign-out, password change and reset, throttling, API tokens, roles."""

import re

import pytest
from django.core import mail

from clusterbridge.accounts.models import ApiToken, hash_key
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/account/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_sign_in_and_out(client, users):
    response = login(client, "bob", PASSWORD)
    assert response.status_code == 302
    assert client.get("/account/").context["user"].username == "bob"
    client.post("/account/logout/")
    assert client.get("/account/").status_code == 302  # back to sign-in


def test_wrong_password_shows_an_error(client, users):
    response = login(client, "bob", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_account_is_locked_after_repeated_failures_from_any_address(client, users, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "bob", "wrong", ip=f"10.0.1.{attempt}")
    # Locked per account: even the right password from a new address is refused.
    response = login(client, "bob", PASSWORD, ip="10.0.2.1")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # Another account from another address still signs in.
    assert login(client, "erin", PASSWORD, ip="10.0.3.1").status_code == 302


def test_address_is_locked_after_failures_on_many_accounts(client, users, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"nobody{attempt}", "wrong", ip="10.9.9.9")
    assert login(client, "erin", PASSWORD, ip="10.9.9.9").status_code == 429
    assert login(client, "erin", PASSWORD, ip="10.9.9.8").status_code == 302


def test_password_change(client, users):
    client.force_login(users["member"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/account/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new long passphrase 77",
            "new_password2": "a new long passphrase 77",
        },
    )
    assert response.status_code == 302
    users["member"].refresh_from_db()
    assert users["member"].check_password("a new long passphrase 77")


def test_password_reset_by_mail(client, users):
    response = client.post("/account/password_reset/", {"email": "bob@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "reset passphrase 9911", "new_password2": "reset passphrase 9911"},
    )
    assert done.status_code == 302
    users["member"].refresh_from_db()
    assert users["member"].check_password("reset passphrase 9911")


def test_tokens_are_issued_hashed_used_and_revoked(client, users):
    client.force_login(users["member"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/account/tokens/", {"name": "script"})
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=users["member"])
    assert key.startswith("cb_") and token.key_hash == hash_key(key) and key not in token.key_hash
    assert key not in client.get("/account/tokens/").content.decode()  # shown once only

    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/features/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    client.post(f"/account/tokens/{token.pk}/revoke/")
    response = api.get("/api/v1/features/")
    assert response.status_code == 401
    assert "unknown or revoked" in response.json()["detail"]


def test_someone_else_cannot_revoke_my_token(client, users):
    token, _ = ApiToken.issue(users["member"], "mine")
    client.force_login(users["editor"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_roles_shown_on_account_page(client_for):
    editor_page = client_for("editor").get("/account/").content.decode()
    assert "editor" in editor_page and 'href="/import/"' in editor_page
    assert 'href="/import/"' not in client_for("member").get("/account/").content.decode()
    html = client_for("admin").get("/account/").content.decode()
    assert "administrator" in html and "Deleted records" in html


def test_forms_need_csrf(users):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["member"], backend="django.contrib.auth.backends.ModelBackend")
    assert strict.post("/account/tokens/", {"name": "x"}).status_code == 403
