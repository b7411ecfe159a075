"""Spreadsheet exports (CSV and XLSX) of the matrix pages.

Text that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return before one) is prefixed with an apostrophe, as pretix's safe_openpyxl does."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from clusterbridge.core.spreadsheets import XLSX_TYPE, safe_cell

FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    """A matrix as rows of cells: `header` rows first, then `rows`."""

    title: str
    header: list[list] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)

    def all_rows(self) -> list[list]:
        return [*self.header, *self.rows]


def csv_response(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table.all_rows():
        writer.writerow([safe_cell("" if cell is None else cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    bold = Font(bold=True)
    for number, row in enumerate(table.all_rows(), start=1):
        sheet.append([safe_cell(cell) for cell in row])
        if number <= len(table.header):
            for cell in sheet[number]:
                cell.font = bold
    sheet.freeze_panes = sheet.cell(row=len(table.header) + 1, column=3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export(table: Table, export_format: str, filename: str) -> HttpResponse | None:
    """The download for ?format=csv|xlsx, or None for the HTML page."""
    if export_format == "csv":
        return csv_response(table, filename)
    if export_format == "xlsx":
        return xlsx_response(table, filename)
    return None


def mark(present: bool) -> str:
    return "Y" if present else ""


def join(values: Sequence[str]) -> str:
    return ", ".join(v for v in values if v)
