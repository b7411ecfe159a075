"""The one spreadsheet writer (CSV and XLSX) for every download: the directory and record
exports, import templates, the feature matrices and match results.

Cells that spreadsheet programs cannot execute (formula injection, OWASP "CSV injection"): a
text cell starting with = + - @ tab or carriage return is prefixed with a quote, so it is
shown as text instead of being evaluated (pretix's safe_openpyxl does the same). Control
characters are removed *before* that check: "\\x01=HYPERLINK(…)" must not slip past it and
become a formula once the character is dropped. The import side takes the quote off again
(`interop.spreadsheet_safety`), so export → import is lossless."""

import csv
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse

from clusterbridge.core.validation import CONTROL_CHARACTERS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")


def safe_cell(value):
    """The value, with text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str):
        value = CONTROL_CHARACTERS.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell("" if value is None else value) for value in values]


@dataclass
class Table:
    """Rows of cells to show on a page or download: `header` rows first, then `rows`."""

    title: str
    header: list[list] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)

    def all_rows(self) -> list[list]:
        return [*self.header, *self.rows]


@dataclass
class Sheet:
    """One worksheet of an XLSX file; `header_rows` are bold and stay in view."""

    title: str
    rows: Iterable[Sequence]
    header_rows: int = 1
    frozen_columns: int = 0


def _csv_cell(value):
    return format(value, "f") if isinstance(value, Decimal) else value


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so spreadsheet programs read the accents."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in safe_row(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook, streamed row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        if spec.header_rows and spec.frozen_columns:
            corner = get_column_letter(spec.frozen_columns + 1) + str(spec.header_rows + 1)
            sheet.freeze_panes = corner
        for number, row in enumerate(spec.rows, start=1):
            cells = safe_row(row)
            if number <= spec.header_rows:
                styled = []
                for value in cells:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.font = bold
                    styled.append(cell)
                cells = styled
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_bytes(fmt: str, sheets: Sequence[Sheet]) -> bytes:
    """The file in `fmt`: an XLSX workbook of the sheets, or the first sheet as CSV."""
    return csv_bytes(sheets[0].rows) if fmt == "csv" else xlsx_bytes(sheets)


def download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def rows_response(
    fmt: str, filename: str, rows: Iterable[Sequence], *, title: str = "Sheet", **sheet
) -> HttpResponse:
    """A download of `rows` (header included) as `fmt` ("csv" or "xlsx")."""
    content = spreadsheet_bytes(fmt, [Sheet(title, rows, **sheet)])
    return download(content, f"{filename}.{fmt}", fmt)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    return download(csv_bytes(itertools.chain([header], rows)), filename, "csv")


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet"
) -> HttpResponse:
    return download(xlsx_bytes([Sheet(title, itertools.chain([header], rows))]), filename, "xlsx")


def table_download(table: Table, fmt: str, filename: str) -> HttpResponse | None:
    """The download of a matrix page for ?format=csv|xlsx, or None for the HTML page."""
    if fmt not in FORMATS:
        return None
    return rows_response(
        fmt,
        filename,
        table.all_rows(),
        title=table.title,
        header_rows=len(table.header),
        frozen_columns=2,
    )
