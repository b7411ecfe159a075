"""Every account page allauth shows is in the site's frame: one h1, labelled fields, no
inline script or style (the content-security policy forbids them)."""

import re

import pytest

from tests.accounts.conftest import post_login
from tests.conftest import PASSWORD, make_user
from tests.foundation.test_accessibility import check

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "/account/login/",
    "/account/signup/",
    "/account/inactive/",
    "/account/confirm-email/",
    "/account/confirm-email/not-a-key/",
    "/account/password/reset/",
    "/account/password/reset/done/",
    "/account/password/reset/key/done/",
    "/account/password/reset/key/1-not-a-key/",
]
MEMBER_PAGES = [
    "/account/",
    "/account/email/",
    "/account/password/change/",
    "/account/reauthenticate/",
    "/account/tokens/",
    "/account/delete/",
    "/account/2fa/",
    "/account/2fa/totp/activate/",
    "/account/2fa/recovery-codes/",
    "/account/2fa/recovery-codes/generate/",
    "/account/2fa/reauthenticate/",
    "/account/2fa/totp/deactivate/",
    "/account/logout/",
]


def assert_in_frame(response, url):
    html = response.content.decode()
    assert response.status_code == 200, url
    assert '<a class="skip-link" href="#main">' in html, url  # base.html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), f"{url}: inline script"
    assert " style=" not in html and "<style" not in html, f"{url}: inline style"
    check(html, url)


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_entrance_pages(client, url):
    assert_in_frame(client.get(url), url)


def test_member_pages(client):
    make_user("nina", two_factor=True)
    post_login(client, "nina", PASSWORD)
    from tests.conftest import recovery_code

    client.post("/account/2fa/authenticate/", {"code": recovery_code("nina")})
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    for url in MEMBER_PAGES:
        response = client.get(url)
        if url == "/account/2fa/totp/activate/":  # already on: allauth shows "switch off"
            assert response["Location"] == "/account/2fa/totp/deactivate/"
            continue
        assert_in_frame(response, url)


def test_the_two_factor_step_and_set_up_pages(client):
    make_user("erin", two_factor=True)
    post_login(client, "erin", PASSWORD)
    assert_in_frame(client.get("/account/2fa/authenticate/"), "/account/2fa/authenticate/")
    client.post("/account/logout/")
    make_user("olga")
    post_login(client, "olga", PASSWORD)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    assert_in_frame(client.get("/account/2fa/totp/activate/"), "/account/2fa/totp/activate/")
