import django_filters
from rest_framework import viewsets

from clusterbridge.taxonomy.api.serializers import (
    CountrySerializer,
    FeatureSerializer,
    TermSerializer,
)
from clusterbridge.taxonomy.models import Country, Feature, Term, Vocabulary


class FeatureFilterSet(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__code")

    class Meta:
        model = Feature
        fields = ["category"]


class FeatureViewSet(viewsets.ReadOnlyModelViewSet):
    """The feature taxonomy (all entries in one response: it is small and fixed)."""

    queryset = Feature.objects.select_related("category").order_by("category__order", "order")
    serializer_class = FeatureSerializer
    filterset_class = FeatureFilterSet
    pagination_class = None
    lookup_field = "code"


class TermFilterSet(django_filters.FilterSet):
    vocabulary = django_filters.ChoiceFilter(choices=Vocabulary.choices)

    class Meta:
        model = Term
        fields = ["vocabulary"]


class TermViewSet(viewsets.ReadOnlyModelViewSet):
    """Controlled vocabularies: ecosystems, sectors, technologies, services."""

    queryset = Term.objects.all()
    serializer_class = TermSerializer
    filterset_class = TermFilterSet
    pagination_class = None


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    pagination_class = None
    lookup_field = "code"
