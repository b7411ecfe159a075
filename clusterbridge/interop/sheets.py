"""Spreadsheets both ways (CSV and XLSX) for every record type: what each column holds,
how a cell is read and written, and which column finds an existing record.

A record type is a list of `Column`s. Import reads every row, validates every cell and the
record as a whole, and reports each problem by row number (the header is row 1) and column
name; only a file without any problem is written, in one transaction, through the history.
Only the columns present in the file are written, so a sheet with just `identifier` and
`notes` updates notes and nothing else.
"""

import csv
import datetime
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from clusterbridge.accounts.roles import is_editor
from clusterbridge.core import spreadsheets
from clusterbridge.interop.spreadsheet_safety import unguard_cell
from clusterbridge.taxonomy.models import Country, Feature

LIST_SEPARATOR = ";"


class SheetFileError(ValueError):
    """The file as a whole cannot be read."""


class SheetPermissionError(SheetFileError):
    """The person may not import this type of record."""


class CellError(ValueError):
    pass


# Lookups shared by a whole import (one query each) --------------------------------------------
class Lookups:
    def __init__(self, user=None) -> None:
        self.user = user  # the importer, for readers whose choices depend on who imports
        self._countries: dict[str, Country] | None = None
        self._features: dict[str, Feature] | None = None
        self._terms: dict | None = None

    @staticmethod
    def _key(text: str) -> str:
        return " ".join(text.split()).casefold()

    def country(self, text: str) -> Country:
        if self._countries is None:
            self._countries = {}
            for country in Country.objects.all():
                for name in (country.code, country.label, country.alpha3):
                    if name:
                        self._countries.setdefault(self._key(name), country)
        found = self._countries.get(self._key(text))
        if found is None:
            raise CellError(f"unknown country “{text}”: give its ISO code (e.g. FI) or its name")
        return found

    def term(self, vocabulary: str, text: str):
        from clusterbridge.taxonomy.models import Term

        if self._terms is None:
            self._terms = {}
            for term in Term.objects.all():
                for name in (term.code, term.label):
                    self._terms.setdefault((term.vocabulary, self._key(name)), term)
        found = self._terms.get((vocabulary, self._key(text)))
        if found is None:
            raise CellError(
                f"unknown {vocabulary} entry “{text}”: give its code or label, as "
                "on the taxonomy page"
            )
        return found

    def feature(self, text: str) -> Feature:
        if self._features is None:
            self._features = {}
            for feature in Feature.objects.all():
                self._features.setdefault(self._key(feature.code), feature)
                self._features.setdefault(self._key(feature.label), feature)
                self._features.setdefault(self._key(f"{feature.code} {feature.label}"), feature)
        found = self._features.get(self._key(text))
        if found is None:
            raise CellError(
                f"unknown feature “{text}”: give its code (e.g. T1) or its label, "
                "as on the taxonomy page"
            )
        return found


# Cell readers (text → value, or CellError) ----------------------------------------------------
def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def read_text(text: str, lookups: Lookups) -> str:
    return text


def read_date(text: str, lookups: Lookups) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10] if "T" in text or " " in text else text)
    except ValueError:
        raise CellError(f"“{text}” is not a date written as YYYY-MM-DD (e.g. 2025-11-12)") from None


def read_dates(text: str, lookups: Lookups) -> list[str]:
    return [read_date(part, lookups).isoformat() for part in split_list(text)]


def read_decimal(text: str, lookups: Lookups) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(" ", "").replace("\u00a0", ""))
    except InvalidOperation:
        raise CellError(f"“{text}” is not a number (write 1500000.50, without currency)") from None
    if not value.is_finite():
        raise CellError(f"“{text}” is not a number")
    return value


def read_country(text: str, lookups: Lookups) -> Country | None:
    return lookups.country(text) if text else None


def read_features(text: str, lookups: Lookups) -> list[Feature]:
    return _many(text, lookups.feature)


def read_integer(text: str, lookups: Lookups) -> int | None:
    if not text:
        return None
    try:
        return int(text.replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        raise CellError(f"“{text}” is not a whole number") from None


def read_text_list(text: str, lookups: Lookups) -> list[str]:
    return split_list(text)


def read_countries(text: str, lookups: Lookups) -> list[Country]:
    return _many(text, lookups.country)


def _many(text: str, find) -> list:
    found, problems = [], []
    for part in split_list(text):
        try:
            found.append(find(part))
        except CellError as error:
            problems.append(str(error))
    if problems:
        raise CellError("; ".join(problems))
    return list(dict.fromkeys(found))


def terms_reader(vocabulary: str) -> Callable[[str, Lookups], list]:
    def read(text: str, lookups: Lookups) -> list:
        return _many(text, lambda part: lookups.term(vocabulary, part))

    return read


def choice_reader(choices) -> Callable[[str, Lookups], str]:
    by_name = {}
    for value, label in choices:
        by_name[str(value).casefold()] = value
        by_name[str(label).casefold()] = value

    def read(text: str, lookups: Lookups) -> str:
        if not text:
            return ""
        found = by_name.get(text.casefold())
        if found is None:
            allowed = ", ".join(str(v) for v, _ in choices)
            raise CellError(f"“{text}” is not one of: {allowed}")
        return found

    return read


# Cell writers (value → plain cell) -------------------------------------------------------------
def show(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return value
    if isinstance(value, list | tuple):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
    return value


@dataclass
class Column:
    name: str
    help: str
    example: str = ""
    required: bool = False
    read: Callable[[str, Lookups], Any] = read_text
    # How the value is taken from a record for export (default: the field of the same name).
    write: Callable[[Any], Any] | None = None
    m2m: bool = False
    editor_only: bool = False
    allowed: str = ""
    # Derived by the site (e.g. an instrument's status and why): exported so the file reads
    # on its own, left out of templates and ignored on import, so an export imports back.
    export_only: bool = False

    def value_of(self, obj) -> Any:
        if self.write is not None:
            return self.write(obj)
        return show(getattr(obj, self.name))


@dataclass
class RecordType:
    key: str
    label: str
    model: type[models.Model]
    columns: list[Column]
    # The column that finds an existing record, then the fallback when it is empty.
    key_columns: tuple[str, ...]
    # The records a user may export (the same records the public pages show them).
    queryset: Callable[[Any], models.QuerySet]
    filterset: Callable[[], type | None] = lambda: None
    # Who may import this type (the model's service checks each row as well).
    can_import: Callable[[Any], bool] = lambda user: is_editor(user)
    # Query string of the list page that selects every record (its default may not).
    all_query: str = ""

    @property
    def key_text(self) -> str:
        return ", else ".join(self.key_columns)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def import_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.export_only]

    def columns_for(self, *, editor: bool) -> list[Column]:
        return [c for c in self.columns if editor or not c.editor_only]

    def row_of(self, obj, columns: list[Column]) -> list[Any]:
        return [c.value_of(obj) for c in columns]


# Columns many record types share ---------------------------------------------------------------
def choice_column(name: str, help_text: str, example: str, choices, **kwargs) -> Column:
    """A column of one of `choices` (read by value or label; the template lists the values)."""
    return Column(
        name,
        help_text,
        example,
        read=choice_reader(choices),
        allowed=", ".join(str(value) for value, _ in choices),
        **kwargs,
    )


def country_column(help_text: str = "ISO code or name of the country.", example: str = ""):
    return Column("country", help_text, example, read=read_country, write=country_code)


def features_column(name: str = "features", example: str = "T1; P12; D2") -> Column:
    return Column(
        name,
        "Feature codes or labels separated by “;”.",
        example,
        read=read_features,
        write=codes_of(name),
        m2m=True,
    )


def codes_of(related: str) -> Callable[[Any], str]:
    def write(obj) -> str:
        return f"{LIST_SEPARATOR} ".join(f.code for f in getattr(obj, related).all())

    return write


def country_code(obj) -> str:
    return obj.country.code if obj.country_id else ""


# Reading files ---------------------------------------------------------------------------------
def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unguard_cell(str(value)).strip()


def read_rows(raw: bytes) -> list[list[str]]:
    """All rows (header first) of a CSV or XLSX file, as text, within the import ceilings
    (IMPORT_MAX_ROWS rows, IMPORT_MAX_COLUMNS columns, IMPORT_MAX_UNZIPPED_BYTES unpacked)."""
    if raw[:4] == b"PK\x03\x04":
        return _within_limits(_xlsx_rows(raw))
    if raw[:1] in (b"{", b"["):
        raise SheetFileError(
            "This is a JSON file, not a spreadsheet: portal files are imported "
            "on the EU portal import page."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetFileError(
            "The file is neither an XLSX workbook nor CSV text in UTF-8. In "
            "a spreadsheet program, save it as “CSV UTF-8” or XLSX."
        ) from None
    if "\x00" in text:
        raise SheetFileError("The file is not a CSV text file or an XLSX workbook.")
    # Only the delimiter is guessed (from the header: "," or ";" as some spreadsheet programs
    # write, or a tab); quoting is always the standard one.
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return _within_limits(reader)
    except csv.Error as error:
        raise SheetFileError(f"The CSV cannot be read: {error}.") from None


def _within_limits(rows) -> list[list[str]]:
    """Read rows one at a time, refusing the file as soon as it passes a ceiling."""
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    read: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        if number > max_rows + 1:  # + the header
            raise SheetFileError(
                f"The file has more than {max_rows:,} rows (IMPORT_MAX_ROWS): split it into "
                "several files and import them one after the other."
            )
        if len(row) > max_columns:
            # Trailing empty cells (a row formatted to the sheet's edge) do not count.
            row = list(row)
            while len(row) > max_columns and row[-1] in (None, ""):
                row.pop()
            if len(row) > max_columns:
                raise SheetFileError(
                    f"Row {number} has more than {max_columns} columns (IMPORT_MAX_COLUMNS): "
                    "the import format has one column per field, see the template."
                )
        read.append([_cell_text(v) for v in row])
    return read


def _check_unzipped_size(raw: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than IMPORT_MAX_UNZIPPED_BYTES, from
    the sizes the archive declares, before anything is unpacked (Python's zip reader never
    unpacks more than the declared size of a part)."""
    from zipfile import BadZipFile, ZipFile

    limit = settings.IMPORT_MAX_UNZIPPED_BYTES
    try:
        with ZipFile(io.BytesIO(raw)) as archive:
            total = sum(part.file_size for part in archive.infolist())
    except (BadZipFile, OSError, ValueError) as error:
        raise SheetFileError(f"The XLSX workbook cannot be opened ({error}).") from None
    if total > limit:
        raise SheetFileError(
            f"The XLSX workbook unpacks to {total / 1_048_576:,.0f} MB, more than the "
            f"{limit / 1_048_576:,.0f} MB accepted (IMPORT_MAX_UNZIPPED_BYTES): it is not an "
            "ordinary spreadsheet. Save the records as CSV, or split them."
        )


def _xlsx_rows(raw: bytes):
    """The rows of the first sheet of records, streamed (openpyxl's read-only mode, which
    parses its XML through defusedxml when installed, as it is here)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    _check_unzipped_size(raw)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise SheetFileError(f"The XLSX workbook cannot be opened ({error}).") from None
    try:
        sheets = [s for s in workbook.worksheets if s.title.casefold() != "readme"]
        if not sheets:
            raise SheetFileError("The workbook has no sheet of records.")
        sheet = sheets[0]
        # The dimension a file declares (e.g. A1:XFD1048576) is not trusted: without it the
        # reader yields the cells the file holds instead of padding every row and column to it.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


# Record types ----------------------------------------------------------------------------------
_REGISTRY: dict[str, Callable[[], RecordType]] = {}


def register(key: str):
    """Register a record type's factory (called by the app that owns the records, from its
    `AppConfig.ready()`: interop imports none of them)."""

    def decorate(factory: Callable[[], RecordType]):
        _REGISTRY[key] = factory
        return factory

    return decorate


def available_types() -> list[RecordType]:
    """The record types of the installed apps."""
    return [factory() for factory in _REGISTRY.values()]


def get_type(key: str) -> RecordType | None:
    factory = _REGISTRY.get(key)
    return factory() if factory else None


def record_type_choices() -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in available_types()]


def rows_for_export(record_type: RecordType, queryset, *, editor: bool):
    columns = record_type.columns_for(editor=editor)
    header = [c.name for c in columns]
    return header, (record_type.row_of(obj, columns) for obj in queryset.iterator(chunk_size=500))


def export_bytes(record_type: RecordType, queryset, fmt: str, *, editor: bool) -> bytes:
    """The records as a CSV or XLSX file in the import format (a sheet named by the type)."""
    header, rows = rows_for_export(record_type, queryset, editor=editor)
    sheet = spreadsheets.Sheet(record_type.key, itertools.chain([header], rows))
    return spreadsheets.spreadsheet_bytes(fmt, [sheet])


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            name: [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    return {"__all__": error.messages}
