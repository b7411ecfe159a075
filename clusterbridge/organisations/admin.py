"""Administrators' raw view of organisations and their links. Every save goes through the
history; member and cluster decisions are best taken on the site, whose services keep the
rules (last owner, mails)."""

from django.contrib import admin

from clusterbridge.core.admin import HistoryAdminMixin
from clusterbridge.organisations.models import ClusterMembership, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "type", "country", "size", "is_synthetic", "created_at")
    list_filter = ("type", "size", "is_synthetic", "country")
    search_fields = ("name", "slug")
    readonly_fields = ("provenance",)
    filter_horizontal = ("features", "ecosystems", "sectors")


@admin.register(Membership)
class MembershipAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "status", "created_at", "decided_at")
    list_filter = ("role", "status")
    search_fields = ("user__username", "user__email", "organisation__name")
    raw_id_fields = ("user", "organisation", "decided_by")


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "cluster", "status", "show_publicly", "created_at")
    list_filter = ("status", "show_publicly")
    search_fields = ("organisation__name", "cluster__name")
    raw_id_fields = ("organisation", "cluster", "requested_by", "decided_by")
