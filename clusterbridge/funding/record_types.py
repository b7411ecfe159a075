"""The spreadsheet record types of funding (instruments, strategic documents) and its
portal import, registered with interop (funding/apps.py): their columns, the column that
finds an existing record, and which records an export shows."""

from clusterbridge.funding.filtersets import InstrumentFilterSet
from clusterbridge.funding.models import Instrument, StrategicDocument
from clusterbridge.interop.file_imports import FileImport
from clusterbridge.interop.file_imports import register as register_file_import
from clusterbridge.interop.sheets import (
    Column,
    RecordType,
    choice_column,
    choice_reader,
    country_column,
    features_column,
    read_date,
    read_dates,
    read_decimal,
    register,
)


@register("instruments")
def instruments() -> RecordType:
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
        filterset=lambda: InstrumentFilterSet,
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
            choice_column("kind", "programme or call.", "call", Instrument.Kind.choices),
            Column("source", "Source / funding body.", "Horizon Europe (HORIZON)"),
            choice_column(
                "origin",
                "national or international.",
                "international",
                Instrument.Origin.choices,
                required=True,
            ),
            choice_column(
                "cover_level", "eu, national or regional.", "eu", Instrument.CoverLevel.choices
            ),
            country_column("ISO code or name of the country (empty for EU-wide)."),
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
            choice_column(
                "periodicity",
                "one-off, recurring or continuous.",
                "one-off",
                Instrument.Periodicity.choices,
            ),
            Column("opening_date", "Opening date, YYYY-MM-DD.", "2025-06-12", read=read_date),
            Column(
                "deadline_dates",
                "Cut-off dates, YYYY-MM-DD, separated by “;”.",
                "2025-11-12; 2026-03-12",
                read=read_dates,
            ),
            Column("description", "What the call is about.", "Projects are expected to …"),
            features_column(),
            Column(
                "source_status",
                "Status stated by the source: forthcoming, open or closed "
                "(the site derives its own status from the dates).",
                "open",
                read=choice_reader([(s, s) for s in ("forthcoming", "open", "closed")]),
            ),
            Column(
                "period_start",
                "A programme's period: first day, YYYY-MM-DD (name the source in the notes).",
                "2021-01-01",
                read=read_date,
            ),
            Column(
                "period_end",
                "A programme's period: last day, YYYY-MM-DD. A programme past it is closed.",
                "2027-12-31",
                read=read_date,
            ),
            Column(
                "closed_reason",
                "What the source says that makes it over, with the line; any text closes it.",
                "",
            ),
            Column("notes", "Editorial notes.", "", editor_only=True),
            Column(
                "status",
                "Status the site derives today (export only).",
                write=lambda obj: str(obj.status_on()),
                export_only=True,
            ),
            Column(
                "status_reason",
                "Why it has that status (export only).",
                write=lambda obj: obj.status_reason(),
                export_only=True,
            ),
        ],
    )


@register("strategic-documents")
def strategic_documents() -> RecordType:
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
            country_column("ISO code or name of the country (empty for EU-wide).", "FI"),
            Column("link", "Web address.", "https://example.org/strategy"),
            Column("period", "Period it covers.", "2021–2027"),
            Column("description", "What it is about.", ""),
            features_column("priorities", "P12; G3"),
            Column("notes", "Editorial notes.", "", editor_only=True),
        ],
    )


def _import_calls(raw: bytes, **kwargs):
    from clusterbridge.funding.portal_import import import_calls

    return import_calls(raw, **kwargs)


register_file_import(FileImport("calls", "EU Funding & Tenders Portal", _import_calls))
