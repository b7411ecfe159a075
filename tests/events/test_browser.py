"""In Chromium, at phone and laptop sizes: a participant's journey from registration to the
agenda (register with the organiser's question, meet participants, ask for a meeting; once
accepted, the meeting is on the agenda), and the event list and participant list fit the
screen with the filter panel. Screenshots go to $SCREENSHOT_DIR when it is set."""

import datetime
import os
import re

import pytest
from playwright.sync_api import expect

from clusterbridge.clusters import services as cluster_services
from clusterbridge.clusters.models import Cluster
from clusterbridge.events import matchmaking, services
from clusterbridge.events.models import MeetingRequest
from tests.browser_checks import (
    LAPTOP,
    PHONE,
    assert_on_first_screen,
    assert_policy_intact,
    no_sideways_scroll,
    open_context,
)
from tests.conftest import make_user, sign_in
from tests.events.conftest import ANSWERS, event_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def brokerage(reference_data):
    admin = make_user("alice", superuser=True)
    manager = make_user("mona")
    cluster_services.grant_manager(Cluster.objects.get(slug="mobile-heights"), admin, manager)
    event = services.events.create(manager, event_values()).obj
    services.set_sessions(
        event,
        manager,
        [(event.start + datetime.timedelta(hours=1), event.start + datetime.timedelta(hours=3))],
    )
    services.events.create(
        manager,
        event_values(
            title="Funding info webinar",
            kind="webinar",
            venue="",
            city="",
            tables=0,
            online_url="https://webinar.example.org/info",
        ),
    )
    from clusterbridge.organisations import services as organisation_services
    from clusterbridge.taxonomy.models import Country, Feature

    ann = make_user("ann")
    organisation = organisation_services.create_organisation(
        ann,
        {
            "name": "Nordic Blades",
            "type": "sme",
            "country": Country.objects.get(code="DK"),
            "description": "Inspection of wind turbine blades by drone.",
            "features": list(Feature.objects.filter(code__in=["T1"])),
        },
    )
    registration = services.register_for(event, ann, organisation=organisation, answers=ANSWERS)
    matchmaking.join_matchmaking(registration, ann)
    return event


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_participant_journey_from_registration_to_agenda(browser, live_server, brokerage, viewport):
    event = brokerage
    make_user("bob")
    context, page, problems = open_context(browser, live_server, viewport)
    sign_in(page, "bob")
    response = page.goto("/events/")
    assert no_sideways_scroll(page)
    assert_on_first_screen(page, ".result-card", viewport)
    assert_policy_intact(response, page)
    _shot(page, f"events-list-{viewport['width']}")
    page.get_by_role("link", name="Wind energy brokerage").click()
    expect(page.get_by_role("heading", name="Wind energy brokerage", level=1)).to_be_visible()
    page.get_by_label("What do you hope to find?").fill("Blade inspection partners")
    _shot(page, f"event-detail-{viewport['width']}")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.", exact=True)).to_be_visible()
    page.get_by_role("link", name="Meet participants").click()
    expect(page.get_by_role("heading", name="Participants", level=1)).to_be_visible()
    assert no_sideways_scroll(page)
    _shot(page, f"participants-{viewport['width']}")
    if viewport is PHONE:
        page.get_by_role("link", name=re.compile("^Filters")).click()
        apply = page.get_by_role("button", name=re.compile(r"^Show \d+ \w+$"))
        expect(apply).to_be_in_viewport()
        apply.click()
    page.locator("#results").get_by_role("link", name=re.compile("Nordic Blades")).click()
    page.get_by_label("Message").fill("We build inspection drones; shall we meet?")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text(re.compile("Your request was sent to"))).to_be_visible()
    _shot(page, f"requests-{viewport['width']}")

    request = MeetingRequest.objects.get()
    matchmaking.accept(request, request.receiver.user)
    page.get_by_role("link", name="My agenda").first.click()
    expect(page.get_by_role("heading", name="My agenda", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Table 1")).to_be_visible()
    assert no_sideways_scroll(page)
    _shot(page, f"agenda-{viewport['width']}")
    assert not problems, problems
    context.close()
    assert event.registrations.count() == 2


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_organiser_pages_fit_the_screen(browser, live_server, brokerage, viewport):
    event = brokerage
    context, page, problems = open_context(browser, live_server, viewport)
    sign_in(page, "mona")
    for url, name in (
        ("/events/new/", "form"),
        (f"/events/{event.slug}/edit/", "edit"),
        (f"/events/{event.slug}/dashboard/", "dashboard"),
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert no_sideways_scroll(page), url
        assert_policy_intact(response, page)
        _shot(page, f"organiser-{name}-{viewport['width']}")
    page.get_by_role("button", name="Optimise the agenda").click()
    expect(
        page.get_by_text(re.compile(r"meetings placed \(at most \d+ possible\)"))
    ).to_be_visible()
    assert not problems, problems
    context.close()
