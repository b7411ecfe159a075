"""The one FilterSet of the organisation directory, shared by /organisations/ and
/api/v1/organisations/, and the facet counts shown beside each filter value.

Several values of one filter widen it (any of them); different filters narrow (all of
them) — as in the cluster directory. The cluster filter and facet see only the memberships
an organisation agrees to show (`ClusterMembership.objects.shown()`)."""

import django_filters
from django.db.models import Count

from clusterbridge.clusters.models import Cluster
from clusterbridge.core.filtersets import SearchableFilterSet
from clusterbridge.organisations.models import (
    ClusterMembership,
    Organisation,
    OrganisationType,
    SizeBand,
)
from clusterbridge.taxonomy.filters import CodeListFilter, CountryFilter, FeatureFilter, TermFilter
from clusterbridge.taxonomy.models import Vocabulary

UNKNOWN_SIZE = "unknown"
SIZE_CHOICES = [*SizeBand.choices, (UNKNOWN_SIZE, "Not stated")]
ORDERING_CHOICES = [
    ("name", "Name, A–Z"),
    ("-name", "Name, Z–A"),
    ("-created", "Newest on ClusterBridge first"),
]


def cluster_slugs() -> set[str]:
    return set(Cluster.objects.public().values_list("slug", flat=True))


class OrganisationFilterSet(SearchableFilterSet):
    type = django_filters.MultipleChoiceFilter(choices=OrganisationType.choices, label="Type")
    country = CountryFilter(label="Country", help_text="ISO 3166 alpha-2 code; repeatable.")
    ecosystem = TermFilter(
        Vocabulary.ECOSYSTEMS,
        "ecosystems__code",
        field_name="ecosystems__code",
        label="Industrial ecosystem",
    )
    sector = TermFilter(
        Vocabulary.SECTORS, "sectors__code", field_name="sectors__code", label="Sector"
    )
    feature = FeatureFilter(
        field_name="features__code",
        label="Feature",
        help_text="Taxonomy code (T1, P3, A5...); repeatable (any of them).",
    )
    size = django_filters.MultipleChoiceFilter(
        choices=SIZE_CHOICES, method="filter_size", label="Size"
    )
    cluster = CodeListFilter(
        lookup="cluster_links__cluster__slug",
        field_name="cluster_links__cluster__slug",
        known_codes=cluster_slugs,
        noun="cluster(s)",
        normalise=str.lower,
        method="filter_cluster",
        label="Member of cluster",
        help_text="A cluster's slug; repeatable. Only memberships shown publicly count.",
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES,
        method="filter_nothing",
        label="Sort by",
        empty_label="Relevance, else name",
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_size(self, queryset, name, value):
        if not value:
            return queryset
        sizes = ["" if size == UNKNOWN_SIZE else size for size in value]
        return queryset.filter(size__in=sizes)

    def filter_cluster(self, queryset, name, value):
        if not value:
            return queryset
        shown = ClusterMembership.objects.shown().filter(cluster__slug__in=value)
        return queryset.filter(pk__in=shown.values("organisation_id"))

    @property
    def qs(self):
        queryset = self.filtered
        ordering = self.valid_data.get("ordering")
        if ordering == "-created":
            return queryset.order_by("-created_at", "-pk")
        if ordering:
            return queryset.order_by(ordering, "pk")
        if self.searching:
            return self.ranked(queryset, "name")
        return queryset.order_by("name", "pk")


# Facets ------------------------------------------------------------------------------------
# Up to this many results of a full-text search, the facets count over their ids (one query)
# instead of repeating the search in each facet query.
SEARCH_IDS_LIMIT = 10_000


def _grouped(ids, *fields: str) -> list[tuple]:
    """(fields..., number of organisations) for each value of `fields[0]` among `ids`."""
    return list(
        Organisation.all_objects.filter(pk__in=ids)
        .exclude(**{fields[0]: None})
        .values_list(*fields)
        .annotate(n=Count("pk"))
        .order_by()
    )


def _linked(ids, relation: str, *fields: str) -> list[tuple]:
    """The same for a many-to-many relation, counted on its link table (one row per
    organisation and value, so no DISTINCT and no subquery per row)."""
    through = getattr(Organisation, relation).through
    return list(
        through.objects.filter(organisation_id__in=ids)
        .values_list(*fields)
        .annotate(n=Count("organisation_id"))
        .order_by()
    )


def facets(queryset, *, searching: bool = False) -> dict[str, list[dict]]:
    """Counts of the current results per value of each filter: one aggregate query per
    facet, whatever the number of results or values."""
    ids = queryset.order_by().values("pk")
    if searching:
        found = list(ids.values_list("pk", flat=True)[: SEARCH_IDS_LIMIT + 1])
        if len(found) <= SEARCH_IDS_LIMIT:
            ids = found
    types = dict(_grouped(ids, "type"))
    sizes = {(size or UNKNOWN_SIZE): n for size, n in _grouped(ids, "size")}
    result = {
        "type": [
            {"value": value, "label": label, "count": types[value]}
            for value, label in OrganisationType.choices
            if value in types
        ],
        "country": sorted(
            (
                {"value": code, "label": label, "count": n}
                for code, label, n in _grouped(ids, "country__code", "country__label")
            ),
            key=lambda item: item["label"],
        ),
    }
    for name, relation in (("ecosystem", "ecosystems"), ("sector", "sectors")):
        rows = _linked(ids, relation, "term__code", "term__label", "term__order")
        result[name] = [
            {"value": code, "label": label, "count": n}
            for code, label, _, n in sorted(rows, key=lambda row: (row[2], row[1]))
        ]
    rows = _linked(
        ids,
        "features",
        "feature__code",
        "feature__label",
        "feature__category__order",
        "feature__order",
    )
    result["feature"] = [
        {"value": code, "label": f"{code} {label}", "count": n}
        for code, label, _, _, n in sorted(rows, key=lambda row: (row[2], row[3]))
    ]
    result["size"] = [
        {"value": value, "label": label, "count": sizes[value]}
        for value, label in SIZE_CHOICES
        if value in sizes
    ]
    clusters = (
        ClusterMembership.objects.shown()
        .filter(organisation__in=ids)
        .values_list("cluster__slug", "cluster__name")
        .annotate(n=Count("organisation", distinct=True))
        .order_by("cluster__name")
    )
    result["cluster"] = [{"value": s, "label": name, "count": n} for s, name, n in clusters]
    return result
