"""In Chromium at phone and laptop sizes: the specialisation map (its labels at least 12 px
on a phone), the empty state, the network and the groups — no sideways scrolling, no console
error, the content-security policy intact. ANALYTICS_SCREENSHOTS=folder keeps screenshots."""

import os
import re

import pytest
from playwright.sync_api import expect

from clusterbridge.analytics import services
from tests.analytics.conftest import fixture_bytes
from tests.browser_checks import (
    LAPTOP,
    PHONE,
    assert_policy_intact,
    no_sideways_scroll,
    open_context,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ANALYTICS_SCREENSHOTS", "")


def shoot(page, name: str, viewport) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{viewport['width']}.png", full_page=True)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_empty_state_then_map_and_table(browser, live_server, reference_data, viewport):
    context, page, problems = open_context(browser, live_server, viewport)
    response = page.goto("/analytics/specialisation/")
    assert page.get_by_text("No regional statistics are imported yet").is_visible()
    shoot(page, "specialisation-empty", viewport)
    services.import_regional(
        fixture_bytes("employment.test-fixture.sdmx.csv"), filename="sbs_r_nuts06_r2.csv"
    )
    response = page.goto("/analytics/specialisation/?industry=C10")
    assert_policy_intact(response, page)
    assert page.get_by_role(
        "heading", name="C10 Manufacture of food products: LQ by region"
    ).is_visible()
    sizes = page.eval_on_selector_all(
        ".tile-map svg text", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    # A text box is about 1.15 × its font size: 12 px text is at least 13.5 px high.
    assert sizes and min(sizes) >= 13.5, min(sizes)
    assert no_sideways_scroll(page)
    shoot(page, "specialisation-map", viewport)
    page.get_by_role("link", name="AT11 Burgenland: LQ 2.51").click()
    # A click starts the navigation without waiting for it: wait for the region's page.
    expect(page.get_by_role("heading", name="AT11 Burgenland")).to_be_visible()
    page.goto("/analytics/specialisation/?ecosystem=agri-food")
    assert no_sideways_scroll(page)
    assert problems == []
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_network_and_groups_pages(browser, live_server, reference_data, viewport):
    context, page, problems = open_context(browser, live_server, viewport)
    for url, name in (
        ("/analytics/", "index"),
        ("/analytics/network/", "network"),
        ("/analytics/groups/?call=SecurIT+Open+call+1", "groups"),
        ("/analytics/groups/public-space-protection/", "group"),
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert_policy_intact(response, page)
        assert no_sideways_scroll(page), url
        shoot(page, name, viewport)
    page.goto("/analytics/network/")
    if SHOTS:
        page.locator(".community-map").screenshot(
            path=f"{SHOTS}/community-map-{viewport['width']}.png"
        )
    labels = page.eval_on_selector_all(
        ".community-map text", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert labels and min(labels) >= 13.5, min(labels)
    page.get_by_label("Industrial ecosystem").select_option(label="Digital")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"ecosystem=digital"))
    assert problems == []
    context.close()
