"""One FilterSet per list, shared by the HTML page and the API (same parameter names)."""

import django_filters
from django import forms

from clusterbridge.core.search import search
from clusterbridge.projects.models import Project, Stage
from clusterbridge.taxonomy.filters import CountryFilter, FeatureFilter


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Free text", widget=forms.TextInput(attrs={"type": "search"})
    )
    feature = FeatureFilter(conjoined=True, field_name="features__code", label="Features (all of)")
    country = CountryFilter(field_name="country__code", label="Country")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="any stage")
    call = django_filters.CharFilter(field_name="call", lookup_expr="iexact", label="Call")

    class Meta:
        model = Project
        fields = ["q", "feature", "country", "stage", "call"]

    def filter_text(self, queryset, name, value):
        return search(queryset, value)
