"""Every list page and the landscape, in Chromium on a phone (390×844) and a laptop
(1366×900): the page never scrolls sideways, the first result is on the first screen (on a
phone also after opening the filters and pressing "Show N results"), chart labels are at
least 12 px, nothing is logged as an error and the content-security policy holds."""

import re

import pytest
from playwright.sync_api import expect

from clusterbridge.alerts import services as alert_services
from clusterbridge.alerts.models import SavedSearch
from tests.browser_checks import (
    LAPTOP,
    PHONE,
    assert_on_first_screen,
    assert_policy_intact,
    no_sideways_scroll,
    open_context,
)
from tests.conftest import make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST_PAGES = [
    "/funding/",
    "/clusters/",
    "/clusters/networks/",
    "/projects/",
    "/funding/strategies/",
    "/alerts/",
    "/marketplace/",
    "/events/",
    "/benchmarking/",
]


@pytest.fixture
def member_with_alert(reference_data):
    member = make_user("bob")
    alert_services.save_alert(
        SavedSearch(name="Drones in Lithuania", query="q=drone&country=LT", frequency="weekly"),
        user=member,
        features=[],
    )
    return member


@pytest.fixture
def post_and_event(reference_data):
    """One published offer and one upcoming event, so their lists have a first result."""
    from django.utils import timezone

    from clusterbridge.events import services as event_services
    from clusterbridge.marketplace.models import Post
    from clusterbridge.organisations import services as organisation_services
    from clusterbridge.taxonomy.models import Country
    from tests.conftest import EDITOR_GROUP
    from tests.events.conftest import event_values

    owner = make_user("olga")
    organisation = organisation_services.create_organisation(
        owner,
        {"name": "Acme Robotics", "type": "sme", "country": Country.objects.get(code="SE")},
    )
    Post.objects.create(
        organisation=organisation,
        kind="offer",
        title="Inspection drones for wind farms, with a rather long title that has to wrap",
        description="Blade inspection as a service.",
        status="published",
        published_at=timezone.now(),
    )
    editor = make_user("erin", groups=[EDITOR_GROUP])
    event_services.events.create(editor, event_values())


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_list_pages_and_landscape_fit_the_screen(
    browser, live_server, member_with_alert, post_and_event, viewport
):
    context, page, problems = open_context(browser, live_server, viewport)
    sign_in(page, "bob")
    for url in LIST_PAGES:
        response = page.goto(url)
        assert response.status == 200, url
        assert no_sideways_scroll(page), url
        assert_on_first_screen(page, ".result-card", viewport)
        if viewport is PHONE:
            # The filters are folded away; opened, they cover the page; "Show N results"
            # brings the results back with the first one in sight.
            filters = page.locator("#filters")
            expect(filters).to_be_hidden()
            page.get_by_role("link", name=re.compile("^Filters")).click()
            expect(filters).to_be_visible()
            apply = page.get_by_role("button", name=re.compile(r"^Show \d+ \w+$"))
            expect(apply).to_be_in_viewport()
            apply.click()
            expect(filters).to_be_hidden()
            assert_on_first_screen(page, ".result-card", viewport)
            assert no_sideways_scroll(page), url
        else:
            expect(page.locator("#filters")).to_be_visible()
            expect(page.get_by_role("link", name=re.compile("^Filters"))).to_be_hidden()
        assert_policy_intact(response, page)

    response = page.goto("/clusters/landscape/")
    assert no_sideways_scroll(page)
    labels = page.locator(".bar-label")
    assert labels.count() > 20
    sizes = labels.evaluate_all("all => all.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert min(sizes) >= 12, sizes
    # Long labels wrap inside their column instead of widening the chart.
    widths = page.locator(".bar-chart").evaluate_all("all => all.map(e => e.scrollWidth)")
    assert max(widths) <= viewport["width"]
    assert_policy_intact(response, page)

    # The matrices scroll inside their own box; on a phone they are one card per project.
    response = page.goto("/projects/matrix/")
    assert no_sideways_scroll(page)
    if viewport is PHONE:
        expect(page.locator(".matrix-list-view")).to_be_visible()
        expect(page.locator(".matrix-scroll")).to_be_hidden()
    else:
        expect(page.locator(".matrix-scroll")).to_be_visible()
    assert_policy_intact(response, page)
    assert problems == []
    context.close()


def test_phone_menu_opens_without_javascript(browser, live_server, reference_data):
    context, page, problems = open_context(browser, live_server, PHONE, javascript=False)
    page.goto("/clusters/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 70
    menu = page.locator(".site-menu-panel")
    expect(menu).to_be_hidden()
    page.get_by_text("Menu").click()
    expect(menu.get_by_role("link", name="Funding")).to_be_visible()
    menu.get_by_role("link", name="Funding").click()
    expect(page).to_have_url(re.compile("/funding/$"))
    # Touch targets: the menu button and every filter-panel control are at least 44 px high.
    assert page.locator(".site-menu summary").bounding_box()["height"] >= 44
    page.get_by_role("link", name=re.compile("^Filters")).click()
    for box in page.locator("#filters label.check").all()[:10]:
        assert box.bounding_box()["height"] >= 44
    assert problems == []
    context.close()
