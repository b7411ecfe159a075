"""The suggestion buttons of the panel (`{% suggestions_panel object %}`): suggest, accept,
reject, each answering with a redirect back to the record; and the editors' queue, where
pending suggestions of every record are confirmed or rejected in bulk."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from clusterbridge.accounts.roles import is_editor
from clusterbridge.core.bulk import decide_ticked
from clusterbridge.core.filter_panel import (
    Facet,
    Fields,
    FilterPanel,
    field_errors,
    options,
    selected,
)
from clusterbridge.core.redirects import redirect_back
from clusterbridge.suggestions import services
from clusterbridge.suggestions.filtersets import FeatureSuggestionFilterSet
from clusterbridge.suggestions.models import FeatureSuggestion
from clusterbridge.taxonomy.models import FeatureCategory


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


QUEUE_PAGE = 50


def _kinds():
    """(app_label.model, plural name) of every kind of record that takes suggestions."""
    from django.apps import apps

    return sorted(
        (f"{m._meta.app_label}.{m._meta.model_name}", str(m._meta.verbose_name_plural).capitalize())
        for m in apps.get_models()
        if services.supports_suggestions(m) and any(f.name == "description" for f in m._meta.fields)
    )


def _without(make, request, name: str):
    query = request.GET.copy()
    query.pop(name, None)
    filterset = make(query)
    return filterset.qs if filterset.is_valid() else FeatureSuggestion.objects.none()


@login_required
def queue(request):
    """Pending suggested features of every record, for editors to confirm or reject in bulk."""
    if not is_editor(request.user):
        raise PermissionDenied("The suggestions queue is for editors.")
    kinds = _kinds()

    def make(query):
        return FeatureSuggestionFilterSet(query, queryset=services.pending_queue(), kinds=kinds)

    filterset = make(request.GET)
    suggestions = filterset.qs if filterset.is_valid() else FeatureSuggestion.objects.none()
    total = suggestions.count()
    page = Paginator(suggestions.prefetch_related("target"), QUEUE_PAGE).get_page(
        request.GET.get("page")
    )
    # Each facet counts with every other filter applied.
    category_counts = dict(
        _without(make, request, "category")
        .order_by()
        .values_list("feature__category__code")
        .annotate(n=Count("pk"))
    )
    kind_counts = {
        f"{app}.{model}": n
        for app, model, n in _without(make, request, "kind")
        .order_by()
        .values_list("content_type__app_label", "content_type__model")
        .annotate(n=Count("pk"))
    }
    kind_total = sum(kind_counts.values())
    panel = FilterPanel(
        request,
        [
            Facet(
                "category",
                "Feature category",
                options(
                    FeatureCategory.objects.values_list("code", "label"),
                    category_counts,
                    selected(request, "category"),
                ),
            ),
            Facet(
                "kind",
                "Record",
                options(
                    [("", "Any kind of record"), *kinds],
                    {"": kind_total, **kind_counts},
                    [request.GET.get("kind", "")],
                ),
                multiple=False,
            ),
            Fields("", [filterset.form["min_score"]]),
        ],
        total=total,
        label="Filter suggestions",
        noun=("suggestion", "suggestions"),
        errors=field_errors(filterset.form),
        count=lambda query: make(query).qs.count(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "suggestions/queue.html",
        {"page": page, "panel": panel, "query": query.urlencode(), "total": total},
    )


@require_POST
@login_required
def decide(request):
    """Confirm or reject the ticked suggestions of the queue."""
    if not is_editor(request.user):
        raise PermissionDenied("The suggestions queue is for editors.")
    return decide_ticked(
        request,
        "suggestion",
        lambda ids, decision: services.decide_many(ids, request.user, decision),
        "suggestions:queue",
    )
