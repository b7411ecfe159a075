from django.contrib import admin

from clusterbridge.core.admin import HistoryAdminMixin
from clusterbridge.projects.models import Project


@admin.register(Project)
class ProjectAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "call", "stage", "country", "visibility", "owner", "is_synthetic")
    list_filter = ("call", "stage", "visibility", "is_synthetic")
    search_fields = ("name", "organisation", "supporting_cluster", "owner_cluster__name")
    filter_horizontal = ("features",)
    readonly_fields = ("provenance", "name_variants", "source_doubts")
    raw_id_fields = ("owner",)
