"""Admin integration: admin edits go through the history services too."""

from django.contrib import admin

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.core.services import service_for


class HistoryAdminMixin:
    """Admin creates and updates go through the model's service (history, version); deletes
    become soft deletes."""

    def save_model(self, request, obj, form, change):
        """Saved in `save_related`, together with its many-to-many values."""

    def save_related(self, request, form, formsets, change):
        history.save_form(form, user=request.user, message="Changed in the administration site")
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        service_for(obj).delete(obj, request.user, message="Deleted in the administration site")

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
