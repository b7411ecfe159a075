from django.contrib import admin

from clusterbridge.core.admin import HistoryAdminMixin
from clusterbridge.events.models import Event


@admin.register(Event)
class EventAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "start", "organiser_cluster")
    list_filter = ("kind",)
    search_fields = ("title",)
