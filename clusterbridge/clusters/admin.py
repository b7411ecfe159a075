"""Administrators' raw view of the catalogue (moderation itself happens on
/clusters/moderation/ through the services). Every save goes through the history."""

from django.contrib import admin

from clusterbridge.clusters.models import ChangeRequest, Cluster, ClusterManager, Network
from clusterbridge.core.admin import HistoryAdminMixin


@admin.register(Cluster)
class ClusterAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "country", "status", "label_level", "label_expires", "is_synthetic")
    list_filter = ("status", "label_level", "is_synthetic", "country")
    search_fields = ("name", "slug")
    readonly_fields = ("provenance", "field_sources", "size_members")
    filter_horizontal = ("countries", "sectors", "ecosystems", "technologies", "services")


@admin.register(Network)
class NetworkAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "country", "member_of")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    readonly_fields = ("provenance",)


@admin.register(ClusterManager)
class ClusterManagerAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("user", "cluster", "role", "trusted", "approved")
    list_filter = ("role", "trusted", "approved")
    search_fields = ("user__username", "cluster__name")
    raw_id_fields = ("user", "cluster", "invited_by")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("cluster", "submitted_by", "status", "created_at", "decided_by")
    list_filter = ("status",)
    readonly_fields = (
        "cluster",
        "changes",
        "original",
        "submitted_by",
        "status",
        "reason",
        "decided_by",
        "decided_at",
    )
