"""In Chromium: find a cluster by country and ecosystem, open its profile, change it as its
manager, approve the change as administrator and see it published."""

import re

import pytest
from playwright.sync_api import expect

from clusterbridge.clusters import services
from clusterbridge.clusters.models import Cluster
from tests.conftest import make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_change_approved_and_published(page):
    manager = make_user("mona")
    admin = make_user("alice", superuser=True)
    services.grant_manager(Cluster.objects.get(slug="mobile-heights"), admin, manager)

    page.goto("/clusters/")
    page.get_by_role("group", name="Country").get_by_role(
        "checkbox", name=re.compile("^Sweden")
    ).check()
    # Its ecosystems are only suggested (not a facet value): its seed 000 section is one.
    page.get_by_role("group", name=re.compile("^cyberwatching.eu priority")).get_by_role(
        "checkbox", name=re.compile("^A.2")
    ).check()
    # Ticking applies at once; the address follows.
    expect(page).to_have_url(re.compile(r"country=SE.*priority=A.2"))
    expect(page.get_by_role("heading", name=re.compile(r"of \d+ clusters?$"))).to_be_visible()
    page.get_by_role("link", name="Mobile Heights").click()
    expect(page.get_by_role("heading", name="Mobile Heights", level=1)).to_be_visible()

    sign_in(page, "mona")
    page.goto("/clusters/mobile-heights/")
    page.get_by_role("link", name="Edit the profile").click()
    page.get_by_label("Mission").fill("Making southern Sweden a hub of connected technologies.")
    page.get_by_role("button", name="Submit changes").click()
    expect(page.get_by_text("Your changes wait for an administrator's review.")).to_be_visible()
    expect(page.get_by_text("Making southern Sweden")).not_to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "alice")
    page.goto("/clusters/moderation/")
    expect(
        page.get_by_role("cell", name="Making southern Sweden a hub of connected technologies.")
    ).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Change approved.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto("/clusters/mobile-heights/")
    expect(
        page.get_by_text("Making southern Sweden a hub of connected technologies.")
    ).to_be_visible()
    # The form sent the country it showed: editing the mission did not wipe it.
    cluster = Cluster.objects.get(slug="mobile-heights")
    assert cluster.country.code == "SE"
