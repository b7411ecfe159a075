"""Two-factor authentication (authenticator app and recovery codes): optional for members,
required for editors and administrators, who are sent to set it up before any editor or
administrator page (the admin site and the API included)."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator

from clusterbridge.accounts.roles import EDITOR_GROUP
from tests.accounts.conftest import post_login
from tests.conftest import PASSWORD, TOTP_SECRET, make_user, recovery_code, totp_code

pytestmark = pytest.mark.django_db

# The start of a 30-second period: codes computed in the test stay valid while it runs.
PERIOD_START = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(PERIOD_START, tick=True):
        yield


def confirm_password(client):
    """allauth asks for the password again before two-factor settings change."""
    response = client.post("/account/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def sign_in_with_code(client, username, code):
    response = post_login(client, username, PASSWORD)
    assert response["Location"] == "/account/2fa/authenticate/"
    return client.post("/account/2fa/authenticate/", {"code": code})


def test_an_editor_without_it_is_sent_to_set_it_up_before_editor_pages(client):
    erin = make_user("erin", groups=[EDITOR_GROUP], two_factor=False)
    client.force_login(erin, backend="django.contrib.auth.backends.ModelBackend")
    for url in ("/funding/maintenance/", "/import/", "/account/", "/account/tokens/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/account/2fa/totp/activate/", url
    page = client.get("/account/2fa/totp/activate/", follow=True)
    assert b"set up two-factor authentication to use them" in page.content
    # What leads there stays open: e-mail addresses, two-factor pages, sign-out.
    assert client.get("/account/email/").status_code == 200
    assert client.get("/account/2fa/").status_code == 200
    assert client.get("/account/data.json").status_code == 200
    assert client.post("/account/logout/").status_code == 302


def test_an_administrator_without_it_cannot_use_the_admin_site_or_the_api(client):
    boss = make_user("boss", superuser=True, two_factor=False)
    client.force_login(boss, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/")["Location"] == "/account/2fa/totp/activate/"
    response = client.post("/api/v1/features/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "two-factor authentication" in response.json()["detail"]


def test_with_it_the_editor_works_as_before(client_for):
    assert client_for("editor").get("/funding/maintenance/").status_code == 200
    assert client_for("admin").get("/admin/").status_code == 200


def test_members_and_managers_do_not_need_it(client_for):
    assert client_for("member").get("/account/").status_code == 200
    assert client_for("manager").get("/account/").status_code == 200


def test_setting_it_up_with_an_authenticator_app(client, clock):
    erin = make_user("erin", groups=[EDITOR_GROUP], two_factor=False)
    post_login(client, "erin", PASSWORD)
    asked = client.get("/account/2fa/totp/activate/")
    assert asked["Location"].startswith("/account/reauthenticate/")
    confirm_password(client)
    page = client.get("/account/2fa/totp/activate/")
    html = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in html
    secret = client.session["mfa.totp.secret"]
    assert secret in html  # for typing it in when the QR code cannot be scanned
    wrong = client.post("/account/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=erin).exists()
    done = client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})
    assert done["Location"] == "/account/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=erin, type="totp").exists()
    codes = client.get("/account/2fa/recovery-codes/")
    assert codes.status_code == 200 and len(codes.context["unused_codes"]) == 10
    assert client.get("/funding/maintenance/").status_code == 200


def test_signing_in_asks_for_the_code(client, users, clock):
    response = post_login(client, "erin", PASSWORD)
    assert response["Location"] == "/account/2fa/authenticate/"
    assert client.get("/account/")["Location"].startswith("/account/login/")  # not yet in
    wrong = client.post("/account/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200 and b"Incorrect code" in wrong.content
    right = client.post("/account/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert right.status_code == 302
    assert client.get("/account/").context["user"].username == "erin"


def test_a_recovery_code_signs_in_once(client, users):
    code = recovery_code("erin")
    assert sign_in_with_code(client, "erin", code).status_code == 302
    client.post("/account/logout/")
    again = sign_in_with_code(client, "erin", code)
    assert again.status_code == 200 and b"Incorrect code" in again.content


def test_a_member_may_switch_it_off_an_editor_may_not(client, clock):
    make_user("nina", two_factor=True)
    sign_in_with_code(client, "nina", totp_code())
    confirm_password(client)
    assert client.post("/account/2fa/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user__username="nina", type="totp").exists()

    client.post("/account/logout/")
    erin = make_user("erin", groups=[EDITOR_GROUP])
    sign_in_with_code(client, "erin", recovery_code("erin"))
    confirm_password(client)
    response = client.post("/account/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "must keep two-factor authentication on" in response.content.decode()
    assert Authenticator.objects.filter(user=erin, type="totp").exists()


def test_it_cannot_be_set_up_on_an_unconfirmed_address(client):
    make_user("nora", verified=False)
    post_login(client, "nora", PASSWORD)
    response = client.get("/account/2fa/totp/activate/", follow=True)
    assert "Confirm your e-mail address first" in response.content.decode()
