"""Password change and reset by e-mail (allauth's views at the site's addresses)."""

import re

import pytest
from django.core import mail

from tests.accounts.conftest import post_login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new long passphrase 77"


def test_password_change_needs_the_current_password(client, users):
    client.force_login(users["member"], backend="django.contrib.auth.backends.ModelBackend")
    wrong = client.post(
        "/account/password/change/",
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "oldpassword" in wrong.context["form"].errors
    response = client.post(
        "/account/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    users["member"].refresh_from_db()
    assert users["member"].check_password(NEW_PASSWORD)
    assert client.get("/account/").status_code == 200  # still signed in
    assert any("password" in message.subject.lower() for message in mail.outbox)  # notified


def test_password_reset_by_mail(client, users):
    response = client.post("/account/password/reset/", {"email": "BOB@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bob@example.org"]
    link = re.search(r"https?://[^/]+(/account/password/reset/key/\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    users["member"].refresh_from_db()
    assert users["member"].check_password(NEW_PASSWORD)
    client.logout()
    assert post_login(client, "bob", NEW_PASSWORD).status_code == 302


def test_password_reset_does_not_tell_whether_an_address_has_an_account(client, users):
    known = client.post("/account/password/reset/", {"email": "bob@example.org"})
    unknown = client.post("/account/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
