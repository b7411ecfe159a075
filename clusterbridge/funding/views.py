"""Funding pages: the public search, instrument and strategy pages, editors' forms and the
maintenance page. The query logic lives in InstrumentFilterSet and the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clusterbridge.accounts.roles import is_editor
from clusterbridge.core.editing import save_or_conflict
from clusterbridge.funding import services
from clusterbridge.funding.filtersets import STATUS_CHOICES, InstrumentFilterSet
from clusterbridge.funding.forms import InstrumentForm, StrategicDocumentForm
from clusterbridge.funding.models import Instrument, StrategicDocument, today
from clusterbridge.taxonomy.models import Feature, FeatureCategory

PAGE_SIZES = (10, 20, 50, 100)


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("page_size", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


def _features_by_category(features):
    """[(category, [features])] in taxonomy order, for pages that list features."""
    groups: dict = {}
    for feature in sorted(features, key=lambda f: (f.category.order, f.order)):
        groups.setdefault(feature.category, []).append(feature)
    return list(groups.items())


def _facet_options(choices, counts, selected):
    return [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "checked": value in selected,
        }
        for value, label in choices
    ]


def search(request):
    filterset = InstrumentFilterSet(request.GET or None, request=request)
    valid = filterset.is_valid()
    data = filterset.form.cleaned_data if valid else {}
    selected_features = set(data.get("feature") or [])
    paginator = Paginator(
        filterset.qs.select_related("country").prefetch_related(
            Prefetch("features", queryset=Feature.objects.select_related("category"))
        ),
        _page_size(request),
    )
    counts = filterset.facet_counts()
    paginator.count = filterset.total  # already counted with the facets
    page = paginator.get_page(request.GET.get("page"))
    on = today()
    for instrument in page.object_list:
        instrument.upcoming = instrument.next_deadline(on)
        instrument.days_left = (instrument.upcoming - on).days if instrument.upcoming else None
        instrument.status = instrument.status_on(on)
        instrument.feature_list = [
            {"feature": f, "matched": f.code in selected_features}
            for f in sorted(instrument.features.all(), key=lambda f: (f.category.order, f.order))
        ]
    categories = FeatureCategory.objects.prefetch_related("features").order_by("order")
    feature_groups = [
        {
            "category": category,
            "options": _facet_options(
                [(f.code, f"{f.code} {f.label}") for f in category.features.all()],
                counts["feature"],
                selected_features,
            ),
        }
        for category in categories
    ]
    selected_countries = set(data.get("country") or [])
    country_choices = sorted(filterset.country_labels.items(), key=lambda item: item[1])
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "paginator": paginator,
        "feature_groups": feature_groups,
        "origin_options": _facet_options(
            Instrument.Origin.choices, counts["origin"], set(data.get("origin") or [])
        ),
        "kind_options": _facet_options(
            Instrument.Kind.choices, counts["kind"], set(data.get("kind") or [])
        ),
        "status_options": _facet_options(
            STATUS_CHOICES, counts["status"], {data.get("status", "open")}
        ),
        "country_options": _facet_options(country_choices, counts["country"], selected_countries),
        "page_sizes": PAGE_SIZES,
        "page_size": paginator.per_page,
        "selected_features": selected_features,
        "can_edit": is_editor(request.user),
    }
    return render(request, "funding/search.html", context)


def instrument_detail(request, pk: int):
    instrument = get_object_or_404(
        Instrument.objects.select_related("country").prefetch_related(
            Prefetch("features", queryset=Feature.objects.select_related("category"))
        ),
        pk=pk,
    )
    on = today()
    deadlines = [
        {"date": d, "passed": d < on, "days_left": (d - on).days} for d in instrument.deadlines
    ]
    return render(
        request,
        "funding/instrument_detail.html",
        {
            "instrument": instrument,
            "status": instrument.status_on(on),
            "deadlines": deadlines,
            "feature_groups": _features_by_category(instrument.features.all()),
            "can_edit": instrument.user_can_change(request.user),
        },
    )


def _require_editor(request, obj=None):
    allowed = obj.user_can_change(request.user) if obj else is_editor(request.user)
    if not allowed:
        raise PermissionDenied("Only editors change funding records.")


def _edit(request, *, form_class, service, instance, template, noun):
    _require_editor(request, instance)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        result = save_or_conflict(request, form, service, obj=instance)
        if isinstance(result, HttpResponse):
            return result
        if result is not None:
            verb = "created" if instance is None else ("saved" if result.changed else "unchanged")
            messages.success(request, f"{noun} “{result.obj}” {verb}.")
            return redirect(result.obj)
    return render(request, template, {"form": form, "object": instance, "noun": noun})


def _delete(request, obj, *, service, noun, fallback):
    _require_editor(request, obj)
    if request.method == "POST":
        service.delete(obj, request.user)
        messages.success(
            request, f"{noun} “{obj}” deleted. Administrators can restore it from the trash."
        )
        return redirect(fallback)
    return render(request, "funding/confirm_delete.html", {"object": obj, "noun": noun})


@login_required
def instrument_create(request):
    return _edit(
        request,
        form_class=InstrumentForm,
        service=services.instruments,
        instance=None,
        template="funding/instrument_form.html",
        noun="Instrument",
    )


@login_required
def instrument_edit(request, pk: int):
    instrument = get_object_or_404(Instrument, pk=pk)
    return _edit(
        request,
        form_class=InstrumentForm,
        service=services.instruments,
        instance=instrument,
        template="funding/instrument_form.html",
        noun="Instrument",
    )


@login_required
def instrument_delete(request, pk: int):
    return _delete(
        request,
        get_object_or_404(Instrument, pk=pk),
        service=services.instruments,
        noun="Instrument",
        fallback="funding:search",
    )


@require_POST
@login_required
def instrument_reviewed(request, pk: int):
    instrument = get_object_or_404(Instrument, pk=pk)
    services.mark_reviewed(instrument, user=request.user)
    messages.success(request, f"“{instrument}” marked as reviewed today.")
    next_url = request.POST.get("next")
    return redirect("funding:maintenance" if next_url == "maintenance" else instrument)


@login_required
def maintenance(request):
    _require_editor(request)
    return render(
        request,
        "funding/maintenance.html",
        {
            "report": services.maintenance_report(),
            "closing_soon_days": services.CLOSING_SOON_DAYS,
            "today": today(),
        },
    )


# Strategic documents ---------------------------------------------------------------------
def strategy_list(request):
    documents = (
        StrategicDocument.objects.filter(is_synthetic=False)
        .select_related("country")
        .prefetch_related("priorities")
    )
    return render(
        request,
        "funding/strategy_list.html",
        {"documents": documents, "can_edit": is_editor(request.user)},
    )


def strategy_detail(request, pk: int):
    document = get_object_or_404(
        StrategicDocument.objects.select_related("country").prefetch_related(
            Prefetch("priorities", queryset=Feature.objects.select_related("category"))
        ),
        pk=pk,
    )
    return render(
        request,
        "funding/strategy_detail.html",
        {
            "document": document,
            "feature_groups": _features_by_category(document.priorities.all()),
            "can_edit": document.user_can_change(request.user),
        },
    )


@login_required
def strategy_create(request):
    return _edit(
        request,
        form_class=StrategicDocumentForm,
        service=services.strategic_documents,
        instance=None,
        template="funding/strategy_form.html",
        noun="Strategic document",
    )


@login_required
def strategy_edit(request, pk: int):
    return _edit(
        request,
        form_class=StrategicDocumentForm,
        service=services.strategic_documents,
        instance=get_object_or_404(StrategicDocument, pk=pk),
        template="funding/strategy_form.html",
        noun="Strategic document",
    )


@login_required
def strategy_delete(request, pk: int):
    return _delete(
        request,
        get_object_or_404(StrategicDocument, pk=pk),
        service=services.strategic_documents,
        noun="Strategic document",
        fallback="funding:strategy-list",
    )
