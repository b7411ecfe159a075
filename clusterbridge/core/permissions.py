"""API permission that asks the model's own policy (TrackedModel.user_can_*)."""

from rest_framework import permissions


class ModelPolicy(permissions.BasePermission):
    """Reads are public; writes follow `user_can_create` / `user_can_change` of the model."""

    message = "You may not change this record."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method == "POST":
            return view.get_queryset().model.user_can_create(request.user)
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return obj.user_can_change(request.user)
