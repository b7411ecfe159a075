"""In Chromium: a member posts an offer, the cluster's manager pre-validates it, a moderator
approves it, and a person of another organisation writes to it; the marketplace's pages fit
a phone (390×844) and a laptop (1366×900) without console errors or policy violations."""

import os
import re

import pytest
from playwright.sync_api import expect

from clusterbridge.clusters import services as cluster_services
from clusterbridge.clusters.models import Cluster
from clusterbridge.marketplace import services
from clusterbridge.organisations import services as organisation_services
from clusterbridge.taxonomy.models import Country, Feature, Term
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
# Set to a folder to keep screenshots of the pages (looked at by people, never compared).
SCREENSHOTS = os.environ.get("MARKETPLACE_SCREENSHOTS", "")


def _people():
    owner = make_user("olga")
    manager = make_user("mona")
    admin = make_user("alice", superuser=True)
    other = make_user("otto")
    cluster = Cluster.objects.get(slug="mobile-heights")
    cluster_services.grant_manager(cluster, admin, manager)
    acme = organisation_services.create_organisation(
        owner, {"name": "Acme Robotics", "type": "sme", "country": Country.objects.get(code="SE")}
    )
    link = organisation_services.request_cluster_membership(
        acme, owner, cluster, show_publicly=True
    )
    organisation_services.approve_cluster_membership(link, manager)
    beta = organisation_services.create_organisation(
        other, {"name": "Beta Labs", "type": "research-organisation"}
    )
    return {"owner": owner, "manager": manager, "admin": admin, "other": other, "beta": beta}


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_post_prevalidate_approve_and_write_to_the_organisation(page):
    _people()
    sign_in(page, "olga")
    page.goto("/marketplace/")
    page.get_by_role("link", name="Post an offer or a need").click()
    page.get_by_label("Offer", exact=True).check()
    page.get_by_label("Title").fill("FFP2 masks, 200,000 a week")
    page.get_by_label("Description").fill("Certified masks made in Skåne.")
    page.get_by_label("T1 ", exact=False).first.check()
    page.get_by_role("group", name="Industrial ecosystems").get_by_label("Health").check()
    page.get_by_label("Quantity").fill("200000")
    page.get_by_label("Unit").fill("masks per week")
    page.get_by_role("button", name="Save and submit for validation").click()
    expect(page.get_by_text("Saved and submitted for validation.")).to_be_visible()
    expect(page.get_by_text("Waiting for the cluster's pre-validation")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "mona")
    page.goto("/marketplace/cluster-queue/")
    expect(page.get_by_text("FFP2 masks, 200,000 a week")).to_be_visible()
    page.get_by_role("button", name="Pre-validate").click()
    expect(page.get_by_text("Pre-validated: the platform's moderators")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "alice")
    page.goto("/marketplace/moderation/")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("Approved: the post is published.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "otto")
    page.goto("/marketplace/")
    page.get_by_role("link", name="FFP2 masks, 200,000 a week").click()
    expect(page.get_by_role("link", name="Mobile Heights").first).to_be_visible()
    page.get_by_label("Your message").fill("We need 50,000 a week for care homes.")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_text("Your message was sent to Acme Robotics.")).to_be_visible()
    expect(page.get_by_text("We need 50,000 a week for care homes.")).to_be_visible()


def _published(people) -> None:
    health = list(Term.objects.filter(vocabulary="ecosystems", code="health"))
    t1 = list(Feature.objects.filter(code__in=["T1", "D2"]))
    acme = people["owner"].organisation_memberships.get().organisation
    for n in range(3):
        post = services.posts.create(
            people["owner"],
            {
                "organisation": acme,
                "kind": "offer",
                "title": f"Masks, batch {n}",
                "description": "Certified FFP2 masks. " * 8,
                "features": t1,
                "ecosystems": health,
                "countries": list(Country.objects.filter(code__in=["SE", "DK"])),
                "quantity": 200000,
                "unit": "masks per week",
            },
        ).obj
        post = services.prevalidate(services.submit(post, people["owner"]), people["manager"])
        services.approve(post, people["admin"])
    need = services.posts.create(
        people["other"],
        {
            "organisation": people["beta"],
            "kind": "need",
            "title": "Masks for care homes",
            "description": "150,000 masks a week for the care homes of the region.",
            "features": t1,
            "ecosystems": health,
            "urgency": "crisis",
            "is_disruption": True,
            "disrupted_supply": "Melt-blown fabric",
        },
    ).obj
    services.approve(services.submit(need, people["other"]), people["admin"])


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_marketplace_pages_fit_the_screen(browser, live_server, reference_data, viewport):
    people = _people()
    _published(people)
    context, page, problems = open_context(browser, live_server, viewport)
    size = "phone" if viewport is PHONE else "laptop"
    response = page.goto("/marketplace/")
    assert no_sideways_scroll(page)
    assert_on_first_screen(page, ".result-card", viewport)
    assert_policy_intact(response, page)
    _shot(page, f"list-{size}")
    if viewport is PHONE:
        filters = page.locator("#filters")
        expect(filters).to_be_hidden()
        page.get_by_role("link", name=re.compile("^Filters")).click()
        expect(filters).to_be_visible()
        _shot(page, f"filters-{size}")
        page.get_by_role("button", name=re.compile(r"^Show \d+ \w+$")).click()
        expect(filters).to_be_hidden()
    else:
        expect(page.locator("#filters")).to_be_visible()
    page.get_by_role("link", name="Masks for care homes").first.click()
    expect(page.get_by_role("heading", name="Offers that fit")).to_be_visible()
    assert no_sideways_scroll(page)
    _shot(page, f"detail-{size}")
    page.goto("/marketplace/disruptions/")
    assert no_sideways_scroll(page)
    _shot(page, f"disruptions-{size}")
    sign_in(page, "olga")
    for url, name in (("/marketplace/new/", "form"), ("/marketplace/mine/", "mine")):
        assert page.goto(url).status == 200
        assert no_sideways_scroll(page), url
        _shot(page, f"{name}-{size}")
    context.clear_cookies()  # signed out (on a phone the button is in the folded menu)
    sign_in(page, "mona")
    services.submit(
        services.posts.create(
            people["owner"],
            {
                "organisation": people["owner"].organisation_memberships.get().organisation,
                "kind": "need",
                "title": "Gloves",
                "description": "Nitrile gloves.",
            },
        ).obj,
        people["owner"],
    )
    assert page.goto("/marketplace/cluster-queue/").status == 200
    assert no_sideways_scroll(page)
    _shot(page, f"queue-{size}")
    assert problems == []
    context.close()
