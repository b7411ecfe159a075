"""In Chromium: a person adds their organisation and asks a cluster to list it; the
cluster's manager approves; everyone sees it on the cluster's profile. And the pages load
without console errors or content-security-policy violations."""

import re

import pytest
from playwright.sync_api import expect

from clusterbridge.clusters import services as cluster_services
from clusterbridge.clusters.models import Cluster
from tests.conftest import make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_request_membership_approve_and_shown_on_the_cluster(page):
    make_user("olga")
    manager = make_user("mona")
    admin = make_user("alice", superuser=True)
    cluster_services.grant_manager(Cluster.objects.get(slug="mobile-heights"), admin, manager)

    sign_in(page, "olga")
    page.goto("/organisations/")
    page.get_by_role("link", name="Add your organisation", exact=True).click()
    page.get_by_label("Name").fill("Fjord Sensors")
    page.get_by_label("Type of organisation").select_option(label="SME")
    page.get_by_label("Country").select_option(label="Norway")
    page.get_by_label("Description").fill("Sensors for harsh marine environments.")
    page.get_by_role("group", name="Industrial ecosystems").get_by_label("Digital").check()
    page.get_by_label("T14 Sensors").check()
    page.get_by_role("button", name="Add the organisation").click()
    expect(page.get_by_role("heading", name="Fjord Sensors", level=1)).to_be_visible()
    expect(
        page.get_by_text("Fjord Sensors is on ClusterBridge; you are its owner.")
    ).to_be_visible()

    page.get_by_role("link", name="Cluster memberships").click()
    page.get_by_role("combobox", name="Cluster").select_option(label="Mobile Heights (Sweden)")
    expect(
        page.get_by_label("Show our organisation on the cluster's public profile")
    ).to_be_checked()
    page.get_by_label("Message to the cluster's managers").fill("Members since 2021.")
    page.get_by_role("button", name="Send the request").click()
    expect(
        page.get_by_text("Your request was sent to the managers of Mobile Heights.")
    ).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto("/clusters/mobile-heights/")
    expect(
        page.get_by_text("No member organisation is listed on ClusterBridge yet")
    ).to_be_visible()

    sign_in(page, "mona")
    page.goto("/clusters/mobile-heights/")
    page.get_by_role("link", name="1 membership request to decide").click()
    expect(page.get_by_text("Members since 2021.")).to_be_visible()
    page.get_by_role("button", name="Approve Fjord Sensors").click()
    expect(page.get_by_text("Fjord Sensors is listed in Mobile Heights.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto("/clusters/mobile-heights/")
    section = page.get_by_role("region", name="Member organisations on ClusterBridge")
    expect(
        section.get_by_text(re.compile(r"^1 member organisation on ClusterBridge"))
    ).to_be_visible()
    section.get_by_role("link", name="Fjord Sensors").click()
    expect(page.get_by_role("heading", name="Fjord Sensors", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Mobile Heights")).to_be_visible()


def test_organisation_pages_load_without_console_errors_or_policy_violations(page):
    from clusterbridge.organisations import services
    from clusterbridge.taxonomy.models import Country

    owner = make_user("olga")
    services.create_organisation(
        owner, {"name": "Fjord Sensors", "type": "sme", "country": Country.objects.get(code="NO")}
    )
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    urls = ["/organisations/", "/organisations/?type=sme&q=fjord", "/organisations/fjord-sensors/"]
    for url in urls:
        assert page.goto(url).status == 200, url
    sign_in(page, "olga")
    for url in (
        "/organisations/new/",
        "/organisations/fjord-sensors/",
        "/organisations/fjord-sensors/edit/",
        "/organisations/fjord-sensors/members/",
        "/organisations/fjord-sensors/clusters/",
        "/organisations/cluster-requests/",
    ):
        assert page.goto(url).status == 200, url
    assert problems == []
