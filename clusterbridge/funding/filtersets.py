"""The one filter definition of the funding search, shared by the page `/funding/` and the
API `/api/v1/instruments/` (same parameter names, same validation, same results).

Status is derived at query time (`funding.models.status_conditions`): a call whose last
deadline has passed leaves the default search (open and forthcoming) the day after, without
any job. `status` may be repeated (`status=open&status=unknown`); `status=all` is every status.
Synthetic instruments (from `generate_instruments`) stay out unless `include_synthetic=1`.
"""

import functools
from collections import Counter

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusterbridge.core.search import search, terms
from clusterbridge.funding.models import (
    CURRENT_STATUSES,
    Deadline,
    Instrument,
    Status,
    StrategicDocument,
    today,
)
from clusterbridge.taxonomy.filters import CountryFilter, FeatureFilter
from clusterbridge.taxonomy.models import Country, Feature

# Documented in the OpenAPI schema as a repeatable code parameter.
CODE_LIST = serializers.ListField(child=serializers.CharField())
STATUS_CHOICES = [*Status.choices, ("all", "All")]
FEATURE_MODE_CHOICES = [("all", "all ticked features"), ("any", "any ticked feature")]
ORDERING_CHOICES = [
    ("relevance", "Relevance"),
    ("deadline", "Deadline, soonest first"),
    ("-deadline", "Deadline, latest first"),
    ("name", "Name, A–Z"),
    ("-name", "Name, Z–A"),
]
DEFAULTS = {"feature_mode": "all", "ordering": "relevance"}
# Applied when no `status` is given: what a person can act on now or soon.
DEFAULT_STATUSES = [str(s) for s in CURRENT_STATUSES]

# The facets shown beside the filters; each is counted with every *other* filter applied.
FACETS = ("origin", "country", "kind", "status", "feature")

Through = Instrument.features.through


class InstrumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Free text",
        help_text="Full-text search, every word as a prefix; ranked by relevance.",
    )
    origin = django_filters.MultipleChoiceFilter(
        choices=Instrument.Origin.choices, widget=forms.CheckboxSelectMultiple
    )
    country = CountryFilter(
        method="filter_country",
        help_text="ISO 3166 alpha-2 code; repeat for several (any of them).",
    )
    feature = FeatureFilter(
        method="filter_feature",
        help_text="Taxonomy code (T1, P3, D2, G5...); repeat for several. An instrument must "
        "have all of them unless feature_mode=any.",
    )
    feature_mode = django_filters.ChoiceFilter(
        choices=FEATURE_MODE_CHOICES,
        method="filter_nothing",
        empty_label=None,
        label="Instruments must have",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Instrument.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        widget=forms.CheckboxSelectMultiple,
        help_text="open, forthcoming, unknown (no date known: check at the source), closed or "
        "all; repeat for several. Default: open and forthcoming.",
    )
    deadline_after = django_filters.DateFilter(
        method="filter_deadline_window",
        label="Deadline from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deadline_before = django_filters.DateFilter(
        method="filter_deadline_window",
        label="Deadline until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    budget_min = django_filters.NumberFilter(
        field_name="budget_amount", lookup_expr="gte", label="Budget at least", min_value=0
    )
    budget_max = django_filters.NumberFilter(
        field_name="budget_amount", lookup_expr="lte", label="Budget at most", min_value=0
    )
    include_synthetic = django_filters.BooleanFilter(
        method="filter_synthetic",
        widget=BooleanWidget,
        label="Include synthetic test records",
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES, method="filter_nothing", empty_label=None, label="Sort by"
    )

    class Meta:
        model = Instrument
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # Defaults (open calls, all features, relevance) apply when a parameter is absent, so
        # an empty query means "open real instruments" on the page and in the API alike.
        if data is not None:
            data = data.copy()
            for name, value in DEFAULTS.items():
                if not data.get(name):
                    data[name] = value
        else:
            data = DEFAULTS.copy()
        if hasattr(data, "setlist"):
            if not [v for v in data.getlist("status") if v]:
                data.setlist("status", DEFAULT_STATUSES)
        elif not data.get("status"):
            data["status"] = DEFAULT_STATUSES
        elif isinstance(data["status"], str):
            # A plain dict (code, not a query string) may name one status as a string.
            data["status"] = [data["status"]]
        if queryset is None:
            queryset = Instrument.objects.all()
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.on = today()
        # Codes are turned into ids once per request (the same query validates them), so the
        # filters compare plain ids the database can estimate, and the query count does not
        # grow with the number of codes ticked.
        self.feature_ids = functools.cache(lambda: dict(Feature.objects.values_list("code", "id")))
        self.country_ids = functools.cache(lambda: dict(Country.objects.values_list("code", "id")))
        self.form.fields["feature"].known_codes = lambda: self.feature_ids().keys()
        self.form.fields["country"].known_codes = lambda: self.country_ids().keys()

    # Filters -----------------------------------------------------------------------------
    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_feature / order()

    def filter_q(self, queryset, name, value):
        if not terms(value):
            return queryset
        return search(queryset, value)

    @extend_schema_field(CODE_LIST)
    def filter_country(self, queryset, name, value):
        return queryset.filter(country_id__in=[self.country_ids()[code] for code in value])

    @extend_schema_field(CODE_LIST)
    def filter_feature(self, queryset, name, value):
        # One EXISTS per feature on the (instrument, feature) unique index: the database
        # starts from its most selective filter and checks each candidate's features.
        ids = [self.feature_ids()[code] for code in value]
        if self.form.cleaned_data.get("feature_mode") == "any":
            return queryset.filter(
                Exists(Through.objects.filter(instrument_id=OuterRef("pk"), feature_id__in=ids))
            )
        for feature_id in ids:
            queryset = queryset.filter(
                Exists(Through.objects.filter(instrument_id=OuterRef("pk"), feature_id=feature_id))
            )
        return queryset

    def filter_status(self, queryset, name, value):
        chosen = self.chosen_statuses
        if not chosen:
            return queryset
        return queryset.with_statuses(chosen, self.on)

    @property
    def chosen_statuses(self) -> set[str]:
        """The statuses asked for (empty: every status, `status=all`)."""
        value = set(self.form.cleaned_data.get("status") or DEFAULT_STATUSES)
        return set() if "all" in value or value >= set(Status.values) else value

    def filter_deadline_window(self, queryset, name, value):
        # Both bounds are applied together (by deadline_after) to the same deadline row.
        if name == "deadline_before" and self.form.cleaned_data.get("deadline_after"):
            return queryset
        window = Q(instrument_id=OuterRef("pk"))
        after = self.form.cleaned_data.get("deadline_after")
        before = self.form.cleaned_data.get("deadline_before")
        if after:
            window &= Q(date__gte=after)
        if before:
            window &= Q(date__lte=before)
        return queryset.filter(Exists(Deadline.objects.filter(window)))

    def filter_synthetic(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset, *, skip: tuple[str, ...] = ()):
        if not self.form.cleaned_data.get("include_synthetic"):
            queryset = queryset.real()
        for name, value in self.form.cleaned_data.items():
            if name in skip:
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            if self.is_valid():
                self._qs = self.order(self.filter_queryset(self.queryset.all()))
            else:
                # The page shows the errors (the API answers 400 before getting here).
                self._qs = self.queryset.none()
        return self._qs

    # Ordering ------------------------------------------------------------------------------
    @property
    def has_text_query(self) -> bool:
        return bool(terms(self.form.cleaned_data.get("q") or ""))

    def order(self, queryset):
        ordering = self.form.cleaned_data.get("ordering") or "relevance"
        soonest = (F("final_deadline").asc(nulls_last=True), "name", "pk")
        if ordering == "relevance":
            if self.has_text_query:
                return queryset.order_by("-search_rank", *soonest)
            return queryset.order_by(*soonest)
        if ordering == "deadline":
            return queryset.order_by(*soonest)
        if ordering == "-deadline":
            return queryset.order_by(F("final_deadline").desc(nulls_last=True), "name", "pk")
        return queryset.order_by(ordering, "pk")

    # Facets --------------------------------------------------------------------------------
    def facet_counts(self) -> dict[str, Counter]:
        """For each facet value, how many results ticking it would give.

        Two aggregate queries, whatever the number of values. Each facet is counted with
        every other filter applied; features in "all" mode are counted within
        the current results (ticking one more narrows them), in "any" mode without the
        feature filter (ticking one more widens them).
        """
        self.country_labels: dict[str, str] = {}
        self.total = 0
        if not self.is_valid():
            return {name: Counter() for name in FACETS}

        # origin, kind, country and status in one grouped query over the results without
        # those four filters; each facet then applies the other three selections in Python.
        scalar = ("origin", "kind", "country", "status")
        base = self.filter_queryset(self.queryset.all(), skip=scalar).order_by()
        groups = list(
            base.with_status(self.on)
            .values("origin", "kind", "country__code", "country__label", "status")
            .annotate(n=Count("pk"))
        )
        data = self.form.cleaned_data
        chosen = {
            "origin": set(data.get("origin") or []),
            "kind": set(data.get("kind") or []),
            "country": set(data.get("country") or []),
            "status": self.chosen_statuses,
        }
        field_of = {
            "origin": "origin",
            "kind": "kind",
            "country": "country__code",
            "status": "status",
        }

        def passes(group, facet):
            return all(
                not chosen[other] or group[field_of[other]] in chosen[other]
                for other in scalar
                if other != facet
            )

        counts: dict[str, Counter] = {}
        for facet in scalar:
            counts[facet] = Counter()
            for group in groups:
                if passes(group, facet):
                    counts[facet][group[field_of[facet]]] += group["n"]
        counts["status"]["all"] = sum(counts["status"].values())
        # The number of results itself, from the same groups: no separate COUNT query.
        self.total = sum(g["n"] for g in groups if passes(g, None))
        self.country_labels = {code: code for code in chosen["country"]}
        self.country_labels.update(
            {g["country__code"]: g["country__label"] for g in groups if g["country__code"]}
        )
        skip = ("feature",) if self.form.cleaned_data.get("feature_mode") == "any" else ()
        within = self.filter_queryset(self.queryset.all(), skip=skip).order_by()
        counts["feature"] = _count_by_feature(within)
        ticked = set(self.form.cleaned_data.get("feature") or [])
        if skip and ticked:
            # "Any" mode: ticking one more feature adds the instruments that have it but none
            # of the ticked ones, so its count is the results plus those.
            outside = _count_by_feature(within.exclude(features__code__in=ticked))
            for code in set(counts["feature"]) - ticked:
                counts["feature"][code] = self.total + outside.get(code, 0)
        return counts


def _count_by_feature(queryset) -> Counter:
    return Counter(
        {
            row["features__code"]: row["n"]
            for row in queryset.values("features__code").annotate(n=Count("pk", distinct=True))
            if row["features__code"]
        }
    )


class StrategicDocumentFilterSet(django_filters.FilterSet):
    """Strategic documents, shared by /funding/strategies/ and /api/v1/strategic-documents/."""

    q = django_filters.CharFilter(
        method="filter_q", label="Free text", help_text="Words of the name, issuer or description."
    )
    country = CountryFilter(
        field_name="country__code",
        label="Country",
        help_text="ISO 3166 alpha-2 code; repeat for several (any of them).",
    )
    priority = FeatureFilter(
        lookup="priorities__code",
        field_name="priorities__code",
        conjoined=True,
        label="Priorities (all of)",
        help_text="Taxonomy code; repeat for several: a document must have all of them.",
    )

    class Meta:
        model = StrategicDocument
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(issuer__icontains=word) | Q(description__icontains=word)
            )
        return queryset


class InstrumentMatrixFilterSet(django_filters.FilterSet):
    """The instruments × features matrix (seed 001 figure 2): its own small filter set, since
    the matrix shows every real instrument, open or not."""

    feature = FeatureFilter(field_name="features__code", label="Features (any of)")
    country = CountryFilter(field_name="country__code", label="Country")
    origin = django_filters.ChoiceFilter(choices=Instrument.Origin.choices, empty_label="any")

    class Meta:
        model = Instrument
        fields = ["feature", "country", "origin"]
