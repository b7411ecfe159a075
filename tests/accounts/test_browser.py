"""In Chromium: a new person signs up, confirms the address from the e-mail, signs in with
the e-mail address and sees My ClusterBridge; an editor sets up two-factor authentication
before reaching the editors' pages."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from clusterbridge.accounts.roles import EDITOR_GROUP
from tests.conftest import PASSWORD, make_user, sign_in, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_person_signs_up_confirms_and_signs_in_by_e_mail(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create an account", level=1)).to_be_visible()
    page.get_by_label("E-mail address").fill("nora@example.org")
    page.get_by_label("Username").fill("nora")
    page.get_by_label("Password").first.fill("a long fresh passphrase 31")
    page.get_by_label("Password again").fill("a long fresh passphrase 31")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="My ClusterBridge", level=1)).to_be_visible()
    expect(page.get_by_text("Confirm your e-mail address nora@example.org")).to_be_visible()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nora@example.org"]
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[0].body).group(0)

    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    expect(page.get_by_text("nora@example.org")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()

    sign_in(page, "nora@example.org", "a long fresh passphrase 31")
    expect(page.get_by_role("heading", name="My ClusterBridge", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="nora")).to_be_visible()
    expect(page.get_by_text("Confirm your e-mail address")).to_have_count(0)
    expect(page.get_by_role("heading", name="Account and security")).to_be_visible()
    expect(page.get_by_text("confirmed", exact=True)).to_be_visible()


def test_an_editor_sets_up_two_factor_authentication_first(page):
    make_user("erin", groups=[EDITOR_GROUP], two_factor=False)
    sign_in(page, "erin")
    # Sent to the set-up; allauth asks for the password once more before it.
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Switch on").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    expect(
        page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")
    ).to_have_count(10)
    page.goto("/funding/maintenance/")
    assert page.url.endswith("/funding/maintenance/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(
        "Set up two-factor authentication"
    )
