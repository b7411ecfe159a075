"""The filtered directory downloads as CSV and XLSX; cells that a spreadsheet would run as a
formula are made inert."""

import csv
import io

import openpyxl
import pytest

from clusterbridge.clusters import services
from clusterbridge.clusters.models import Cluster
from clusterbridge.core.spreadsheets import safe_cell

pytestmark = pytest.mark.django_db


def test_safe_cell_guards_every_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert safe_cell("Cluster") == "Cluster" and safe_cell(42) == 42 and safe_cell(None) is None


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))


def test_csv_has_the_filtered_clusters(client):
    response = client.get("/clusters/export.csv?country=FR&ecosystem=digital")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    expected = Cluster.objects.public().filter(country__code="FR", ecosystems__code="digital")
    assert sorted(r["Name"] for r in rows) == sorted(expected.values_list("name", flat=True))
    assert all(r["Country"] == "FR" and "digital" in r["Industrial ecosystems"] for r in rows)


def test_xlsx_parses_back_with_the_same_rows(client):
    response = client.get("/clusters/export.xlsx?country=SE")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    mobile = dict(zip(header, next(r for r in body if r[0] == "Mobile Heights"), strict=True))
    assert mobile["SME members"] == 91 and mobile["Quality label"] == "Gold"
    assert mobile["Label expires"] == "2026-10-31"
    assert mobile["Profile"].endswith("/clusters/mobile-heights/")
    assert len(body) == len(_csv_rows(client.get("/clusters/export.csv?country=SE")))


def test_formula_injection_is_guarded_in_both_formats(client, users):
    cluster = services.propose(
        users["member"],
        {
            "name": '=HYPERLINK("http://evil.example","Click")',
            "country": "IT",
            "region": "+39 region",
            "description": "@SUM(A1:A2)",
            "domains": ["-1+1", "\tcmd"],
        },
    )
    services.approve(cluster, users["admin"])
    rows = _csv_rows(client.get("/clusters/export.csv?country=IT"))
    evil = next(r for r in rows if "HYPERLINK" in r["Name"])
    assert evil["Name"].startswith("'=") and evil["Region"] == "'+39 region"
    assert evil["Vertical market / domains"] == "'-1+1; \tcmd"
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/clusters/export.xlsx?country=IT").content)
    ).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://evil.example","Click")' in names
    assert all(row[0].data_type != "f" for row in sheet.iter_rows(min_row=2))


def test_a_bad_filter_gives_no_file(client):
    response = client.get("/clusters/export.csv?country=ZZ")
    assert response.status_code == 400
    assert "Unknown country code(s): ZZ" in response.content.decode()
