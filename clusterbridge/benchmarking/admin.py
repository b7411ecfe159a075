"""Administrators edit the indicators (each edit through the history, the record's version
going up; assessments keep the copy they were answered against)."""

from django.contrib import admin

from clusterbridge.benchmarking.models import Assessment, Indicator
from clusterbridge.core.admin import HistoryAdminMixin


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("code", "block", "topic", "answer_type", "weight", "version")
    list_filter = ("block", "answer_type")
    search_fields = ("code", "question", "topic")
    readonly_fields = ("provenance", "version", "catalogue_version")


@admin.register(Assessment)
class AssessmentAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("cluster", "status", "completion", "created_at", "submitted_at", "is_synthetic")
    list_filter = ("status", "is_synthetic")
    search_fields = ("cluster__name",)
    raw_id_fields = ("cluster", "created_by", "submitted_by")
    readonly_fields = ("indicators", "catalogue_version", "completion", "scores", "size_band")
