"""The one FilterSet of the marketplace, shared by /marketplace/ and
/api/v1/marketplace/posts/, and the facet counts beside each filter value.

Several values of one filter widen it (any of them); different filters narrow (all of them).
The queryset given is already what the reader may see (published posts)."""

import django_filters
from django.db.models import Count, Q

from clusterbridge.clusters.models import Cluster
from clusterbridge.core.search import search, search_filter
from clusterbridge.marketplace.models import Kind, Post, Urgency
from clusterbridge.taxonomy.filters import CodeListFilter, CountryFilter, FeatureFilter, TermFilter
from clusterbridge.taxonomy.models import Vocabulary

ORDERING_CHOICES = [
    ("-published", "Newest first"),
    ("valid_until", "Closing soonest first"),
    ("title", "Title, A–Z"),
]


def cluster_slugs() -> set[str]:
    return set(Cluster.objects.public().values_list("slug", flat=True))


class PostFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        help_text="Full-text search, every word as a prefix; ranked by relevance.",
    )
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices, label="Kind", distinct=False)
    feature = FeatureFilter(
        field_name="features__code",
        label="Feature",
        help_text="Taxonomy code (T1, P3, A5...); repeatable (any of them).",
    )
    ecosystem = TermFilter(
        Vocabulary.ECOSYSTEMS,
        "ecosystems__code",
        field_name="ecosystems__code",
        label="Industrial ecosystem",
    )
    sector = TermFilter(
        Vocabulary.SECTORS, "sectors__code", field_name="sectors__code", label="Sector"
    )
    country = CountryFilter(
        "countries__code",
        field_name="countries__code",
        method="filter_country",
        label="Country",
        help_text="ISO 3166 alpha-2 code; repeatable. Posts for any country count too.",
    )
    cluster = CodeListFilter(
        lookup="cluster__slug",
        field_name="cluster__slug",
        known_codes=cluster_slugs,
        noun="cluster(s)",
        normalise=str.lower,
        label="Validated by cluster",
        help_text="A cluster's slug; repeatable.",
    )
    urgency = django_filters.MultipleChoiceFilter(
        choices=Urgency.choices, label="Urgency", distinct=False
    )
    disruption = django_filters.BooleanFilter(
        field_name="is_disruption", label="Value-chain disruption"
    )
    funding_call = django_filters.NumberFilter(
        field_name="funding_call_id", label="Funding call (id)"
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES,
        method="filter_nothing",
        label="Sort by",
        empty_label="Relevance, else newest",
    )

    class Meta:
        model = Post
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return search_filter(queryset, value)

    def filter_country(self, queryset, name, value):
        """Posts offered to (or sought in) one of these countries, or to any country."""
        if not value:
            return queryset
        chosen = Post.countries.through.objects.filter(country__code__in=value)
        anywhere = ~Q(pk__in=Post.countries.through.objects.values("post_id"))
        return queryset.filter(Q(pk__in=chosen.values("post_id")) | anywhere)

    def filter_nothing(self, queryset, name, value):
        return queryset

    @property
    def searching(self) -> bool:
        return self.is_valid() and bool((self.form.cleaned_data.get("q") or "").strip())

    @property
    def filtered(self):
        """The matching posts, not yet sorted (what the facets count)."""
        return super().qs

    @property
    def qs(self):
        queryset = self.filtered
        valid = self.is_bound and self.is_valid()
        ordering = self.form.cleaned_data.get("ordering") if valid else ""
        if ordering == "valid_until":
            return queryset.order_by("valid_until", "-pk")
        if ordering == "title":
            return queryset.order_by("title", "pk")
        if ordering == "-published":
            return queryset.order_by("-published_at", "-pk")
        query = (self.form.cleaned_data.get("q") or "").strip() if valid else ""
        if query:
            ranked = search(queryset, query).order_by("-search_rank", "-published_at")
            return ranked.counted_by(queryset)
        # Crisis posts first ("crisis" sorts before "normal"), then the newest.
        return queryset.order_by("urgency", "-published_at", "-pk")


# Facets ------------------------------------------------------------------------------------
SEARCH_IDS_LIMIT = 10_000


def _linked(ids, relation: str, *fields: str) -> list[tuple]:
    """(fields..., number of posts) for each value of a many-to-many relation among `ids`,
    counted on its link table (one row per post and value)."""
    through = getattr(Post, relation).through
    return list(
        through.objects.filter(post_id__in=ids)
        .values_list(*fields)
        .annotate(n=Count("post_id"))
        .order_by()
    )


def facets(queryset, *, searching: bool = False) -> dict[str, list[dict]]:
    """Counts of the current results per value of each filter: one aggregate query per
    facet, whatever the number of results."""
    ids = queryset.order_by().values("pk")
    if searching:
        found = list(ids.values_list("pk", flat=True)[: SEARCH_IDS_LIMIT + 1])
        if len(found) <= SEARCH_IDS_LIMIT:
            ids = found
    plain = Post.all_objects.filter(pk__in=ids).order_by()
    kinds = dict(plain.values_list("kind").annotate(n=Count("pk")))
    urgencies = dict(plain.values_list("urgency").annotate(n=Count("pk")))
    disruptions = plain.filter(is_disruption=True).count()
    result: dict[str, list[dict]] = {
        "kind": [
            {"value": v, "label": str(label), "count": kinds[v]}
            for v, label in Kind.choices
            if v in kinds
        ],
        "urgency": [
            {"value": v, "label": str(label), "count": urgencies[v]}
            for v, label in Urgency.choices
            if v in urgencies
        ],
    }
    result["disruption"] = (
        [{"value": "true", "label": "Disruptions only", "count": disruptions}]
        if disruptions
        else []
    )
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
    for name, relation in (("ecosystem", "ecosystems"), ("sector", "sectors")):
        rows = _linked(ids, relation, "term__code", "term__label", "term__order")
        result[name] = [
            {"value": code, "label": label, "count": n}
            for code, label, _, n in sorted(rows, key=lambda row: (row[2], row[1]))
        ]
    rows = _linked(ids, "countries", "country__code", "country__label")
    result["country"] = [
        {"value": code, "label": label, "count": n}
        for code, label, n in sorted(rows, key=lambda row: row[1])
    ]
    clusters = (
        plain.exclude(cluster=None)
        .values_list("cluster__slug", "cluster__name")
        .annotate(n=Count("pk"))
        .order_by("cluster__name")
    )
    result["cluster"] = [{"value": s, "label": name, "count": n} for s, name, n in clusters]
    return result
