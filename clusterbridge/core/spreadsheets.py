"""CSV and XLSX output that spreadsheet programs cannot execute (formula injection, OWASP
"CSV injection"): a text cell starting with = + - @ tab or carriage return is prefixed with
a quote, so it is shown as text instead of being evaluated (pretix's safe_openpyxl does the
same). Control characters are removed *before* that check: "\x01=HYPERLINK(…)" must not
slip past it and become a formula once the character is dropped. Every export goes through
`safe_cell` (`csv_response` / `xlsx_response` here, and the other exporters)."""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The characters XLSX cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE); tab, LF, CR stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """The value, with text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str):
        value = CONTROL_CHARACTERS.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell("" if value is None else value) for value in values]


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheet programs then read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return response


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet"
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(header, rows, title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
