"""An editor uploads a portal file, reads the dry-run report and commits it, in Chromium."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from clusterbridge.accounts.roles import EDITOR_GROUP
from clusterbridge.core.models import ObjectChange
from clusterbridge.funding.models import Instrument
from tests.conftest import make_user, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parent.parent / "data" / "portal"


def test_upload_preview_and_commit_portal_calls(page):
    make_user("erin", groups=[EDITOR_GROUP])
    sign_in(page, "erin")
    before = Instrument.all_objects.count()

    page.goto("/import/")
    page.get_by_role("link", name="Calls from the EU Funding & Tenders Portal").click()
    page.get_by_label("Portal file").set_input_files(str(DATA / "search_results.json"))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="What the import would do")).to_be_visible()
    assert page.locator("[data-count=created]").inner_text() == "4"
    expect(page.get_by_text("2 × same topic in another language")).to_be_visible()
    expect(page.get_by_role("cell", name="HORIZON-CL3-2025-CS-ECCC-99")).to_be_visible()
    assert Instrument.all_objects.count() == before

    page.get_by_role("button", name="Import these calls").click()

    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    assert Instrument.all_objects.count() == before + 4  # and one updated (IA- variant)
    assert ObjectChange.objects.filter(action="import", user_name="erin").count() == 5


def test_a_spreadsheet_with_problems_is_shown_row_by_row(page, tmp_path):
    make_user("erin", groups=[EDITOR_GROUP])
    sign_in(page, "erin")
    sheet = tmp_path / "calls.csv"
    sheet.write_text("name,origin,country,opening_date\nA call,national,Atlantis,1/2/2025\n")

    page.goto("/import/spreadsheet/")
    page.get_by_label("Records").select_option("instruments")
    page.get_by_label("Spreadsheet").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="Problems found")).to_be_visible()
    expect(page.get_by_role("row", name="2 country")).to_be_visible()
    expect(page.get_by_role("row", name="2 opening_date")).to_be_visible()
    assert page.get_by_role("button", name="Import these rows").count() == 0
    assert not Instrument.objects.filter(name="A call").exists()
