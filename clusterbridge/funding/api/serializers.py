"""Instruments and strategic documents as JSON; writes go through the funding services
(core.api.ServiceSerializer), so the API validates, checks and records what the pages do."""

import datetime

from rest_framework import serializers

from clusterbridge.core.api import ServiceSerializer
from clusterbridge.funding.models import Instrument, StrategicDocument, today
from clusterbridge.taxonomy.models import Country, Feature


class CodeField(serializers.SlugRelatedField):
    """A taxonomy entry by its code; an unknown code is an error that names it."""

    default_error_messages = {
        "does_not_exist": "Unknown code: {value}.",
        "invalid": "Invalid code.",
    }

    def __init__(self, model, **kwargs):
        super().__init__(slug_field="code", queryset=model.objects.all(), **kwargs)


class InstrumentSerializer(ServiceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="instrument-detail")
    page = serializers.CharField(source="get_absolute_url", read_only=True)
    country = CodeField(Country, allow_null=True, required=False)
    features = CodeField(Feature, many=True, required=False)
    deadline_dates = serializers.ListField(
        child=serializers.DateField(), required=False, help_text="All cut-off dates, YYYY-MM-DD."
    )
    status = serializers.SerializerMethodField()
    status_reason = serializers.SerializerMethodField()
    next_deadline = serializers.SerializerMethodField()
    search_rank = serializers.FloatField(read_only=True, required=False)

    class Meta:
        model = Instrument
        fields = [
            "id",
            "url",
            "page",
            "kind",
            "name",
            "identifier",
            "source",
            "origin",
            "cover_level",
            "country",
            "link",
            "target_organisations",
            "international_funding",
            "target_scope",
            "budget_amount",
            "budget_currency",
            "periodicity",
            "opening_date",
            "deadline_dates",
            "final_deadline",
            "next_deadline",
            "status",
            "status_reason",
            "period_start",
            "period_end",
            "closed_reason",
            "work_programme_year",
            "incomplete_at_source",
            "source_group",
            "description",
            "features",
            "source_status",
            "last_reviewed_at",
            "archived_at",
            "notes",
            "provenance",
            "is_synthetic",
            "search_rank",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "final_deadline",
            "work_programme_year",
            "archived_at",
            "provenance",
            "is_synthetic",
            "created_at",
            "updated_at",
        ]

    def get_status(self, obj) -> str:
        return obj.status_on(today())

    def get_status_reason(self, obj) -> str:
        return obj.status_reason(today())

    def get_next_deadline(self, obj) -> datetime.date | None:
        return obj.next_deadline(today())

    def validate_deadline_dates(self, value):
        return [d.isoformat() for d in sorted(set(value))]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not hasattr(instance, "search_rank"):
            data.pop("search_rank", None)
        return data


class StrategicDocumentSerializer(ServiceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="strategic-document-detail")
    page = serializers.CharField(source="get_absolute_url", read_only=True)
    country = CodeField(Country, allow_null=True, required=False)
    priorities = CodeField(Feature, many=True, required=False)

    class Meta:
        model = StrategicDocument
        fields = [
            "id",
            "url",
            "page",
            "name",
            "issuer",
            "country",
            "link",
            "period",
            "description",
            "priorities",
            "notes",
            "provenance",
            "is_synthetic",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["provenance", "is_synthetic", "created_at", "updated_at"]
