from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets

from clusterbridge.core.api import VersionedMixin, versioned_schema
from clusterbridge.core.permissions import ModelPolicy
from clusterbridge.funding.api.serializers import InstrumentSerializer, StrategicDocumentSerializer
from clusterbridge.funding.filtersets import InstrumentFilterSet, StrategicDocumentFilterSet
from clusterbridge.funding.models import Instrument, StrategicDocument
from clusterbridge.taxonomy.models import Feature

FEATURE_CODES = Prefetch("features", queryset=Feature.objects.only("code").order_by())


@extend_schema_view(**versioned_schema(InstrumentSerializer))
class InstrumentViewSet(VersionedMixin, viewsets.ModelViewSet):
    """Funding instruments. The list takes the same filters as the page `/funding/`:
    q, origin, country, feature (+ feature_mode=any), kind, status (repeatable: open,
    forthcoming, unknown, closed or all; default open and forthcoming), deadline_after,
    deadline_before, budget_min, budget_max, include_synthetic, ordering."""

    serializer_class = InstrumentSerializer
    filterset_class = InstrumentFilterSet
    permission_classes = [ModelPolicy]

    def get_queryset(self):
        return Instrument.objects.select_related("country").prefetch_related(FEATURE_CODES)

    def filter_queryset(self, queryset):
        # The search filters (open and forthcoming by default...) apply to the list only: a
        # closed or synthetic instrument can still be read, edited and deleted by its id.
        if self.action != "list":
            return queryset
        # The same FilterSet as DjangoFilterBackend builds; its results come from the search
        # index (SQL fetches only the page), or from the ORM while the index is rebuilt.
        filterset = DjangoFilterBackend().get_filterset(self.request, queryset, self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.results()


@extend_schema_view(**versioned_schema(StrategicDocumentSerializer))
class StrategicDocumentViewSet(VersionedMixin, viewsets.ModelViewSet):
    """Strategic documents (e.g. national cybersecurity strategies) and their priorities.
    The list takes the same filters as the page `/funding/strategies/`: q, country, priority."""

    serializer_class = StrategicDocumentSerializer
    filterset_class = StrategicDocumentFilterSet
    permission_classes = [ModelPolicy]

    def get_queryset(self):
        return (
            StrategicDocument.objects.filter(is_synthetic=False)
            .select_related("country")
            .prefetch_related(Prefetch("priorities", queryset=Feature.objects.only("code")))
        )
