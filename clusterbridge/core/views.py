"""History pages: a record's changes, revert, and the administrators' trash (restore)."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clusterbridge.accounts.roles import is_admin
from clusterbridge.core import home as home_sections
from clusterbridge.core.models import ObjectChange, TrackedModel
from clusterbridge.core.redirects import redirect_back
from clusterbridge.core.services import service_for


def home(request):
    return render(request, "home.html", {"sections": home_sections.sections_for(request)})


@login_required
def change_detail(request, pk: int):
    change = get_object_or_404(ObjectChange.objects.select_related("user", "content_type"), pk=pk)
    obj = change.target
    if obj is None or not obj.user_can_view_history(request.user):
        raise PermissionDenied
    return render(request, "core/change_detail.html", {"change": change, "object": obj})


@require_POST
@login_required
def revert_change(request, pk: int):
    """Revert through the record's service: the permission rule of the write it amounts to
    (an edit, or a delete for a creation), review included where edits are reviewed."""
    change = get_object_or_404(ObjectChange.objects.select_related("content_type"), pk=pk)
    obj = change.target
    if obj is None:
        raise Http404("The record of this change no longer exists.")
    fallback = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "home"
    try:
        result = service_for(obj).revert(change, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect_back(request, fallback)
    if result.waiting_for_review:
        messages.success(
            request,
            f"Reverting change #{change.pk} waits for an administrator's review, like any edit "
            "of this record.",
        )
    elif not result.changed:
        messages.info(request, f"Nothing to revert: change #{change.pk} left nothing to undo.")
    else:
        messages.success(
            request, f"Change #{change.pk} was reverted; the revert is itself in the history."
        )
    if result.obj.is_deleted:  # a creation was reverted: its page is gone
        return redirect("home")
    return redirect_back(request, fallback)


def _tracked_models():
    return [m for m in apps.get_models() if issubclass(m, TrackedModel)]


def _admin_only(request):
    if not is_admin(request.user):
        raise PermissionDenied("Only administrators see and restore deleted records.")


@login_required
def trash(request):
    _admin_only(request)
    sections = []
    for model in _tracked_models():
        related = [f.name for f in model._meta.fields if f.many_to_one]
        deleted = list(
            model.all_objects.deleted().select_related(*related).order_by("-deleted_at")[:200]
        )
        if deleted:
            content_type = ContentType.objects.get_for_model(model)
            sections.append({"model": model._meta, "content_type": content_type, "items": deleted})
    return render(request, "core/trash.html", {"sections": sections})


@require_POST
@login_required
def restore(request, content_type_id: int, pk: str):
    _admin_only(request)
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not issubclass(model, TrackedModel):
        raise Http404
    obj = get_object_or_404(model.all_objects.deleted(), pk=pk)
    try:
        service_for(model).restore(obj, request.user)
    except ValidationError as error:
        messages.error(request, f"“{obj}” cannot be restored: {' '.join(error.messages)}")
    else:
        messages.success(request, f"“{obj}” was restored.")
    return redirect_back(request, "trash")
