from django.contrib import admin

from clusterbridge.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "kind", "urgent", "created_at", "sent_at", "read_at")
    list_filter = ("kind", "urgent")
    search_fields = ("subject", "recipient__username")
    readonly_fields = [f.name for f in Notification._meta.fields]
