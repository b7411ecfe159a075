"""Spreadsheets both ways: export → import gives the same records, every problem is reported
by row and column and nothing is written, formula injection is guarded."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.funding import portal_import as calls
from clusterbridge.funding.filtersets import InstrumentFilterSet
from clusterbridge.funding.models import Instrument, StrategicDocument
from clusterbridge.interop import sheets
from clusterbridge.interop.sheet_import import import_sheet
from clusterbridge.taxonomy.models import Feature

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "portal"
GENAI = "HORIZON-CL3-2025-CS-ECCC-01"


def state(model, field_name):
    return {
        obj.pk: (
            history.snapshot(obj, with_m2m=False),
            sorted(getattr(obj, field_name).values_list("code", flat=True)),
        )
        for obj in model.objects.filter(is_synthetic=False)
    }


def export(client, record_type, fmt, query=""):
    response = client.get(reverse("interop:export", args=[record_type, fmt]) + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(raw: bytes):
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def calls_loaded(db):
    calls.import_calls((DATA / "search_results.json").read_bytes())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "record_type, model, m2m",
    [
        ("instruments", Instrument, "features"),
        ("strategic-documents", StrategicDocument, "priorities"),
    ],
)
def test_export_then_import_gives_the_same_records(
    fmt, record_type, model, m2m, calls_loaded, client_for, users
):
    editor = client_for("editor")
    exported = export(editor, record_type, fmt, "?status=all")
    original = state(model, m2m)
    # Change every record a little, then bring them back from the export.
    for obj in model.objects.filter(is_synthetic=False):
        obj.description = (obj.description + " (edited)").strip()
        obj.notes = "to be undone"
        history.save(obj, user=users["editor"], m2m={m2m: []})

    report = import_sheet(record_type, exported, user=users["editor"])

    assert report.ok, report.errors[:5]
    assert report.created == 0 and report.updated == len(original)
    assert state(model, m2m) == original
    # A second import of the same file changes nothing and writes no history.
    changes = ObjectChange.objects.count()
    again = import_sheet(record_type, exported, user=users["editor"])
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": len(original), "errors": 0}
    assert ObjectChange.objects.count() == changes


def test_the_export_lists_codes_countries_and_dates(calls_loaded, client_for, users):
    genai = Instrument.objects.get(identifier=GENAI)
    history.save(
        genai,
        user=users["editor"],
        m2m={"features": list(Feature.objects.filter(code__in=["T1", "D2"]))},
    )
    rows = {
        r["identifier"]: r
        for r in csv_rows(export(client_for("anonymous"), "instruments", "csv", "?status=all"))
    }

    row = rows[GENAI]
    assert set(row["features"].split("; ")) == {"T1", "D2"}
    assert rows["DIGITAL-ECCC-2025-DEPLOY-CYBER-08-SOC"]["deadline_dates"] == (
        "2025-03-26; 2025-09-30; 2026-01-21"
    )
    assert row["budget_amount"] == "20000000.00" and row["opening_date"] == "2025-06-12"
    assert "notes" not in row  # editorial notes are for editors only
    assert "notes" in csv_rows(export(client_for("editor"), "instruments", "csv"))[0]


def test_the_export_gives_the_programme_period_and_why_each_status(calls_loaded, client_for, users):
    programme = Instrument.objects.create(
        name="Horizon 2020",
        kind=Instrument.Kind.PROGRAMME,
        origin=Instrument.Origin.INTERNATIONAL,
        period_start=datetime.date(2014, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    over = Instrument.objects.create(
        name="SecurIT Open Calls",
        kind=Instrument.Kind.CALL,
        origin=Instrument.Origin.INTERNATIONAL,
        closed_reason="seed 001 L546: the open calls were completed",
    )
    rows = {
        r["name"]: r
        for r in csv_rows(export(client_for("anonymous"), "instruments", "csv", "?status=all"))
    }

    row = rows[programme.name]
    assert (row["period_start"], row["period_end"]) == ("2014-01-01", "2020-12-31")
    assert row["status"] == "closed"
    assert row["status_reason"] == "Closed: the programme period ended on 2020-12-31."
    row = rows[over.name]
    assert row["closed_reason"] == "seed 001 L546: the open calls were completed"
    assert row["status_reason"] == "Closed: seed 001 L546: the open calls were completed"
    # The period and the closing reason import back; the derived columns are ignored.
    raw = (
        b"name,origin,period_start,period_end,closed_reason,status,status_reason\n"
        b"FP7,international,2007-01-01,2013-12-31,,open,anything\n"
    )
    report = import_sheet("instruments", raw, user=users["editor"])
    assert report.ok, report.errors
    fp7 = Instrument.objects.get(name="FP7")
    assert fp7.period_end == datetime.date(2013, 12, 31) and fp7.status_on() == "closed"


def test_cells_that_look_like_formulas_are_exported_as_text_and_read_back(
    calls_loaded, client_for, users
):
    genai = Instrument.objects.get(identifier=GENAI)
    genai.description = '=HYPERLINK("http://evil.example","click")'
    genai.target_scope = "-5 % for SMEs"
    genai.source = "@funding body"
    history.save(genai, user=users["editor"])

    raw_csv = export(client_for("editor"), "instruments", "csv", "?status=all")
    row = next(r for r in csv_rows(raw_csv) if r["identifier"] == GENAI)
    assert row["description"].startswith("'=HYPERLINK")
    assert row["target_scope"] == "'-5 % for SMEs" and row["source"] == "'@funding body"

    raw_xlsx = export(client_for("editor"), "instruments", "xlsx", "?status=all")
    sheet = load_workbook(io.BytesIO(raw_xlsx)).active
    header = [c.value for c in sheet[1]]
    values = next(
        dict(zip(header, [c.value for c in r], strict=True))
        for r in sheet.iter_rows(min_row=2)
        if r[0].value == GENAI
    )
    assert values["description"].startswith("'=") and sheet.cell(1, 1).data_type == "s"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)

    for raw in (raw_csv, raw_xlsx):
        import_sheet("instruments", raw, user=users["editor"])
        genai.refresh_from_db()
        assert genai.description == '=HYPERLINK("http://evil.example","click")'
        assert genai.target_scope == "-5 % for SMEs"


def test_the_export_uses_the_query_of_the_funding_search(calls_loaded, client_for):
    anonymous = client_for("anonymous")
    found = csv_rows(export(anonymous, "instruments", "csv", "?q=Security+Operation&status=all"))
    query = {"q": "Security Operation", "status": "all"}
    assert [r["name"] for r in found] == list(
        InstrumentFilterSet(query).qs.values_list("name", flat=True)
    )
    assert "DIGITAL-ECCC-2025-DEPLOY-CYBER-08-SOC" in {r["identifier"] for r in found}
    assert len(found) < Instrument.objects.real().count()
    # Without parameters, the same default as the page: open instruments only.
    default = {r["name"] for r in csv_rows(export(anonymous, "instruments", "csv"))}
    page = anonymous.get(reverse("funding:search"))
    assert page.status_code == 200
    assert default == set(InstrumentFilterSet({}).qs.values_list("name", flat=True))
    assert GENAI not in default  # closed: its deadline has passed
    bad = anonymous.get(reverse("interop:export", args=["instruments", "csv"]) + "?country=XX")
    assert bad.status_code == 400 and "XX" in bad.content.decode()


def test_rows_create_and_update_by_identifier_or_name(users):
    raw = (
        b"identifier,name,origin,country,features,deadline_dates,budget_amount\n"
        b"NAT-FI-2025-01,Business Finland Innovation Voucher,national,Finland,T1; Prototype,"
        b"2025-12-31,5000\n"
        b",Regional cyber vouchers,national,FI,,,\n"
    )
    report = import_sheet("instruments", raw, user=users["editor"])
    assert report.counts() == {"created": 2, "updated": 0, "unchanged": 0, "errors": 0}
    voucher = Instrument.objects.get(identifier="NAT-FI-2025-01")
    assert voucher.country.code == "FI" and voucher.final_deadline.isoformat() == "2025-12-31"
    # By code or by label ("Prototype" is D2).
    assert sorted(voucher.features.values_list("code", flat=True)) == ["D2", "T1"]
    assert history.history_of(voucher).get().action == "import"

    update = (
        b"identifier,name,notes\n"
        b"NAT-FI-2025-01,Business Finland Innovation Voucher 2025,checked\n"
        b",Regional cyber vouchers,also checked\n"
    )
    report = import_sheet("instruments", update, user=users["editor"])
    assert report.counts() == {"created": 0, "updated": 2, "unchanged": 0, "errors": 0}
    voucher.refresh_from_db()
    assert voucher.name.endswith("2025") and voucher.notes == "checked"
    assert voucher.features.count() == 2  # the file has no features column: kept
    assert Instrument.objects.get(name="Regional cyber vouchers").notes == "also checked"


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_written(users):
    raw = (
        b"identifier,name,origin,country,features,opening_date,deadline_dates,link,budget_amount\n"
        b"OK-1,A good row,national,FI,T1,2025-01-01,2025-12-31,https://example.org,100\n"
        b"BAD-1,Bad country,national,Atlantis,T1,,,,\n"
        b"BAD-2,Bad feature,national,FI,T1; Z99,,,,\n"
        b"BAD-3,Bad date,national,FI,,31/12/2025,2025-13-01,,\n"
        b"BAD-4,,national,FI,,,,not a link,ten\n"
        b"OK-1,Same identifier twice,international,,,,,,\n"
    )
    before = (Instrument.all_objects.count(), ObjectChange.objects.count())

    report = import_sheet("instruments", raw, user=users["editor"])

    problems = {(p.row, p.column) for p in report.errors}
    assert problems == {
        (3, "country"),
        (4, "features"),
        (5, "opening_date"),
        (5, "deadline_dates"),
        (6, "name"),
        (6, "link"),
        (6, "budget_amount"),
        (7, "identifier"),
    }
    messages = {(p.row, p.column): p.message for p in report.errors}
    assert "unknown country “Atlantis”" in messages[(3, "country")]
    assert "unknown feature “Z99”" in messages[(4, "features")]
    assert "YYYY-MM-DD" in messages[(5, "opening_date")]
    assert "already on row 2" in messages[(7, "identifier")]
    assert (Instrument.all_objects.count(), ObjectChange.objects.count()) == before
    assert not report.ok and "nothing was imported" in report.summary()


def test_model_rules_are_checked_for_each_row(users):
    raw = b"identifier,name,origin,link\nX-1,,national,not a link\nX-2,Fine,galactic,\n"
    report = import_sheet("instruments", raw, user=users["editor"])
    problems = {(p.row, p.column) for p in report.errors}
    # A national instrument needs its country (the funding model's own rule).
    assert problems == {(2, "name"), (2, "link"), (2, "country"), (3, "origin")}
    assert not Instrument.all_objects.filter(identifier__in=["X-1", "X-2"]).exists()


def test_unknown_columns_and_unreadable_files_are_refused(users):
    report = import_sheet("instruments", b"identifier,name,colour\nA,B,red\n", user=users["editor"])
    assert [(p.row, p.column) for p in report.errors] == [(1, "colour")]
    with pytest.raises(sheets.SheetFileError, match="UTF-8"):
        import_sheet("instruments", "name\nCafé\n".encode("latin-1"), user=users["editor"])
    with pytest.raises(sheets.SheetFileError, match="XLSX"):
        import_sheet("instruments", b"PK\x03\x04broken", user=users["editor"])
    with pytest.raises(sheets.SheetFileError, match="JSON"):
        import_sheet("instruments", b'{"results": []}', user=users["editor"])


def test_xlsx_dates_and_semicolon_csv_are_read(users):
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "origin", "country", "opening_date"])
    sheet.append(["Dated in Excel", "national", "FI", datetime.datetime(2025, 3, 1)])
    out = io.BytesIO()
    workbook.save(out)
    assert import_sheet("instruments", out.getvalue(), user=users["editor"]).created == 1
    assert Instrument.objects.get(name="Dated in Excel").opening_date == datetime.date(2025, 3, 1)

    raw = b"name;origin;country\nSemicolon call;national;Finland\n"
    assert import_sheet("instruments", raw, user=users["editor"]).created == 1


@pytest.mark.parametrize(
    "record_type", ["instruments", "strategic-documents", "projects", "clusters"]
)
def test_the_templates_document_every_column(record_type, client_for, users):
    client = client_for("editor")
    response = client.get(reverse("interop:template", args=[record_type, "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    records, readme = workbook.worksheets[0], workbook["README"]
    header = [c.value for c in records[1]]
    assert header == [c.name for c in sheets.get_type(record_type).import_columns]
    assert records.max_row == 2  # header and one example row
    documented = {row[0].value for row in readme.iter_rows(min_row=2) if row[0].value}
    assert set(header) <= documented

    csv_template = client.get(reverse("interop:template", args=[record_type, "csv"])).content
    rows = list(csv.reader(io.StringIO(csv_template.decode("utf-8-sig"))))
    assert rows[0] == header and len(rows) == 2
    # The example row is itself a valid import.
    report = import_sheet(record_type, csv_template, user=users["admin"], dry_run=True)
    assert report.ok, report.errors


def test_the_spreadsheet_page_shows_problems_with_row_and_column(client_for):
    raw = b"name,origin,country\nA call,national,Atlantis\n"
    response = client_for("editor").post(
        reverse("interop:spreadsheet"),
        {"record_type": "instruments", "file": SimpleUploadedFile("calls.csv", raw)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Problems found" in page
    assert '<td data-label="Row">2</td><td data-label="Column">country</td>' in page
    assert "unknown country" in page and not response.context.get("commit_form")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_reads_a_constant_number_of_queries(
    fmt, calls_loaded, client_for, django_assert_max_num_queries
):
    client = client_for("editor")
    assert Instrument.objects.real().count() > 50
    with django_assert_max_num_queries(12):
        export(client, "instruments", fmt)


def test_quotes_commas_and_line_breaks_survive_a_csv_round_trip(calls_loaded, client_for, users):
    genai = Instrument.objects.get(identifier=GENAI)
    genai.description = 'The call says "SMEs, too".\nSecond line; with a semicolon.'
    history.save(genai, user=users["editor"])
    exported = export(client_for("editor"), "instruments", "csv", "?status=all")
    genai.description = "changed"
    history.save(genai, user=users["editor"])

    assert import_sheet("instruments", exported, user=users["editor"]).ok
    genai.refresh_from_db()
    assert genai.description == 'The call says "SMEs, too".\nSecond line; with a semicolon.'
