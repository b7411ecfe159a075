"""The one FilterSet of the marketplace, shared by /marketplace/ and
/api/v1/marketplace/posts/, and the facet counts beside each filter value.

Several values of one filter widen it (any of them); different filters narrow (all of them).
The queryset given is already what the reader may see (published posts)."""

from collections import Counter

import django_filters
from django.db.models import Q

from clusterbridge.clusters.models import Cluster
from clusterbridge.core.filtersets import SearchableFilterSet
from clusterbridge.marketplace.models import Kind, Post, Urgency
from clusterbridge.taxonomy.filters import CodeListFilter, CountryFilter, FeatureFilter, TermFilter
from clusterbridge.taxonomy.models import Feature, Vocabulary

ORDERING_CHOICES = [
    ("-published", "Newest first"),
    ("valid_until", "Closing soonest first"),
    ("title", "Title, A–Z"),
]


def cluster_slugs() -> set[str]:
    return set(Cluster.objects.public().values_list("slug", flat=True))


class PostFilterSet(SearchableFilterSet):
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

    def filter_country(self, queryset, name, value):
        """Posts offered to (or sought in) one of these countries, or to any country."""
        if not value:
            return queryset
        chosen = Post.countries.through.objects.filter(country__code__in=value)
        anywhere = ~Q(pk__in=Post.countries.through.objects.values("post_id"))
        return queryset.filter(Q(pk__in=chosen.values("post_id")) | anywhere)

    @property
    def qs(self):
        queryset = self.filtered
        ordering = self.valid_data.get("ordering")
        if ordering == "valid_until":
            return queryset.order_by("valid_until", "-pk")
        if ordering == "title":
            return queryset.order_by("title", "pk")
        if ordering == "-published":
            return queryset.order_by("-published_at", "-pk")
        if self.searching:
            # The id last: the same order every time (the list's index sorts the same way).
            return self.ranked(queryset, "-published_at", "-pk")
        # Crisis posts first ("crisis" sorts before "normal"), then the newest.
        return queryset.order_by("urgency", "-published_at", "-pk")

    def listing(self):
        """The same answer as `qs` from the in-memory index of published posts
        (`listindex`): its total and facet counts without a query over the whole set, and
        only the page's rows read from the database (through the queryset given, so nothing
        unpublished can show even if the index were behind). For a valid, bound FilterSet
        over the published posts (`Post.objects.public()`)."""
        from clusterbridge.marketplace import listindex

        data = self.form.cleaned_data
        built, ids, scores = listindex.select(data)
        ordering = data.get("ordering") or ""
        if not ordering and (data.get("q") or "").strip():
            ordering = listindex.RELEVANCE
        order = ordering if ordering in listindex.INDEXED_ORDERS else None
        base = self.queryset.order_by()
        return listindex.Listing(
            built,
            ids,
            scores,
            order,
            ordered_ids=lambda start, stop: list(self.qs.values_list("pk", flat=True)[start:stop]),
            rows=lambda page: base.filter(pk__in=page) if page else [],
        )


# Facets ------------------------------------------------------------------------------------
def facets(queryset, *, searching: bool = False) -> dict[str, list[dict]]:
    """Counts of the current results per value of each filter: the ids of the results in
    one query, counted on the in-memory descriptors of the published posts (the matching
    index) rather than with one aggregate query per facet. Given a `listindex.Listing`, its
    own counts (no query)."""
    from clusterbridge.marketplace.listindex import Listing
    from clusterbridge.marketplace.matching import published_descriptors

    if isinstance(queryset, Listing):
        return labelled(queryset.facet_counts())
    ids = list(queryset.order_by().values_list("pk", flat=True))
    index = published_descriptors()
    found = [index[pk] for pk in ids if pk in index]
    missing = [pk for pk in ids if pk not in index]
    if missing:  # published meanwhile: read them now
        from clusterbridge.marketplace.matching import descriptors

        found += descriptors(Post.all_objects.filter(pk__in=missing)).values()
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    for d in found:
        counts["kind"][d.kind] += 1
        counts["urgency"][d.urgency] += 1
        if d.is_disruption:
            counts["disruption"]["true"] += 1
        counts["feature"].update(d.features)
        counts["ecosystem"].update(d.ecosystems)
        counts["sector"].update(d.sectors)
        counts["country"].update(d.countries)
        if d.cluster_id:
            counts["cluster"][d.cluster_id] += 1
    return labelled(counts)


def labelled(counts: dict[str, Counter]) -> dict[str, list[dict]]:
    """Facet counts by id as the panel and the API show them: code, label, count, in the
    taxonomy's order (features) or by label."""
    from clusterbridge.clusters.models import Cluster
    from clusterbridge.marketplace.matching import Vocabulary

    vocabulary = Vocabulary.load()
    result: dict[str, list[dict]] = {
        "kind": [
            {"value": v, "label": str(label), "count": counts["kind"][v]}
            for v, label in Kind.choices
            if counts["kind"][v]
        ],
        "urgency": [
            {"value": v, "label": str(label), "count": counts["urgency"][v]}
            for v, label in Urgency.choices
            if counts["urgency"][v]
        ],
        "disruption": (
            [{"value": "true", "label": "Disruptions only", "count": counts["disruption"]["true"]}]
            if counts["disruption"]["true"]
            else []
        ),
    }
    order = dict(Feature.objects.values_list("pk", "category__order").order_by())
    feature_order = {pk: (order[pk], vocabulary.features[pk][0]) for pk in counts["feature"]}
    result["feature"] = [
        {"value": vocabulary.features[pk][0], "label": vocabulary.features[pk][1], "count": n}
        for pk, n in sorted(counts["feature"].items(), key=lambda item: feature_order[item[0]])
    ]
    for name in ("ecosystem", "sector"):
        result[name] = [
            {"value": vocabulary.terms[pk][0], "label": vocabulary.terms[pk][1], "count": n}
            for pk, n in sorted(counts[name].items(), key=lambda i: vocabulary.terms[i[0]][1])
        ]
    result["country"] = [
        {"value": vocabulary.countries[pk][0], "label": vocabulary.countries[pk][1], "count": n}
        for pk, n in sorted(counts["country"].items(), key=lambda i: vocabulary.countries[i[0]][1])
    ]
    clusters = {
        pk: (slug, name)
        for pk, slug, name in Cluster.objects.filter(pk__in=list(counts["cluster"])).values_list(
            "pk", "slug", "name"
        )
    }
    result["cluster"] = [
        {"value": clusters[pk][0], "label": clusters[pk][1], "count": n}
        for pk, n in sorted(
            counts["cluster"].items(), key=lambda i: clusters.get(i[0], ("", ""))[1]
        )
        if pk in clusters
    ]
    return result


FACETS = ("kind", "urgency", "disruption", "feature", "ecosystem", "sector", "country", "cluster")
