"""The editors' queue of pending suggestions: one FilterSet for the page (and any API)."""

import django_filters
from django.contrib.contenttypes.models import ContentType

from clusterbridge.suggestions.models import FeatureSuggestion
from clusterbridge.taxonomy.filters import FeatureFilter
from clusterbridge.taxonomy.models import FeatureCategory


def _categories():
    return list(FeatureCategory.objects.values_list("code", "label"))


class FeatureSuggestionFilterSet(django_filters.FilterSet):
    category = django_filters.MultipleChoiceFilter(
        field_name="feature__category__code", choices=_categories, label="Feature category"
    )
    feature = FeatureFilter(lookup="feature__code", field_name="feature__code", label="Feature")
    kind = django_filters.ChoiceFilter(
        method="filter_kind", choices=(), empty_label="any kind of record", label="Record"
    )
    min_score = django_filters.NumberFilter(
        field_name="score", lookup_expr="gte", label="Confidence at least (0–1)"
    )

    class Meta:
        model = FeatureSuggestion
        fields = ["category", "feature", "kind", "min_score"]

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = list(kinds)

    def filter_kind(self, queryset, name, value):
        app_label, _, model = value.partition(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        return queryset.filter(content_type=content_type) if content_type else queryset.none()
