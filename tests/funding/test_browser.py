"""In Chromium: tick two features and a country, open a result, sign in as an editor, move
its deadline into the past, and see it leave the open calls."""

import pytest
from playwright.sync_api import expect

from clusterbridge.accounts.roles import EDITOR_GROUP
from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.taxonomy.models import Country, Feature
from tests.conftest import make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add(name, codes, country):
    instrument = Instrument(
        name=name,
        origin="national",
        kind="call",
        country=Country.objects.get(code=country),
        deadline_dates=["2030-12-31"],
    )
    history.save(instrument, m2m={"features": list(Feature.objects.filter(code__in=codes))})
    return instrument


def test_search_open_edit_deadline_and_leave_the_open_list(page):
    make_user("erin", groups=[EDITOR_GROUP])
    add("Albatross drone call", ["T1", "T4"], "LT")
    add("Booby AI call", ["T1"], "LT")
    add("Cormorant IoT call", ["T1", "T4"], "DK")

    page.goto("/funding/")
    # Each ticked box applies at once; the features of a category are folded until opened.
    page.locator("summary", has_text="Techniques").click()
    page.locator('input[name="feature"][value="T1"]').check()
    page.locator('input[name="feature"][value="T4"]').check()
    page.locator('input[name="country"][value="LT"]').check()

    expect(page.get_by_role("heading", name="1 – 1 of 1")).to_be_visible()
    results = page.locator(".result-list")
    expect(results.get_by_role("link", name="Albatross drone call")).to_be_visible()
    expect(results.get_by_text("Booby AI call")).to_have_count(0)
    expect(results.get_by_text("Cormorant IoT call")).to_have_count(0)
    assert "feature=T1" in page.url and "feature=T4" in page.url and "country=LT" in page.url
    search_url = page.url
    # The ticked features are highlighted on the result.
    expect(results.locator("li.matched")).to_have_count(2)

    results.get_by_role("link", name="Albatross drone call").click()
    expect(page.get_by_role("heading", name="Albatross drone call")).to_be_visible()
    detail_url = page.url

    sign_in(page, "erin")
    page.goto(detail_url)
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Deadlines").fill("2020-01-31")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("31 Jan 2020 (passed)")).to_be_visible()
    expect(page.locator(".badge.status-closed")).to_be_visible()

    page.goto(search_url)
    expect(page.get_by_role("heading", name="No instrument matches")).to_be_visible()
    page.locator('input[name="status"][value="closed"]').check()
    expect(
        page.locator(".result-list").get_by_role("link", name="Albatross drone call")
    ).to_be_visible()
