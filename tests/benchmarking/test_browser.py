"""In Chromium at phone and laptop sizes: a manager begins the assessment, answers a block
without JavaScript, lets the script autosave another, submits, and reads the report; no page
is wider than the screen, chart labels are at least 12 px, no console error and no
content-security-policy violation. Screenshots go to $SCREENSHOT_DIR when it is set."""

import os

import pytest
from playwright.sync_api import expect

from clusterbridge.benchmarking import services
from clusterbridge.benchmarking.generator import generate
from clusterbridge.benchmarking.models import Assessment
from clusterbridge.clusters import services as cluster_services
from tests.benchmarking.conftest import FULL, mobile_heights, state_a_sector
from tests.browser_checks import (
    LAPTOP,
    PHONE,
    assert_policy_intact,
    no_sideways_scroll,
    open_context,
)
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def sign_in(page, username: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def smallest_font(page, selector: str) -> float:
    return page.evaluate(
        """s => Math.min(...[...document.querySelectorAll(s)].map(
             e => parseFloat(getComputedStyle(e).fontSize)))""",
        selector,
    )


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("laptop", LAPTOP)])
def test_a_manager_answers_submits_and_reads_the_report(
    browser, live_server, reference_data, size, viewport
):
    manager = make_user("mona")
    admin = make_user("alice", superuser=True)
    cluster = mobile_heights()
    cluster_services.grant_manager(cluster, admin, manager)
    state_a_sector(cluster)
    generate(6, like=cluster)

    # Without JavaScript: begin and save block I with the buttons.
    context, page, problems = open_context(browser, live_server, viewport, javascript=False)
    sign_in(page, "mona")
    response = page.goto("/benchmarking/")
    assert_policy_intact(response, page)
    assert no_sideways_scroll(page)
    shot(page, f"benchmarking-index-{size}")
    page.get_by_role("link", name="Assess Mobile Heights").click()
    page.get_by_role("button", name="Begin the assessment").click()
    expect(page.get_by_role("heading", name="I. Cluster identification data")).to_be_visible()
    page.get_by_label("How many cluster participants are clearly committed").fill("30")
    page.get_by_label("How many of the committed participants come from the private").fill("many")
    page.get_by_role("button", name="Save and go to the next block").click()
    expect(page.get_by_text("Give a number, e.g. 12 or 0.5.")).to_be_visible()
    assert no_sideways_scroll(page)
    shot(page, f"benchmarking-block-error-{size}")
    page.get_by_label("How many of the committed participants come from the private").fill("20")
    page.get_by_role(
        "group", name="Is the cluster organisation listed on the European"
    ).get_by_label("Yes").check()
    page.get_by_role("button", name="Save and go to the next block").click()
    expect(page.get_by_role("heading", name="II. Capacity to support")).to_be_visible()
    context.close()

    assessment = Assessment.objects.get(cluster=cluster, status="draft")
    assert assessment.answers["I-08"] == 20 and assessment.answers["I-09"] is True

    # With JavaScript: a change is saved a moment later without leaving the page.
    context, page, problems = open_context(browser, live_server, viewport)
    sign_in(page, "mona")
    page.goto(f"/benchmarking/assessments/{assessment.pk}/blocks/II/")
    page.get_by_label("How many full-time equivalents").fill("2")
    page.get_by_label("How many full-time equivalents").blur()
    expect(page.get_by_text("% answered.", exact=False).last).to_be_visible()
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved:")
    assessment.refresh_from_db()
    assert assessment.answers["II-01"] == 2
    assert no_sideways_scroll(page)
    shot(page, f"benchmarking-block-{size}")

    services.save_answers(assessment, manager, FULL)
    page.goto(f"/benchmarking/assessments/{assessment.pk}/")
    assert no_sideways_scroll(page)
    shot(page, f"benchmarking-overview-{size}")
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_role("heading", name="Benchmarking report: Mobile Heights")).to_be_visible()
    expect(page.get_by_role("heading", name="Life-cycle stage: Development")).to_be_visible()
    expect(page.get_by_text("6 comparable organisations", exact=False)).to_be_visible()
    assert no_sideways_scroll(page)
    assert smallest_font(page, ".peer-chart p, .bench-table th, .bench-table td") >= 12
    shot(page, f"benchmarking-report-{size}")
    assert problems == []
    context.close()
