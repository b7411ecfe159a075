"""A person signs in and reaches the taxonomy page, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_open_the_taxonomy(page):
    make_user("erin")
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    sign_in(page, "erin")
    expect(page.get_by_role("link", name="erin")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Taxonomy").click()
    expect(page.get_by_role("heading", name="Reference taxonomy")).to_be_visible()
    expect(page.get_by_role("cell", name="Quantum Technologies")).to_be_visible()


def test_main_pages_load_without_console_errors_or_policy_violations(page):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    for url in (
        "/",
        "/funding/",
        "/match/?feature=T1&feature=D2",
        "/projects/",
        "/clusters/",
        "/clusters/landscape/",
        "/taxonomy/",
        "/api/docs/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
    assert problems == []
