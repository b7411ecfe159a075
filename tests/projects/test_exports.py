"""The matrix pages and their CSV / XLSX downloads, parsed back."""

import csv
import io

import pytest
from openpyxl import load_workbook

from clusterbridge.core.spreadsheets import safe_cell
from tests.matching.factories import make_instrument, make_project

pytestmark = pytest.mark.django_db


def parse_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def parse_xlsx(response):
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def cell(rows, header_label, column_name, row_label):
    header = next(r for r in rows if r[1] == header_label)
    column = header.index(column_name)
    row = next(r for r in rows if r[1] == row_label)
    return row[column]


@pytest.mark.parametrize("parse,fmt", [(parse_csv, "csv"), (parse_xlsx, "xlsx")])
def test_projects_features_matrix_downloads_like_figure_1(client, parse, fmt):
    rows = parse(client.get("/projects/matrix/", {"format": fmt, "call": "SecurIT Open call 1"}))
    projects = next(r for r in rows if r[1] == "Project")[2:]
    assert len(projects) == 21 and "DIAC" in projects and "SYLVIA" not in projects
    assert cell(rows, "Project", "DIAC", "T2 Blockchain") == "Y"
    assert cell(rows, "Project", "DIAC", "T1 AI (ML)") == ""
    assert cell(rows, "Project", "ShowID", "T11 Biometry") == "Y"
    assert cell(rows, "Project", "Helia", "A-construction Construction") == "Y"
    assert cell(rows, "Project", "BIM2SIM", "Stage") == "Prototyping"
    assert cell(rows, "Project", "FusionSec", "Supporting cluster") == "L3CE"


def test_projects_matrix_page_shows_the_same_table(client):
    response = client.get("/projects/matrix/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "SECURVERSE" in html and '<th scope="row">SLAM <span class="row-count">' in html
    assert "format=xlsx" in html and "format=csv" in html


@pytest.mark.parametrize("parse,fmt", [(parse_csv, "csv"), (parse_xlsx, "xlsx")])
def test_instruments_features_matrix_downloads_like_figure_2(client, parse, fmt):
    make_instrument(
        "Prototype fund", ["D2", "G1"], origin="national", cover_level="national", country="LT"
    )
    rows = parse(client.get("/projects/instrument-matrix/", {"format": fmt}))
    assert cell(rows, "Name of the instrument", "Prototype fund", "D2 Prototype") == "Y"
    assert cell(rows, "Name of the instrument", "Prototype fund", "G1 Export support") == "Y"
    assert cell(rows, "Name of the instrument", "Prototype fund", "T1 AI (ML)") == ""
    assert cell(rows, "Name of the instrument", "Prototype fund", "Country") == "Lithuania"


def test_synthetic_instruments_stay_out_of_the_instrument_matrix(client):
    make_instrument("Made-up call", ["D2"], synthetic=True)
    rows = parse_csv(client.get("/projects/instrument-matrix/", {"format": "csv"}))
    assert "Made-up call" not in rows[0]


@pytest.mark.parametrize("parse,fmt", [(parse_csv, "csv"), (parse_xlsx, "xlsx")])
def test_exports_do_not_run_formulas(client, parse, fmt, users):
    make_project('=HYPERLINK("http://evil")', ["T1"])
    make_project("@SUM(1)", ["T1"])
    rows = parse(client.get("/projects/matrix/", {"format": fmt}))
    names = next(r for r in rows if r[1] == "Project")
    assert '\'=HYPERLINK("http://evil")' in names
    assert "'@SUM(1)" in names
    assert not any(str(c).startswith(("=", "@", "+", "-")) for row in rows for c in row)


def test_safe_cell_guards_every_formula_start_and_leaves_numbers_alone():
    for text in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("AI (ML)") == "AI (ML)"
    assert safe_cell(-3) == -3


def test_unknown_filter_codes_are_named_on_the_matrix_page(client):
    response = client.get("/projects/instrument-matrix/", {"feature": "Q9"})
    assert "Unknown feature code(s): Q9." in response.content.decode()


def test_instrument_matrix_filters_by_country_and_origin(client):
    make_instrument("Lithuanian vouchers", ["D2"], origin="national", country="LT")
    make_instrument("Danish vouchers", ["D2"], origin="national", country="DK")
    rows = parse_csv(
        client.get(
            "/projects/instrument-matrix/", {"country": "LT", "origin": "national", "format": "csv"}
        )
    )
    assert "Lithuanian vouchers" in rows[0] and "Danish vouchers" not in rows[0]
    assert set(next(r for r in rows if r[1] == "Country")[2:]) == {"Lithuania"}


def test_matrix_rows_by_feature_category_and_columns_by_call(client):
    html = client.get(
        "/projects/matrix/", {"category": "T", "call": "SecurIT Open call 1"}
    ).content.decode()
    assert "21 projects × " in html
    assert '<th scope="row">AI (ML) <span class="row-count">' in html
    assert '<th scope="row">Prototype <span' not in html  # development support rows left out
    assert "Rows: feature categories: Techniques" in html  # the chip, by label
    assert "Call: SecurIT Open call 1" in html
    # The download follows the same rows and columns.
    rows = parse_csv(
        client.get(
            "/projects/matrix/",
            {"category": "T", "call": "SecurIT Open call 1", "format": "csv"},
        )
    )
    labels = [r[1] for r in rows[4:]]
    assert labels and all(label.startswith("T") for label in labels)
    assert len(rows[0]) == 2 + 21


def test_matrix_can_leave_out_features_no_column_has(client):
    all_rows = client.get("/projects/matrix/", {"call": "SecurIT Open call 2"}).context["matrix"]
    used = client.get("/projects/matrix/", {"call": "SecurIT Open call 2", "used": "1"}).context[
        "matrix"
    ]
    assert len(used.rows) < len(all_rows.rows)
    assert all(row.count for row in used.rows)


def test_matrix_shows_dots_and_a_list_per_project(client):
    html = client.get("/projects/matrix/", {"view": "list"}).content.decode()
    assert 'class="list-results matrix-results view-list"' in html
    dot = '<span aria-hidden="true">●</span><span class="visually-hidden">yes</span>'
    assert f'<td class="y">{dot}</td>' in html
    assert ">Y<" not in html
    # The list: each project with its features by category, by label.
    assert '<dl class="matrix-features"><dt>Techniques</dt>' in html


def test_instrument_matrix_filters_columns_by_origin_with_counts(client):
    make_instrument("Lithuanian vouchers", ["D2"], origin="national", country="LT")
    response = client.get("/projects/instrument-matrix/", {"origin": "national"})
    html = response.content.decode()
    assert "Lithuanian vouchers" in html
    assert 'name="origin" value="national" checked> National' in html
    assert "Origin: National" in html
