"""Dismissing a result and shortlisting a call on a phone and a laptop, with and without
JavaScript: plain forms, so both work the same; the page keeps its content policy."""

import datetime

import pytest
from playwright.sync_api import expect

from clusterbridge.funding.models import Instrument, today
from tests.browser_checks import (
    LAPTOP,
    PHONE,
    assert_policy_intact,
    no_sideways_scroll,
    open_context,
)
from tests.conftest import make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_dismiss_and_shortlist_from_the_results(
    browser, live_server, reference_data, viewport, javascript
):
    make_user("rita")
    later = (today() + datetime.timedelta(days=12)).isoformat()
    for name in ("Wombat robotics call", "Wombat drones call"):
        Instrument.objects.create(
            name=name, origin="international", cover_level="eu", deadline_dates=[later]
        )
    context, page, problems = open_context(browser, live_server, viewport, javascript=javascript)
    sign_in(page, "rita")
    response = page.goto("/funding/?q=wombat")
    if javascript:
        assert_policy_intact(response, page)
    cards = page.locator(".result-card")
    expect(cards).to_have_count(2)
    first = cards.filter(has_text="Wombat drones call")
    first.get_by_role("button", name="Not relevant: hide").click()
    expect(page.locator(".result-card")).to_have_count(1)
    expect(page.locator(".dismissed-note")).to_contain_text("1 result you marked")
    page.locator(".result-card").get_by_role("button", name="Add to my shortlist").click()
    expect(
        page.locator(".result-card").get_by_role("button", name="Remove from my shortlist")
    ).to_be_visible()
    page.get_by_role("link", name="Show dismissed").click()
    expect(page.locator(".result-card")).to_have_count(2)
    assert no_sideways_scroll(page)
    page.goto("/shortlist/")
    expect(page.get_by_role("link", name="Wombat robotics call")).to_be_visible()
    page.get_by_label("My note").fill("Ask the university")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_label("My note")).to_have_value("Ask the university")
    assert no_sideways_scroll(page)
    assert problems == []
    context.close()
