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
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusterbridge.core.search import search, terms
from clusterbridge.funding import index
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


# What to leave out of a signed-in person's results (the calls they dismissed as not
# relevant), registered by the app that keeps it: hook(request) → set of instrument ids.
HIDDEN_FOR: list = []


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
        label="Open to applicants from",
        help_text="ISO 3166 alpha-2 code; repeat for several (any of them). Instruments open "
        "to applicants from that country: international and EU-wide ones, and the national "
        "and regional ones of that country (as matching counts them).",
    )
    origin_country = CountryFilter(
        method="filter_origin_country",
        label="Country of the funding body",
        help_text="ISO 3166 alpha-2 code; repeat for several. Only instruments recorded with "
        "that country (national and regional ones): what `country` meant before.",
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
    source_group = django_filters.CharFilter(
        method="filter_nothing",
        label="Programme entry",
        help_text="Only the records of one programme entry grouping records incomplete at "
        "source (e.g. the Lithuanian columns of SecurIT figure 2). On the search page, "
        "without it, each such group shows as one entry.",
    )
    include_synthetic = django_filters.BooleanFilter(
        method="filter_synthetic",
        widget=BooleanWidget,
        label="Include synthetic test records",
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES, method="filter_nothing", empty_label=None, label="Sort by"
    )
    show_dismissed = django_filters.BooleanFilter(
        method="filter_nothing",
        widget=BooleanWidget,
        label="Show the results I dismissed",
        help_text="Signed in: results you marked as not relevant are left out unless true.",
    )

    class Meta:
        model = Instrument
        fields: list[str] = []

    def __init__(
        self, data=None, queryset=None, *, request=None, prefix=None, group_incomplete=False
    ):
        # The public page shows records incomplete at source that share a programme entry
        # as one entry (`group_incomplete`); the API and the exports list every record.
        self.group_incomplete = group_incomplete
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
        # With the search index, they are the index's (the taxonomy's writes refresh it too).
        self.search_index = functools.cache(index.current)
        self.feature_ids = functools.cache(
            lambda: (
                self.search_index().feature_codes
                if self.search_index()
                else dict(Feature.objects.values_list("code", "id"))
            )
        )
        self.country_ids = functools.cache(
            lambda: (
                self.search_index().country_codes
                if self.search_index()
                else dict(Country.objects.values_list("code", "id"))
            )
        )
        self.form.fields["feature"].known_codes = lambda: self.feature_ids().keys()
        self.form.fields["country"].known_codes = lambda: self.country_ids().keys()
        self.form.fields["origin_country"].known_codes = lambda: self.country_ids().keys()

    # Filters -----------------------------------------------------------------------------
    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_feature / order()

    def filter_q(self, queryset, name, value):
        if not terms(value):
            return queryset
        return search(queryset, value)

    @extend_schema_field(CODE_LIST)
    def filter_country(self, queryset, name, value):
        return queryset.filter(open_to(self.country_ids()[code] for code in value))

    @extend_schema_field(CODE_LIST)
    def filter_origin_country(self, queryset, name, value):
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

    def hidden_ids(self) -> set[int]:
        """The results this person dismissed (left out unless show_dismissed)."""
        if not hasattr(self, "_hidden"):
            self._hidden: set[int] = set()
            if self.request is not None and not self.form.cleaned_data.get("show_dismissed"):
                for hook in HIDDEN_FOR:
                    self._hidden |= hook(self.request)
        return self._hidden

    def filter_queryset(self, queryset, *, skip: tuple[str, ...] = ()):
        if not self.form.cleaned_data.get("include_synthetic"):
            queryset = queryset.real()
        if self.hidden_ids():
            queryset = queryset.exclude(pk__in=self.hidden_ids())
        for name, value in self.form.cleaned_data.items():
            if name in skip:
                continue
            queryset = self.filters[name].filter(queryset, value)
        group = self.form.cleaned_data.get("source_group")
        if group:
            return queryset.filter(source_group=group)
        return collapse_incomplete_groups(queryset) if self.group_incomplete else queryset

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
        # Records incomplete at source come after the complete ones, whatever the order.
        soonest = (F("final_deadline").asc(nulls_last=True), "name", "pk")
        queryset = queryset.order_by()
        complete_first = F("incomplete_at_source").asc()
        if ordering == "relevance":
            if self.has_text_query:
                return queryset.order_by(complete_first, "-search_rank", *soonest)
            return queryset.order_by(complete_first, *soonest)
        if ordering == "deadline":
            return queryset.order_by(complete_first, *soonest)
        if ordering == "-deadline":
            return queryset.order_by(
                complete_first, F("final_deadline").desc(nulls_last=True), "name", "pk"
            )
        return queryset.order_by(complete_first, ordering, "pk")

    # The index -----------------------------------------------------------------------------
    def indexed(self):
        """(index, result ids, text terms) from the process's search index, or None when the
        index is off or being rebuilt (then the ORM filter answers)."""
        if not hasattr(self, "_indexed"):
            self._indexed = None
            if self.is_valid() and (idx := self.search_index()) is not None:
                result, found = index.matches(
                    idx,
                    self.form.cleaned_data,
                    self.on,
                    self.chosen_statuses,
                    self.feature_ids(),
                    self.country_ids(),
                    hidden=self.hidden_ids(),
                    group_incomplete=self.group_incomplete,
                )
                self._indexed = (idx, result, found)
        return self._indexed

    def results(self):
        """The ordered results for a page: the index's answer (SQL fetches only the rows of
        the page) or, without the index, `qs`."""
        indexed = self.indexed()
        if indexed is None:
            return self.qs
        idx, result, found = indexed
        ordering = self.form.cleaned_data.get("ordering") or "relevance"
        return IndexedResults(
            self.queryset.all(),
            lambda: index.ordered_ids(idx, result, ordering, found),
            len(result),
        )

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
        if (indexed := self.indexed()) is not None:
            codes = {pk: code for code, pk in self.country_ids().items()}
            counts, self.total, present, _ = index.facet_counts(
                indexed[0],
                self.form.cleaned_data,
                self.on,
                self.chosen_statuses,
                self.feature_ids(),
                self.country_ids(),
                codes,
                hidden=self.hidden_ids(),
                group_incomplete=self.group_incomplete,
            )
            chosen = set(self.form.cleaned_data.get("country") or [])
            self.country_labels = {code: code for code in chosen}
            self.country_labels.update({code: indexed[0].country_labels[code] for code in present})
            return counts
        return self.orm_facet_counts()

    def orm_facet_counts(self) -> dict[str, Counter]:
        self.country_labels = {}
        self.total = 0

        # origin, kind, country and status in one grouped query over the results without
        # those four filters; each facet then applies the other three selections in Python.
        scalar = ("origin", "kind", "country", "status")
        base = self.filter_queryset(self.queryset.all(), skip=scalar).order_by()
        groups = list(
            base.with_status(self.on)
            .values("origin", "cover_level", "kind", "country__code", "country__label", "status")
            .annotate(n=Count("pk"))
        )
        data = self.form.cleaned_data
        chosen = {
            "origin": set(data.get("origin") or []),
            "kind": set(data.get("kind") or []),
            "country": set(data.get("country") or []),
            "status": self.chosen_statuses,
        }
        field_of = {"origin": "origin", "kind": "kind", "status": "status"}
        codes = {g["country__code"] for g in groups if g["country__code"]} | chosen["country"]

        def open_from(group) -> set:
            """The countries whose applicants the group's instruments are open to."""
            if group["country__code"] is None or not index.is_restricted(
                group["origin"], group["cover_level"]
            ):
                return codes
            return {group["country__code"]}

        def passes(group, facet):
            return all(
                not chosen[other]
                or (
                    open_from(group) & chosen[other]
                    if other == "country"
                    else group[field_of[other]] in chosen[other]
                )
                for other in scalar
                if other != facet
            )

        counts: dict[str, Counter] = {}
        for facet in scalar:
            counts[facet] = Counter()
            for group in groups:
                if passes(group, facet):
                    values = open_from(group) if facet == "country" else [group[field_of[facet]]]
                    for value in values:
                        counts[facet][value] += group["n"]
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


def collapse_incomplete_groups(queryset):
    """Records incomplete at source that share a programme entry (`source_group`) show as
    one: the first of the group among `queryset` stands for it (one small grouped query)."""
    firsts = (
        queryset.order_by()
        .filter(incomplete_at_source=True)
        .exclude(source_group="")
        .values("source_group")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    firsts = list(firsts)
    return queryset.filter(Q(incomplete_at_source=False) | Q(source_group="") | Q(pk__in=firsts))


def open_to(country_ids) -> Q:
    """Instruments open to applicants from any of the countries: those not restricted to
    their country (international, EU-wide), those whose country is not recorded, and the
    national and regional ones of those countries — the rule matching applies."""
    restricted = Q(origin=Instrument.Origin.NATIONAL) | Q(cover_level__in=index.RESTRICTED_COVER)
    return ~restricted | Q(country__isnull=True) | Q(country_id__in=list(country_ids))


class IndexedResults:
    """The results of the index in their order, for Django's and DRF's paginators: counts
    without SQL, and a slice is one query for the rows of the page (with the base queryset's
    select_related / prefetch_related)."""

    ordered = True

    def __init__(self, queryset, ids, total: int):
        self.queryset, self._ids, self.total = queryset, ids, total

    @functools.cached_property
    def _ordered(self):
        return self._ids()

    @property
    def ids(self):
        return self._ordered[0]

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def _rebase(self, queryset):
        return IndexedResults(queryset, self._ids, self.total)

    def select_related(self, *fields):
        return self._rebase(self.queryset.select_related(*fields))

    def prefetch_related(self, *lookups):
        return self._rebase(self.queryset.prefetch_related(*lookups))

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        page = [int(pk) for pk in self.ids[key]]
        scores = self._ordered[1]
        rows = {row.pk: row for row in self.queryset.filter(pk__in=page).order_by()}
        if scores is not None:
            for pk, score in zip(page, scores[key], strict=True):
                if pk in rows:
                    rows[pk].search_rank = float(score)
        return [rows[pk] for pk in page if pk in rows]

    def __iter__(self):
        step = 1000
        for start in range(0, self.total, step):
            yield from self[start : start + step]

    def values_list(self, *fields, flat=False):
        # For callers that want the ids in order (tests, exports of ids).
        if fields == ("pk",) and flat:
            return [int(pk) for pk in self.ids]
        raise NotImplementedError(fields)


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
