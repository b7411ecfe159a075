"""Spreadsheets built to exhaust the server are refused quickly, with a message: a workbook
declaring the whole sheet (A1:XFD1048576) as its size, a compression bomb, too many rows or
columns. The hostile files are built here."""

import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from clusterbridge.funding.models import Instrument
from clusterbridge.interop import sheets
from clusterbridge.interop.sheet_import import import_sheet

pytestmark = pytest.mark.django_db


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "instruments"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite(raw: bytes, change) -> bytes:
    """The workbook with each part passed through change(name, data) → data."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for part in source.infolist():
            target.writestr(part.filename, change(part.filename, source.read(part.filename)))
    return out.getvalue()


ROWS = [("name", "origin"), ("Lying dimension call", "international")]


def lying_dimension() -> bytes:
    """A small workbook whose sheet claims to span every row and column Excel allows."""

    def change(name, data):
        if name.startswith("xl/worksheets/sheet"):
            start = data.index(b"<dimension ref=")
            end = data.index(b"/>", start)
            data = data[:start] + b'<dimension ref="A1:XFD1048576"' + data[end:]
        return data

    return rewrite(workbook_bytes(ROWS), change)


def compression_bomb(unpacked_mb: int = 300) -> bytes:
    """A valid workbook with one more part of `unpacked_mb` MB of zeros (≈0.3 MB packed)."""
    out = io.BytesIO(workbook_bytes(ROWS))
    chunk = b"\0" * 1_048_576
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/media/image1.bin", "w", force_zip64=True) as part,
    ):
        for _ in range(unpacked_mb):
            part.write(chunk)
    return out.getvalue()


def test_a_declared_dimension_of_the_whole_sheet_is_read_as_the_cells_it_holds(users):
    raw = lying_dimension()
    assert len(raw) < 8_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        rows = sheets.read_rows(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 20 * 1_048_576
    assert rows == [list(row) for row in ROWS]
    report = import_sheet("instruments", raw, user=users["editor"])
    assert report.ok and Instrument.objects.filter(name="Lying dimension call").exists()


def test_a_compression_bomb_is_refused_before_it_is_unpacked(users):
    raw = compression_bomb()
    assert len(raw) < 1_048_576  # ≈0.3 MB that would unpack to 300 MB
    tracemalloc.start()
    try:
        with pytest.raises(sheets.SheetFileError) as refused:
            import_sheet("instruments", raw, user=users["editor"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1_048_576
    message = str(refused.value)
    assert "unpacks to 300 MB" in message and "IMPORT_MAX_UNZIPPED_BYTES" in message
    assert not Instrument.all_objects.filter(name="Lying dimension call").exists()


def test_the_import_page_shows_the_reason(client_for, settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 5 * 1_048_576
    upload = io.BytesIO(compression_bomb(unpacked_mb=10))
    upload.name = "bomb.xlsx"
    response = client_for("editor").post(
        "/import/spreadsheet/", {"record_type": "instruments", "file": upload}
    )
    assert response.status_code == 400
    assert "IMPORT_MAX_UNZIPPED_BYTES" in response.content.decode()


def test_too_many_rows_are_refused_with_the_ceiling(users, settings):
    settings.IMPORT_MAX_ROWS = 10
    csv = "name,origin\n" + "".join(f"Call {n},international\n" for n in range(11))
    with pytest.raises(sheets.SheetFileError, match="more than 10 rows"):
        import_sheet("instruments", csv.encode(), user=users["editor"])
    rows = [("name", "origin")] + [(f"Call {n}", "international") for n in range(11)]
    with pytest.raises(sheets.SheetFileError, match="IMPORT_MAX_ROWS"):
        import_sheet("instruments", workbook_bytes(rows), user=users["editor"])
    assert not Instrument.all_objects.filter(name="Call 1").exists()


def test_too_many_columns_are_refused_but_empty_trailing_cells_do_not_count(users, settings):
    settings.IMPORT_MAX_COLUMNS = 20
    wide = ",".join(f"c{n}" for n in range(30))
    with pytest.raises(sheets.SheetFileError, match="more than 20 columns"):
        sheets.read_rows(f"{wide}\n".encode())
    padded = "name,origin" + "," * 40 + "\nPadded call,international" + "," * 40 + "\n"
    assert import_sheet("instruments", padded.encode(), user=users["editor"]).ok


def test_xml_is_parsed_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
