"""An SME describes its solution on /match/, ticks the suggested features and reads why a
call fits, without JavaScript; an editor decides suggestions in bulk on the queue — at phone
and laptop sizes."""

import os

import pytest
from playwright.sync_api import expect

from clusterbridge.suggestions import services as suggestions
from tests.browser_checks import LAPTOP, PHONE, no_sideways_scroll, open_context
from tests.conftest import sign_in
from tests.matching.factories import make_instrument

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_describe_tick_the_suggestions_and_find_funding_without_javascript(
    browser, live_server, reference_data, viewport
):
    hospital = make_instrument("Hospital cyber call", ["A-health"], deadlines=["2099-04-30"])
    suggestions.suggest_for(hospital, text="Grants to build a working prototype.")
    context, page, problems = open_context(browser, live_server, viewport, javascript=False)
    page.goto("/match/")
    page.get_by_label("Describe your solution").fill(
        "AI intrusion detection for hospitals: we need to build a prototype."
    )
    page.get_by_role("button", name="Suggest features from my description").click()
    suggested = page.locator("#suggested-features")
    expect(suggested).to_contain_text("Health")
    shot(page, f"match-suggestions-{viewport['width']}")
    suggested.get_by_label("Health").check()
    suggested.get_by_label("Prototype").check()
    page.get_by_role("button", name="Find funding").click()

    top = page.locator(".result").first
    expect(top.get_by_role("heading")).to_have_text("Hospital cyber call")
    expect(top.locator(".explanation")).to_have_text(
        "Fits because: Health, Prototype (suggested, not confirmed)"
    )
    assert no_sideways_scroll(page)
    shot(page, f"match-results-{viewport['width']}")
    assert problems == []
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_an_editor_confirms_suggestions_in_bulk(
    browser, live_server, reference_data, users, viewport
):
    calls = [make_instrument(f"Call {n}", [], deadlines=["2099-04-30"]) for n in range(3)]
    for call in calls:
        suggestions.suggest_for(call, text="Machine learning prototype for hospitals.")
    context, page, problems = open_context(browser, live_server, viewport)
    sign_in(page, users["editor"].username)
    page.goto("/suggestions/?category=T")
    expect(page.locator("#results-heading")).to_have_text("3 suggestions to decide")
    assert no_sideways_scroll(page)
    shot(page, f"queue-{viewport['width']}")
    for box in page.locator("input[name=suggestion]").all():
        box.check()
    page.get_by_role("button", name="Confirm ticked").first.click()
    expect(page.get_by_text("3 suggestion(s) confirmed.")).to_be_visible()
    expect(page.locator("#results-heading")).to_have_text("No suggestion to decide")
    assert calls[0].features.filter(code="T1").exists()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_an_editor_reads_a_records_suggestions_without_scrolling_sideways(
    browser, live_server, reference_data, users, viewport, monkeypatch
):
    """The record's panel of suggested features reflows into one card per suggestion on a
    phone; a partial match the trained model backs says so beside its words."""
    from tests.suggestions.partial import PARTIAL_TEXT, vouch_for_partial_matches

    vouch_for_partial_matches(monkeypatch)
    call = make_instrument("Logins call", [], deadlines=["2099-04-30"])
    call.description = PARTIAL_TEXT
    call.save()
    suggestions.suggest_for(call)
    context, page, problems = open_context(browser, live_server, viewport)
    sign_in(page, users["editor"].username)
    page.goto(call.get_absolute_url())
    panel = page.locator("section.suggestions")
    note = panel.get_by_text("a partial match the trained model backs (90 %)")
    expect(note.first).to_be_visible()
    assert no_sideways_scroll(page)
    shot(page, f"record-suggestions-{viewport['width']}")
    assert problems == []
    context.close()
