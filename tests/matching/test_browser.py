"""An SME ticks features on /match/, reads why the top result fits, and downloads the
matrix, in Chromium."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.matching.factories import make_instrument

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tick_features_read_the_explanation_and_download(page, reference_data):
    make_instrument("Horizon prototype call", ["T1", "D2", "P12"], deadlines=["2099-04-30"])
    make_instrument("Data sharing call", ["P10"], deadlines=["2099-01-31"])
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Match my solution"
    ).click()
    page.get_by_label("AI (ML)").check()
    page.get_by_label("Prototype").check()
    page.get_by_label("Cybersecurity").check()
    page.get_by_label("Export support").check()
    page.get_by_label("Country").select_option("FR")
    page.get_by_role("button", name="Find funding").click()

    # The search is shareable: its address holds the form.
    expect(page).to_have_url(re.compile(r"feature=T1.*country=FR|country=FR.*feature=T1"))
    top = page.locator(".result").first
    assert top.get_by_role("heading").inner_text() == "Horizon prototype call"
    assert top.locator(".explanation").inner_text() == (
        "Fits because: AI (ML), Cybersecurity, Prototype; missing: Export support"
    )
    assert "30 April 2099" in top.inner_text()

    # The shared address brings back the same ticked profile.
    page.goto(page.url)
    expect(page.get_by_label("Prototype")).to_be_checked()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    content = download_info.value.path().read_bytes()
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "Horizon prototype call"
    assert rows[1][3] == "AI (ML), Cybersecurity, Prototype"

    page.get_by_role("link", name="Match matrix of the projects").click()
    expect(page.get_by_role("heading", name="Match matrix: projects × instruments")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:2] == ["Instrument", "For applicants from"]
    assert "DIAC" in header and "Horizon prototype call" in text
