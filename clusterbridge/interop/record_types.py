"""The record types that can be imported and exported as spreadsheets: their columns (what
each holds, how a cell is read and written), the column that finds an existing record, who
may import them and which records an export shows."""

from importlib import import_module

from django.utils import timezone

from clusterbridge.interop.sheets import (
    CellError,
    Column,
    RecordType,
    choice_reader,
    codes_of,
    country_code,
    read_countries,
    read_country,
    read_date,
    read_dates,
    read_decimal,
    read_features,
    read_integer,
    read_text_list,
    register,
    terms_reader,
)


def read_cluster(text: str, lookups):
    """A published cluster of the catalogue, by slug or by name (case does not matter), that
    the importer manages (administrators: any), as on the project form."""
    if not text:
        return None
    from django.db.models import Q

    from clusterbridge.accounts.roles import is_admin
    from clusterbridge.clusters.models import Cluster

    found = list(
        Cluster.objects.public().filter(Q(slug=text.strip()) | Q(name__iexact=text.strip()))[:2]
    )
    if len(found) != 1:
        raise CellError(f"no single published cluster is called “{text}”")
    if not (is_admin(lookups.user) or found[0].is_managed_by(lookups.user)):
        raise CellError(f"you do not manage the cluster “{found[0].name}”")
    return found[0]


@register("instruments")
def instruments() -> RecordType:
    from clusterbridge.funding.models import Instrument

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
                read=choice_reader(Instrument.Kind.choices),
                allowed="programme, call",
            ),
            Column("source", "Source / funding body.", "Horizon Europe (HORIZON)"),
            Column(
                "origin",
                "national or international.",
                "international",
                required=True,
                read=choice_reader(Instrument.Origin.choices),
                allowed="national, international",
            ),
            Column(
                "cover_level",
                "eu, national or regional.",
                "eu",
                read=choice_reader(Instrument.CoverLevel.choices),
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
                read=choice_reader(Instrument.Periodicity.choices),
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
    from clusterbridge.funding.filtersets import InstrumentFilterSet

    return InstrumentFilterSet


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


@register("projects")
def projects() -> RecordType | None:
    from clusterbridge.projects.models import Project, Stage, Visibility

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
        filterset=lambda: import_module("clusterbridge.projects.filtersets").ProjectFilterSet,
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
            Column(
                "owner_cluster",
                "Slug or name of the catalogue cluster that owns it (its managers may change it).",
                "",
                read=read_cluster,
                write=lambda project: (
                    project.owner_cluster.slug if project.owner_cluster_id else ""
                ),
            ),
        ],
    )


@register("clusters")
def clusters() -> RecordType | None:
    from clusterbridge.accounts.roles import is_admin
    from clusterbridge.clusters.models import Cluster, LabelLevel, Status
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
        filterset=lambda: import_module("clusterbridge.clusters.filtersets").ClusterFilterSet,
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
