"""Administrators' raw view of marketplace posts. Every save goes through the history; the
steps of a post's life cycle are taken on the site, whose services keep the rules."""

from django.contrib import admin

from clusterbridge.core.admin import HistoryAdminMixin
from clusterbridge.marketplace.models import Message, Post


@admin.register(Post)
class PostAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "organisation", "status", "urgency", "valid_until")
    list_filter = ("kind", "status", "urgency", "is_synthetic")
    search_fields = ("title", "organisation__name")
    raw_id_fields = ("organisation", "cluster", "funding_call")
    filter_horizontal = ("features", "ecosystems", "sectors", "countries")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("post", "sender", "created_at")
    raw_id_fields = ("post", "sender", "sender_organisation", "reply_to")
