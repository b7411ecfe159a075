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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import import_module
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from clusterbridge.accounts.roles import is_editor
from clusterbridge.interop.spreadsheet_safety import guard_cell, unguard_cell
from clusterbridge.taxonomy.models import Country, Feature

LIST_SEPARATOR = ";"


class SheetFileError(ValueError):
    """The file as a whole cannot be read."""


class CellError(ValueError):
    pass


# Lookups shared by a whole import (one query each) --------------------------------------------
class Lookups:
    def __init__(self) -> None:
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
    # Who may import this type (the model's own policy is checked for each row as well).
    can_import: Callable[[Any], bool] = lambda user: is_editor(user)
    # Fills what a new record needs beyond its columns (e.g. its owner).
    on_create: Callable[[Any, Any], None] | None = None
    # Called with (record, changed field names, user, note) for each row that changes a record.
    on_change: Callable[[Any, list[str], Any, str], None] | None = None
    # Query string of the list page that selects every record (its default may not).
    all_query: str = ""

    @property
    def key_text(self) -> str:
        return ", else ".join(self.key_columns)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def columns_for(self, *, editor: bool) -> list[Column]:
        return [c for c in self.columns if editor or not c.editor_only]

    def row_of(self, obj, columns: list[Column]) -> list[Any]:
        return [c.value_of(obj) for c in columns]


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
    """All rows (header first) of a CSV or XLSX file, as text."""
    if raw[:4] == b"PK\x03\x04":
        return _xlsx_rows(raw)
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
        return [[_cell_text(v) for v in row] for row in reader]
    except csv.Error as error:
        raise SheetFileError(f"The CSV cannot be read: {error}.") from None


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise SheetFileError(f"The XLSX workbook cannot be opened ({error}).") from None
    try:
        sheets = [s for s in workbook.worksheets if s.title.casefold() != "readme"]
        if not sheets:
            raise SheetFileError("The workbook has no sheet of records.")
        return [[_cell_text(v) for v in row] for row in sheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


# Writing files ---------------------------------------------------------------------------------
def write_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([guard_cell(_csv_value(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def write_xlsx(sheets: list[tuple[str, list[str], Iterable[list[Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            # openpyxl refuses control characters; they are dropped rather than fail.
            sheet.append(
                [
                    ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                    for v in (guard_cell(c) for c in row)
                ]
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Record types ----------------------------------------------------------------------------------
_REGISTRY: dict[str, Callable[[], RecordType]] = {}


def register(key: str):
    def decorate(factory: Callable[[], RecordType]):
        _REGISTRY[key] = factory
        return factory

    return decorate


def available_types() -> list[RecordType]:
    """The record types whose app is installed (projects and clusters come with their apps)."""
    return [t for t in (factory() for factory in _REGISTRY.values()) if t is not None]


def get_type(key: str) -> RecordType | None:
    factory = _REGISTRY.get(key)
    return factory() if factory else None


def record_type_choices() -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in available_types()]


@register("instruments")
def instruments() -> RecordType:
    from clusterbridge.funding.models import Instrument

    I = Instrument  # noqa: E741, N806
    return RecordType(
        key="instruments",
        label="Funding instruments",
        model=Instrument,
        key_columns=("identifier", "name"),
        queryset=lambda user: (
            Instrument.objects.real()
            .select_related("country")
            .prefetch_related("features")
            .order_by("name", "pk")
        ),
        filterset=_instrument_filterset,
        all_query="status=all",
        columns=[
            Column(
                "identifier",
                "Unique id, e.g. the EU portal topic id. Finds the record to "
                "update; when empty, the name does.",
                "HORIZON-CL3-2025-CS-ECCC-01",
            ),
            Column(
                "name",
                "Name of the programme or call.",
                "Generative AI for cybersecurity",
                required=True,
            ),
            Column(
                "kind",
                "programme or call.",
                "call",
                read=choice_reader(I.Kind.choices),
                allowed="programme, call",
            ),
            Column("source", "Source / funding body.", "Horizon Europe (HORIZON)"),
            Column(
                "origin",
                "national or international.",
                "international",
                required=True,
                read=choice_reader(I.Origin.choices),
                allowed="national, international",
            ),
            Column(
                "cover_level",
                "eu, national or regional.",
                "eu",
                read=choice_reader(I.CoverLevel.choices),
                allowed="eu, national, regional",
            ),
            Column(
                "country",
                "ISO code or name of the country (empty for EU-wide).",
                "",
                read=read_country,
                write=country_code,
            ),
            Column("link", "Web address of the call.", "https://example.org/call"),
            Column("target_organisations", "Who may apply.", "SMEs; research organisations"),
            Column("international_funding", "International funding possibilities.", ""),
            Column("target_scope", "What the call funds.", "AI-based threat detection"),
            Column(
                "budget_amount",
                "Budget as a number, without currency.",
                "20000000",
                read=read_decimal,
            ),
            Column("budget_currency", "Three-letter currency code.", "EUR"),
            Column(
                "periodicity",
                "one-off, recurring or continuous.",
                "one-off",
                read=choice_reader(I.Periodicity.choices),
                allowed="one-off, recurring, continuous",
            ),
            Column("opening_date", "Opening date, YYYY-MM-DD.", "2025-06-12", read=read_date),
            Column(
                "deadline_dates",
                "Cut-off dates, YYYY-MM-DD, separated by “;”.",
                "2025-11-12; 2026-03-12",
                read=read_dates,
            ),
            Column("description", "What the call is about.", "Projects are expected to …"),
            Column(
                "features",
                "Feature codes or labels separated by “;”.",
                "T1; P12; D2",
                read=read_features,
                write=codes_of("features"),
                m2m=True,
            ),
            Column(
                "source_status",
                "Status stated by the source: forthcoming, open or closed "
                "(the site derives its own status from the dates).",
                "open",
                read=choice_reader([(s, s) for s in ("forthcoming", "open", "closed")]),
            ),
            Column("notes", "Editorial notes.", "", editor_only=True),
        ],
    )


def _instrument_filterset():
    return _optional_class("clusterbridge.funding.filtersets", "InstrumentFilterSet")


@register("strategic-documents")
def strategic_documents() -> RecordType:
    from clusterbridge.funding.models import StrategicDocument

    return RecordType(
        key="strategic-documents",
        label="Strategic documents",
        model=StrategicDocument,
        key_columns=("name",),
        queryset=lambda user: (
            StrategicDocument.objects.filter(is_synthetic=False)
            .select_related("country")
            .prefetch_related("priorities")
            .order_by("name", "pk")
        ),
        columns=[
            Column(
                "name",
                "Name of the strategy; finds the record to update.",
                "National Cybersecurity Strategy",
                required=True,
            ),
            Column("issuer", "Who issued it.", "Ministry of Transport and Communications"),
            Column(
                "country",
                "ISO code or name of the country (empty for EU-wide).",
                "FI",
                read=read_country,
                write=country_code,
            ),
            Column("link", "Web address.", "https://example.org/strategy"),
            Column("period", "Period it covers.", "2021–2027"),
            Column("description", "What it is about.", ""),
            Column(
                "priorities",
                "Feature codes or labels separated by “;”.",
                "P12; G3",
                read=read_features,
                write=codes_of("priorities"),
                m2m=True,
            ),
            Column("notes", "Editorial notes.", "", editor_only=True),
        ],
    )


def rows_for_export(record_type: RecordType, queryset, *, editor: bool):
    columns = record_type.columns_for(editor=editor)
    header = [c.name for c in columns]
    return header, (record_type.row_of(obj, columns) for obj in queryset.iterator(chunk_size=500))


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            name: [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    return {"__all__": error.messages}


@register("projects")
def projects() -> RecordType | None:
    try:
        from clusterbridge.projects.models import Project, Stage, Visibility
    except ImportError:
        return None

    def set_owner(obj, user) -> None:
        if user is not None and user.is_authenticated:
            obj.owner = user

    return RecordType(
        key="projects",
        label="Projects",
        model=Project,
        key_columns=("name",),
        queryset=lambda user: (
            Project.objects.visible_to(user)
            .real()
            .select_related("country")
            .prefetch_related("features")
            .order_by("call", "name", "pk")
        ),
        filterset=lambda: _optional_class("clusterbridge.projects.filtersets", "ProjectFilterSet"),
        on_create=set_owner,
        columns=[
            Column(
                "name",
                "Name or acronym of the project; finds the record to update.",
                "SECURVERSE",
                required=True,
            ),
            Column("organisation", "Organisation that runs it.", "Example Oy"),
            Column(
                "country",
                "ISO code or name of the country.",
                "FI",
                read=read_country,
                write=country_code,
            ),
            Column(
                "stage",
                "idea, prototyping, demonstrator, pilot or market.",
                "prototyping",
                read=choice_reader(Stage.choices),
                allowed=", ".join(v for v, _ in Stage.choices),
            ),
            Column("description", "What the solution does.", ""),
            Column(
                "features",
                "Feature codes or labels separated by “;”.",
                "T1; P12; D2",
                read=read_features,
                write=codes_of("features"),
                m2m=True,
            ),
            Column(
                "visibility",
                "public or private (private: only its owner and administrators see it).",
                "public",
                read=choice_reader(Visibility.choices),
                allowed=", ".join(v for v, _ in Visibility.choices),
            ),
            Column("call", "The call that funded it.", "SecurIT Open call 1"),
            Column("supporting_cluster", "Cluster that supported it.", ""),
            Column("owner_cluster", "Name or slug of the cluster that owns it.", ""),
        ],
    )


@register("clusters")
def clusters() -> RecordType | None:
    try:
        from clusterbridge.clusters.models import Cluster, LabelLevel, Status
    except ImportError:
        return None
    from clusterbridge.accounts.roles import is_admin
    from clusterbridge.taxonomy.models import Vocabulary

    def visible(user):
        queryset = Cluster.objects.real() if is_admin(user) else Cluster.objects.public()
        return (
            queryset.select_related("country")
            .prefetch_related("countries", "sectors", "ecosystems", "technologies", "services")
            .order_by("name", "pk")
        )

    def terms(name: str, vocabulary: str, example: str) -> Column:
        return Column(
            name,
            f"{Vocabulary(vocabulary).label}: codes or labels separated by “;”.",
            example,
            read=terms_reader(vocabulary),
            write=codes_of(name),
            m2m=True,
        )

    def number(name: str, help_text: str, example: str = "") -> Column:
        return Column(name, help_text, example, read=read_integer)

    return RecordType(
        key="clusters",
        label="Clusters",
        model=Cluster,
        key_columns=("slug", "name"),
        queryset=visible,
        filterset=lambda: _optional_class("clusterbridge.clusters.filtersets", "ClusterFilterSet"),
        # Cluster profiles are moderated; a bulk import bypasses moderation, so only
        # administrators may run it.
        can_import=lambda user: is_admin(user),
        on_change=mark_cluster_sources,
        columns=[
            Column(
                "slug",
                "Address name of the profile; finds the record to update (made from "
                "the name when empty).",
                "",
            ),
            Column(
                "name", "Name of the cluster organisation.", "Example Cyber Cluster", required=True
            ),
            Column(
                "country",
                "ISO code or name of the country.",
                "FI",
                read=read_country,
                write=country_code,
            ),
            Column(
                "countries",
                "Further countries of a cross-border cluster, “;”-separated.",
                "",
                read=read_countries,
                write=codes_of("countries"),
                m2m=True,
            ),
            Column("region", "Region.", "Uusimaa"),
            Column("city", "City.", "Helsinki"),
            Column("description", "What the cluster is.", ""),
            Column("mission", "Its mission.", ""),
            Column("member_benefits", "What members get.", ""),
            Column("contact_email", "The organisation's public e-mail.", "info@example.org"),
            Column("contact_phone", "The organisation's public phone.", ""),
            Column("contact_form_url", "Address of a contact web form.", ""),
            Column("website", "Web site.", "https://example.org"),
            number("founding_year", "Year founded.", "2012"),
            number("members_total", "Number of members.", "120"),
            number("members_sme", "SME members."),
            number("members_large", "Large-firm members."),
            number("members_research", "Research-organisation members."),
            terms("sectors", Vocabulary.SECTORS, ""),
            terms("ecosystems", Vocabulary.ECOSYSTEMS, ""),
            terms("technologies", Vocabulary.TECHNOLOGIES, ""),
            terms("services", Vocabulary.CLUSTER_SERVICES, ""),
            Column(
                "domains",
                "Vertical markets / domains, “;”-separated.",
                "Energy; Health",
                read=read_text_list,
            ),
            Column(
                "label_level",
                "Quality label: bronze, silver or gold.",
                "",
                read=choice_reader(LabelLevel.choices),
                allowed="bronze, silver, gold",
            ),
            Column("label_issued", "Date the label was issued, YYYY-MM-DD.", "", read=read_date),
            Column("label_expires", "Date the label expires, YYYY-MM-DD.", "", read=read_date),
            Column(
                "status",
                "draft, pending, published or withdrawn.",
                "published",
                read=choice_reader(Status.choices),
                allowed=", ".join(v for v, _ in Status.choices),
            ),
        ],
    )


def mark_cluster_sources(cluster, fields: list[str], user, note: str) -> None:
    """Like an edit on the site, an imported field is sourced from the import and the person
    who ran it, no longer from a document (the clusters app's `field_sources`)."""
    sources = dict(cluster.field_sources or {})
    stamp = {
        "document": note,
        "user": user.get_username() if user is not None and user.is_authenticated else "",
        "date": timezone.localdate().isoformat(),
    }
    for name in fields:
        if name not in ("field_sources", "slug", "search_text", "size_members"):
            sources[name] = [stamp]
    cluster.field_sources = sources


def _optional_class(module: str, name: str):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None
