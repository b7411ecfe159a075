"""The one FilterSet of the indicator catalogue, shared by /benchmarking/ and
/api/v1/benchmarking/indicators/."""

import django_filters
from django.db.models import Q

from clusterbridge.benchmarking.models import AnswerType, Block, Indicator


class IndicatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search the questions")
    block = django_filters.MultipleChoiceFilter(choices=Block.choices, label="Block")
    answer_type = django_filters.MultipleChoiceFilter(
        choices=AnswerType.choices, label="Answer type"
    )
    label_rule = django_filters.BooleanFilter(
        method="filter_label_rule", label="Label eligibility rules only"
    )

    class Meta:
        model = Indicator
        fields = ["q", "block", "answer_type", "label_rule"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(question__icontains=word) | Q(topic__icontains=word) | Q(code__iexact=word)
            )
        return queryset

    def filter_label_rule(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(eligibility="") if value else queryset.filter(eligibility="")
