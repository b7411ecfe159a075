"""The funding search on a phone and a laptop, with and without JavaScript: a ticked filter
narrows the results (at once with JavaScript, on "Show results" without), the active filter
is a removable chip, and the first result is on the first screen."""

import re

import pytest
from django.http import QueryDict
from playwright.sync_api import expect

from clusterbridge.funding.filtersets import InstrumentFilterSet
from tests.browser_checks import (
    LAPTOP,
    PHONE,
    assert_on_first_screen,
    assert_policy_intact,
    no_sideways_scroll,
    open_context,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expected(query: str) -> int:
    return InstrumentFilterSet(QueryDict(query), group_incomplete=True).qs.count()


def heading(count: int) -> str:
    return f"1 – {min(count, 10)} of {count}"


WITH_UNKNOWN = "status=open&status=forthcoming&status=unknown"


def tick_status_unknown(page, viewport):
    """Adds the records whose dates are unknown to the default (open and forthcoming)."""
    if viewport is PHONE:
        page.get_by_role("link", name=re.compile("^Filters")).click()
    page.locator("#filters").get_by_role(
        "checkbox", name=re.compile("^Unknown \\(check at the source")
    ).check()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_search_with_javascript_applies_each_ticked_filter_at_once(
    browser, live_server, reference_data, viewport
):
    widened = expected(WITH_UNKNOWN)
    assert 0 < expected("") < widened
    context, page, problems = open_context(browser, live_server, viewport)
    response = page.goto("/funding/")
    page.evaluate("window.__same_page = true")
    tick_status_unknown(page, viewport)
    results_heading = page.locator("#results-heading")
    expect(results_heading).to_have_text(heading(widened))
    expect(page).to_have_url(re.compile(r"status=unknown"))
    assert page.evaluate("window.__same_page") is True  # updated in place, not reloaded
    expect(page.locator(".badge.check-source").first).to_be_visible()
    chip = page.get_by_role("link", name=re.compile("^Status: Unknown"))
    if viewport is PHONE:
        apply = page.get_by_role("button", name=f"Show {widened} instruments")
        expect(apply).to_be_visible()
        apply.click()
        expect(page.locator("#filters")).to_be_hidden()
    else:
        # Beside the results, the filters need no button.
        expect(page.locator(".filter-apply")).to_be_hidden()
    expect(chip).to_be_visible()
    assert_on_first_screen(page, ".result-card", viewport)
    assert no_sideways_scroll(page)
    assert_policy_intact(response, page)
    # Removing the chip brings back the open and forthcoming ones only.
    chip.click()
    expect(results_heading).to_have_text(heading(expected("")))
    assert problems == []
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_search_without_javascript_applies_filters_on_show_results(
    browser, live_server, reference_data, viewport
):
    widened = expected(WITH_UNKNOWN)
    context, page, problems = open_context(browser, live_server, viewport, javascript=False)
    page.goto("/funding/")
    tick_status_unknown(page, viewport)
    # Nothing changes until the form is sent: the page does not pretend to know the count.
    expect(page.locator("#results-heading")).to_have_text(heading(expected("")))
    page.get_by_role("button", name="Show results").click()
    expect(page.locator("#results-heading")).to_have_text(heading(widened))
    assert "status=unknown" in page.url
    if viewport is PHONE:
        expect(page.locator("#filters")).to_be_hidden()
    else:
        expect(page.locator("#filters")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Status: Unknown"))).to_be_visible()
    assert_on_first_screen(page, ".result-card", viewport)
    assert no_sideways_scroll(page)
    assert problems == []
    context.close()
