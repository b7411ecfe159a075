"""The filters of a person's own alerts list (/alerts/)."""

import django_filters
from django import forms

from clusterbridge.alerts.models import Frequency, SavedSearch


class SavedSearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        label="Name",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.MultipleChoiceFilter(choices=SavedSearch.Kind.choices, label="Follows")
    frequency = django_filters.MultipleChoiceFilter(choices=Frequency.choices, label="E-mail")

    class Meta:
        model = SavedSearch
        fields: list[str] = []
