"""The suggestion buttons of the panel (`{% suggestions_panel object %}`): suggest, accept,
reject. Each answers with a redirect back to the record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from clusterbridge.core.redirects import redirect_back
from clusterbridge.suggestions import services
from clusterbridge.suggestions.models import FeatureSuggestion


def _back(request, obj):
    # A record without a page of its own sends the person home.
    return redirect_back(request, obj if hasattr(obj, "get_absolute_url") else "home")


@require_POST
@login_required
def suggest(request, content_type_id: int, object_id: str):
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not services.supports_suggestions(model):
        raise Http404("This kind of record does not take suggested features.")
    try:
        obj = model._default_manager.get(pk=object_id)
    except (model.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such record.") from None
    created = services.suggest_for(obj, user=request.user)
    if created:
        codes = ", ".join(s.feature.code for s in created)
        messages.success(request, f"{len(created)} feature(s) suggested: {codes}.")
    else:
        messages.info(request, "No new feature found in the description.")
    return _back(request, obj)


def _decide(request, pk: int, action, done: str):
    suggestion = get_object_or_404(FeatureSuggestion, pk=pk)
    try:
        obj = services.live_target(suggestion)
    except ValidationError:
        raise Http404("The record of this suggestion no longer exists.") from None
    try:
        action(suggestion, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{suggestion.feature} {done}.")
    return _back(request, obj)


@require_POST
@login_required
def accept(request, pk: int):
    return _decide(request, pk, services.accept, "added to the record")


@require_POST
@login_required
def reject(request, pk: int):
    return _decide(request, pk, services.reject, "rejected")
