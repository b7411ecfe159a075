"""Admin integration: admin edits go through the history services too."""

from django.contrib import admin

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange


class HistoryAdminMixin:
    """Records admin creates/updates in the history; deletes become soft deletes."""

    def save_model(self, request, obj, form, change):
        stored = type(obj).all_objects.filter(pk=obj.pk).first() if obj.pk else None
        request._history_before = history.snapshot(stored) if stored is not None else None
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_history_before", None)
        after = history.snapshot(obj)
        if before != after:
            action = history.Action.UPDATE if before is not None else history.Action.CREATE
            history.record(
                obj,
                action,
                user=request.user,
                before=before,
                after=after,
                message="Changed in the administration site",
            )

    def delete_model(self, request, obj):
        history.soft_delete(obj, user=request.user, message="Deleted in the administration site")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    list_display = ("time", "action", "object_repr", "content_type", "user_name", "request_id")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "user_name", "message")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
