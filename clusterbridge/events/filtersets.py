"""The FilterSets of the event list (/events/ and /api/v1/events/) and of an event's
participants (the page and /api/v1/events/<slug>/participants/): same parameter names on
the page and in the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from clusterbridge.core.search import search_filter
from clusterbridge.events.models import Event, EventKind, Participant
from clusterbridge.organisations.models import OrganisationType
from clusterbridge.taxonomy.filters import CountryFilter, FeatureFilter, TermFilter
from clusterbridge.taxonomy.models import Vocabulary

WHEN_CHOICES = [("upcoming", "Upcoming"), ("past", "Past"), ("all", "Any time")]
ATTENDANCE_CHOICES = [("online", "Online"), ("onsite", "On site")]


class EventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Search", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label="Kind")
    ecosystem = TermFilter(
        Vocabulary.ECOSYSTEMS,
        "ecosystems__code",
        field_name="ecosystems__code",
        label="Industrial ecosystem",
    )
    country = CountryFilter(field_name="country__code", label="Country")
    attendance = django_filters.ChoiceFilter(
        choices=ATTENDANCE_CHOICES, method="filter_attendance", label="Online or on site"
    )
    when = django_filters.ChoiceFilter(
        choices=WHEN_CHOICES,
        method="filter_when",
        label="When",
        empty_label=None,
        help_text="upcoming (default), past or all.",
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return search_filter(queryset, value)

    def filter_attendance(self, queryset, name, value):
        if value == "online":
            return queryset.exclude(online_url="")
        if value == "onsite":
            return queryset.exclude(venue="")
        return queryset

    def filter_when(self, queryset, name, value):
        return queryset

    @property
    def period(self) -> str:
        value = self.data.get("when") or "upcoming"
        return value if value in dict(WHEN_CHOICES) else "upcoming"

    @property
    def qs(self):
        queryset = super().qs
        now = timezone.now()
        if self.period == "past":
            return queryset.filter(end__lt=now).order_by("-start", "pk")
        if self.period == "upcoming":
            return queryset.filter(end__gte=now).order_by("start", "pk")
        return queryset.order_by("-start", "pk")


class ParticipantFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Offers or seeks",
        help_text="Words in the name, the offer or the needs.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    feature = FeatureFilter(lookup="offer_features__code", method="filter_feature", label="Feature")
    ecosystem = TermFilter(
        Vocabulary.ECOSYSTEMS,
        "ecosystems__code",
        field_name="ecosystems__code",
        label="Industrial ecosystem",
    )
    country = CountryFilter(lookup="organisation__country__code", label="Country")
    type = django_filters.MultipleChoiceFilter(
        choices=OrganisationType.choices, field_name="organisation__type", label="Organisation type"
    )
    side = django_filters.ChoiceFilter(
        choices=[("offers", "offered"), ("seeks", "sought")],
        method="filter_nothing",
        label="Features ticked above are",
        empty_label="offered or sought",
    )

    class Meta:
        model = Participant
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(search_text__icontains=word)
        return queryset

    def filter_feature(self, queryset, name, value):
        if not value:
            return queryset
        side = self.data.get("side", "")
        offers = Q(offer_features__code__in=value)
        seeks = Q(seek_features__code__in=value)
        condition = offers if side == "offers" else seeks if side == "seeks" else offers | seeks
        return queryset.filter(pk__in=Participant.objects.filter(condition).values("pk"))

    def filter_nothing(self, queryset, name, value):
        return queryset
