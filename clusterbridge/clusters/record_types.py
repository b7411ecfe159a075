"""The spreadsheet record type of clusters, registered with interop (clusters/apps.py).
This export is the import format (codes, one column per field); the directory's own export
(clusters/exports.py) stays the readable report."""

from clusterbridge.accounts.roles import is_admin
from clusterbridge.clusters.filtersets import ClusterFilterSet
from clusterbridge.clusters.models import Cluster, LabelLevel, Status
from clusterbridge.interop.sheets import (
    Column,
    RecordType,
    choice_column,
    codes_of,
    country_column,
    read_countries,
    read_date,
    read_integer,
    read_text_list,
    register,
    terms_reader,
)
from clusterbridge.taxonomy.models import Vocabulary


@register("clusters")
def clusters() -> RecordType:
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
        filterset=lambda: ClusterFilterSet,
        # Cluster profiles are moderated; a bulk import bypasses moderation, so only
        # administrators may run it.
        can_import=lambda user: is_admin(user),
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
            country_column(example="FI"),
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
            choice_column(
                "label_level", "Quality label: bronze, silver or gold.", "", LabelLevel.choices
            ),
            Column("label_issued", "Date the label was issued, YYYY-MM-DD.", "", read=read_date),
            Column("label_expires", "Date the label expires, YYYY-MM-DD.", "", read=read_date),
            choice_column(
                "status", "draft, pending, published or withdrawn.", "published", Status.choices
            ),
        ],
    )
