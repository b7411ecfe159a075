"""The one FilterSet of the cluster directory, shared by /clusters/ and /api/v1/clusters/,
and the facet counts shown beside each filter value (one aggregate query per facet)."""

from collections import Counter

import django_filters
from django.db.models import Count, F, Q

from clusterbridge.clusters.models import (
    SIZE_CLASSES,
    Classification,
    Cluster,
    LabelLevel,
    Network,
    domain_value,
    valid_label_q,
)
from clusterbridge.core.filtersets import SearchableFilterSet
from clusterbridge.taxonomy.filters import CodeListFilter, TermFilter, country_codes
from clusterbridge.taxonomy.models import Country, Term, Vocabulary


def network_codes() -> set[str]:
    return set(Network.objects.values_list("code", flat=True))


class CountryFilter(CodeListFilter):
    """A cluster is in a country when based there or when the country is one of its
    cross-border countries."""

    def __init__(self, **kwargs):
        super().__init__(
            lookup="country__code", known_codes=country_codes, noun="country code(s)", **kwargs
        )

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(
            Q(country__code__in=value)
            | Q(pk__in=Cluster.all_objects.filter(countries__code__in=value).values("pk"))
        )


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Unknown sizes and founding years sort last in both directions, on every database."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field = F(value.lstrip("-"))
        return field.desc(nulls_last=True) if value.startswith("-") else field.asc(nulls_last=True)

    def filter(self, qs, value):
        queryset = super().filter(qs, value)
        return queryset.order_by(*queryset.query.order_by, "name") if value else queryset


class ClusterFilterSet(SearchableFilterSet):
    country = CountryFilter(label="Country")
    region = django_filters.CharFilter(field_name="region", lookup_expr="iexact", label="Region")
    # field_name lets the API schema describe each parameter from the model.
    sector = TermFilter(
        Vocabulary.SECTORS, "sectors__code", field_name="sectors__code", label="Sector"
    )
    ecosystem = TermFilter(
        Vocabulary.ECOSYSTEMS,
        "ecosystems__code",
        field_name="ecosystems__code",
        label="Industrial ecosystem",
    )
    technology = TermFilter(
        Vocabulary.TECHNOLOGIES,
        "technologies__code",
        field_name="technologies__code",
        label="Technology",
    )
    service = TermFilter(
        Vocabulary.CLUSTER_SERVICES,
        "services__code",
        field_name="services__code",
        label="Service offered",
    )
    domain = django_filters.CharFilter(method="filter_domain", label="Vertical market / domain")
    label = django_filters.MultipleChoiceFilter(
        choices=LabelLevel.choices, method="filter_label", label="Valid quality label"
    )
    network = CodeListFilter(
        lookup="networks__code",
        field_name="networks__code",
        known_codes=network_codes,
        noun="network code(s)",
        normalise=str.lower,
        label="Network",
    )
    priority = django_filters.MultipleChoiceFilter(
        field_name="priority_section",
        choices=Cluster._meta.get_field("priority_section").choices,
        label="cyberwatching.eu priority (seed 000 Annex A)",
    )
    size = django_filters.MultipleChoiceFilter(
        choices=[(key, key.replace("-", "–")) for key in SIZE_CLASSES],
        method="filter_size",
        label="Members",
    )
    ordering = NullsLastOrderingFilter(
        fields=(("name", "name"), ("size_members", "size"), ("founding_year", "founding_year")),
        field_labels={"name": "Name", "size_members": "Size", "founding_year": "Founding year"},
        label="Sort by",
        empty_label="Name (relevance when searching)",
    )

    class Meta:
        model = Cluster
        fields: list[str] = []

    def filter_domain(self, queryset, name, value):
        # One whole domain entry, as the "frequent domains" facet lists and counts them.
        domain = domain_value(value)
        if not domain:
            return queryset
        return queryset.filter(domains_key__contains=f"|{domain}|")

    def filter_label(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(valid_label_q()).filter(label_level__in=value)

    def filter_size(self, queryset, name, value):
        if not value:
            return queryset
        condition = Q()
        for size_class in value:
            low, high = SIZE_CLASSES[size_class]
            part = Q(size_members__gte=low)
            condition |= part & Q(size_members__lte=high) if high else part
        return queryset.filter(condition)

    @property
    def qs(self):
        queryset = self.filtered
        if self.valid_data.get("ordering"):
            return queryset
        if self.searching:
            return self.ranked(queryset, "name")
        return queryset.order_by("name")


# Facets ------------------------------------------------------------------------------------
def _term_facet(ids, relation: str, vocabulary: str) -> list[dict]:
    counts = dict(
        Term.objects.filter(vocabulary=vocabulary, **{f"{relation}__in": ids})
        .values_list("code")
        .annotate(n=Count(relation, distinct=True))
        .values_list("code", "n")
    )
    terms = Term.objects.filter(vocabulary=vocabulary, code__in=counts).values_list(
        "code", "label", "group"
    )
    return [
        {"value": code, "label": label, "group": group, "count": counts[code]}
        for code, label, group in terms
    ]


# Up to this many results of a full-text search, the facets count over their ids (one
# query) instead of repeating the search as a subquery in each facet: PostgreSQL re-checks
# every candidate row of a prefix search, ten times over otherwise.
SEARCH_IDS_LIMIT = 10_000


def facets(queryset, *, searching: bool = False) -> dict[str, list[dict]]:
    """Counts of the current results per value of each filter (drill-down counts).

    A fixed number of aggregate queries, whatever the number of results or values.
    """
    ids = queryset.order_by().values("pk")
    if searching:
        found = list(ids.values_list("pk", flat=True)[: SEARCH_IDS_LIMIT + 1])
        if len(found) <= SEARCH_IDS_LIMIT:
            ids = found
    result: dict[str, list[dict]] = {}
    by_country = Counter(
        dict(
            Cluster.all_objects.filter(pk__in=ids)
            .exclude(country=None)
            .values_list("country__code")
            .annotate(n=Count("pk"))
            .values_list("country__code", "n")
        )
    )
    # Cross-border clusters count in each of their further countries too.
    cross_border = (
        Cluster.countries.through.objects.filter(cluster__in=ids)
        .exclude(cluster__country=F("country"))
        .values_list("country__code")
        .annotate(n=Count("cluster", distinct=True))
        .values_list("country__code", "n")
    )
    by_country.update(dict(cross_border))
    labels = dict(Country.objects.filter(code__in=by_country).values_list("code", "label"))
    result["country"] = sorted(
        ({"value": code, "label": labels[code], "count": n} for code, n in by_country.items()),
        key=lambda item: item["label"],
    )
    result["sector"] = _term_facet(ids, "clusters_by_sector", Vocabulary.SECTORS)
    result["ecosystem"] = _term_facet(ids, "clusters_by_ecosystem", Vocabulary.ECOSYSTEMS)
    result["technology"] = _term_facet(ids, "clusters_by_technology", Vocabulary.TECHNOLOGIES)
    result["service"] = _term_facet(ids, "clusters_by_service", Vocabulary.CLUSTER_SERVICES)
    label_counts = dict(
        Cluster.all_objects.filter(pk__in=ids)
        .filter(valid_label_q())
        .values_list("label_level")
        .annotate(n=Count("pk"))
        .values_list("label_level", "n")
    )
    result["label"] = [
        {"value": value, "label": label, "count": label_counts[value]}
        for value, label in reversed(LabelLevel.choices)
        if value in label_counts
    ]
    result["network"] = [
        {"value": code, "label": name, "count": n}
        for code, name, n in Network.objects.filter(clusters__in=ids)
        .values_list("code", "name")
        .annotate(n=Count("clusters", distinct=True))
        .order_by("name")
    ]
    size_counts = Cluster.all_objects.filter(pk__in=ids).aggregate(
        **{
            key: Count(
                "pk", filter=Q(size_members__gte=low) & (Q(size_members__lte=high) if high else Q())
            )
            for key, (low, high) in SIZE_CLASSES.items()
        }
    )
    priority_counts = dict(
        Cluster.all_objects.filter(pk__in=ids)
        .exclude(priority_section="")
        .values_list("priority_section")
        .annotate(n=Count("pk"))
        .values_list("priority_section", "n")
    )
    result["priority"] = [
        {"value": value, "label": label, "count": priority_counts[value]}
        for value, label in Cluster._meta.get_field("priority_section").choices
        if value in priority_counts
    ]
    result["size"] = [
        {"value": key, "label": key.replace("-", "–"), "count": size_counts[key]}
        for key in SIZE_CLASSES
        if size_counts[key]
    ]
    regions = (
        Cluster.all_objects.filter(pk__in=ids)
        .exclude(region="")
        .values_list("region")
        .annotate(n=Count("pk"))
        .order_by("-n", "region")[:15]
    )
    result["region"] = [{"value": r, "label": r, "count": n} for r, n in regions]
    domain_counts: Counter = Counter()
    for domains in Cluster.all_objects.filter(pk__in=ids).values_list("domains", flat=True):
        domain_counts.update({domain_value(d) for d in domains or []} - {""})
    result["domain"] = [
        {"value": d, "label": d, "count": n}
        for d, n in sorted(domain_counts.items(), key=lambda i: (-i[1], i[0]))[:15]
    ]
    return result


class ClassificationSuggestionFilterSet(django_filters.FilterSet):
    """The page of pending classification suggestions: which vocabulary, which cluster."""

    vocabulary = django_filters.ChoiceFilter(
        field_name="term__vocabulary",
        choices=[
            (v.value, v.label)
            for v in (Vocabulary.SECTORS, Vocabulary.ECOSYSTEMS, Vocabulary.TECHNOLOGIES)
        ],
        empty_label="Any classification",
        label="Classification",
    )
    cluster = django_filters.CharFilter(field_name="cluster__slug", label="Cluster (its slug)")

    class Meta:
        model = Classification
        fields = ["vocabulary", "cluster"]
