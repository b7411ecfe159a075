"""Funding pages: the public search, instrument and strategy pages, editors' forms and the
maintenance page. The query logic lives in InstrumentFilterSet and the services."""

import datetime
from collections import Counter
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clusterbridge.accounts.roles import is_editor
from clusterbridge.core.editing import save_or_conflict
from clusterbridge.core.filter_panel import (
    Facet,
    Fields,
    FilterPanel,
    field_errors,
    options,
    other_filter_counts,
    selected,
)
from clusterbridge.funding import services
from clusterbridge.funding.filtersets import (
    DEFAULT_STATUSES,
    DEFAULTS,
    InstrumentFilterSet,
    StrategicDocumentFilterSet,
)
from clusterbridge.funding.forms import InstrumentForm, StrategicDocumentForm
from clusterbridge.funding.models import Instrument, Status, StrategicDocument, today
from clusterbridge.taxonomy.models import Country, Feature, FeatureCategory

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


class PageSizeForm(forms.Form):
    """The page's own presentation choice (not a filter, not in the API)."""

    page_size = forms.TypedChoiceField(
        choices=[(size, size) for size in PAGE_SIZES],
        coerce=int,
        required=False,
        label="Results per page",
    )


# The status facet, in the order a person acts on them; "unknown" records carry a "check at
# the source" badge.
STATUS_FACET = [
    (Status.OPEN.value, "Open"),
    (Status.FORTHCOMING.value, "Forthcoming"),
    (Status.UNKNOWN.value, "Unknown (check at the source)"),
    (Status.CLOSED.value, "Closed"),
]

# Features shown on a result card besides those shared with the query.
CARD_FEATURES = 5


def _card(instrument: Instrument, on, selected_features: set[str]) -> Instrument:
    """What a result card shows, computed once per instrument of the page."""
    instrument.upcoming = instrument.next_deadline(on)
    instrument.days_left = (instrument.upcoming - on).days if instrument.upcoming else None
    instrument.status = instrument.status_on(on)
    instrument.status_why = instrument.status_reason(on)
    features = sorted(instrument.features.all(), key=lambda f: (f.category.order, f.order))
    shared = [f for f in features if f.code in selected_features]
    others = [f for f in features if f.code not in selected_features]
    instrument.feature_list = [{"feature": f, "matched": True} for f in shared] + [
        {"feature": f, "matched": False} for f in others[:CARD_FEATURES]
    ]
    instrument.more_features = max(0, len(others) - CARD_FEATURES)
    return instrument


def _group_entries(instruments, *, grouped: bool) -> None:
    """A record incomplete at source that stands for its programme entry shows the entry:
    its name, how many records it holds, and the link listing them (one query per page)."""
    groups = {i.source_group for i in instruments if i.incomplete_at_source and i.source_group}
    sizes = (
        Counter(
            Instrument.objects.real()
            .filter(source_group__in=groups)
            .values_list("source_group", flat=True)
        )
        if grouped and groups
        else Counter()
    )
    for instrument in instruments:
        instrument.group_size = sizes.get(instrument.source_group, 0)
        if instrument.group_size:
            instrument.group_url = f"{reverse('funding:search')}?" + urlencode(
                {"source_group": instrument.source_group, "status": "all"}
            )


def _search_panel(request, filterset, counts, data, chosen_countries) -> FilterPanel:
    form = filterset.form
    form.fields["q"].widget.input_type = "search"
    form.fields["q"].widget.attrs["placeholder"] = "e.g. cluster, drone, Denmark"
    selected_features = set(data.get("feature") or [])
    # A ticked country without results is still named, not shown as its code.
    labels = dict(filterset.country_labels)
    labels.update({code: country.label for code, country in chosen_countries.items()})
    countries = sorted(labels.items(), key=lambda item: item[1])
    sections = [
        Fields("", [form["q"]]),
        Facet(
            "status",
            "Status",
            options(
                STATUS_FACET,
                counts["status"],
                sorted(filterset.chosen_statuses or set(Status.values))
                if data.get("status")
                else DEFAULT_STATUSES,
            ),
            default=",".join(DEFAULT_STATUSES),
            unfiltered="all",
        ),
        Facet(
            "origin",
            "Origin",
            options(Instrument.Origin.choices, counts["origin"], data.get("origin") or []),
        ),
        Facet(
            "kind", "Kind", options(Instrument.Kind.choices, counts["kind"], data.get("kind") or [])
        ),
        Facet(
            "country",
            "Open to applicants from",
            options(countries, counts["country"], data.get("country") or []),
            long=True,
            empty_text="No national instrument among these results.",
        ),
        Fields("", [form["feature_mode"]], chips=False),
    ]
    for category in FeatureCategory.objects.prefetch_related("features").order_by("order"):
        sections.append(
            Facet(
                "feature",
                category.label,
                options(
                    [(f.code, f.label) for f in category.features.all()],
                    counts["feature"],
                    selected_features,
                ),
                folded=True,
                key=f"feature-{category.code}",
            )
        )
    page_size = PageSizeForm(request.GET)
    sections += [
        Fields("Deadline window", [form["deadline_after"], form["deadline_before"]]),
        Fields("Budget", [form["budget_min"], form["budget_max"]]),
        Fields("", [form["ordering"], page_size["page_size"]], chips=False),
        Facet(
            "include_synthetic",
            "Test data",
            options(
                [("true", "Include synthetic test records")],
                selected=["true"] if data.get("include_synthetic") else [],
            ),
        ),
    ]
    return FilterPanel(
        request,
        sections,
        total=filterset.total,
        label="Filter funding instruments",
        noun=("instrument", "instruments"),
        errors=field_errors(form),
        count=lambda query: (
            InstrumentFilterSet(query, request=request, group_incomplete=True).results().count()
        ),
        defaults={**DEFAULTS, "page_size": str(PAGE_SIZES[0])},
    )


def search(request):
    filterset = InstrumentFilterSet(request.GET or None, request=request, group_incomplete=True)
    valid = filterset.is_valid()
    data = filterset.form.cleaned_data if valid else {}
    selected_features = set(data.get("feature") or [])
    paginator = Paginator(
        filterset.results()
        .select_related("country")
        .prefetch_related(
            Prefetch("features", queryset=Feature.objects.select_related("category"))
        ),
        _page_size(request),
    )
    counts = filterset.facet_counts()
    paginator.count = filterset.total  # already counted with the facets
    page = paginator.get_page(request.GET.get("page"))
    on = today()
    for instrument in page.object_list:
        _card(instrument, on, selected_features)
    _group_entries(page.object_list, grouped=not data.get("source_group"))
    chosen = {c.code: c for c in Country.objects.filter(code__in=data.get("country") or [])}
    # Eligibility on the cards answers for the country searched from, when there is one.
    for_country = next(iter(chosen.values())) if len(chosen) == 1 else None
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "paginator": paginator,
        "panel": _search_panel(request, filterset, counts, data, chosen),
        "for_country": for_country,
        "selected_features": selected_features,
        "can_edit": is_editor(request.user),
        "dismissed_count": len(filterset.hidden_ids()) if valid else 0,
        "showing_dismissed": bool(data.get("show_dismissed")),
    }
    return render(request, "funding/search.html", context)


HOME_CLOSING_DAYS = 30
HOME_CLOSING_SHOWN = 6


def home_section(request) -> dict:
    """The home page's way into the funding search: a search box, how many calls are open,
    and those closing in the next 30 days."""
    on = today()
    real = Instrument.objects.real()
    closing = real.closing_within(HOME_CLOSING_DAYS, on).select_related("country")
    until = on + datetime.timedelta(days=HOME_CLOSING_DAYS)
    return {
        "open_count": real.open(on).count(),
        "closing": [
            {"instrument": i, "days_left": (i.closes_on - on).days}
            for i in closing[:HOME_CLOSING_SHOWN]
        ],
        "closing_count": closing.count(),
        "closing_url": f"{reverse('funding:search')}?"
        + urlencode(
            {
                "deadline_after": on.isoformat(),
                "deadline_before": until.isoformat(),
                "ordering": "deadline",
            }
        ),
        "days": HOME_CLOSING_DAYS,
    }


# The facts of a call's page, in page order, named as the not-stated line names them.
STATED_FACTS = (
    ("kind", "kind"),
    ("source", "funding body"),
    ("cover_level", "cover level"),
    ("link", "link"),
    ("target_organisations", "target organisations"),
    ("international_funding", "international funding possibilities"),
    ("target_scope", "target scope"),
    ("budget_amount", "budget"),
    ("periodicity", "periodicity"),
    ("opening_date", "opening date"),
    ("deadline_dates", "deadlines"),
)


STRATEGY_FACTS = (("issuer", "issuer"), ("period", "period"), ("link", "link"))


def _not_stated(record, facts=STATED_FACTS) -> list[str]:
    """The facts the record leaves empty, said once in one line instead of one by one."""
    return [label for name, label in facts if getattr(record, name) in (None, "", [])]


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
            "status_why": instrument.status_reason(on),
            "deadlines": deadlines,
            "not_stated": _not_stated(instrument),
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
def _strategy_queryset():
    return StrategicDocument.objects.filter(is_synthetic=False).select_related("country")


def strategy_list(request):
    filterset = StrategicDocumentFilterSet(request.GET, queryset=_strategy_queryset())
    valid = filterset.is_valid()
    documents = list(
        (filterset.qs if valid else _strategy_queryset().none()).prefetch_related(
            Prefetch("priorities", queryset=Feature.objects.select_related("category"))
        )
    )

    def make(query):
        return StrategicDocumentFilterSet(query, queryset=_strategy_queryset())

    counts, names = (
        other_filter_counts(
            make, request.GET, {"country": "country__code"}, {"country": "country__label"}
        )
        if valid
        else ({}, {})
    )
    # Priorities: a document must have every ticked one, so each count is within the results.
    by_priority = Counter(f.code for document in documents for f in document.priorities.all())
    sections: list = [
        Fields("", [filterset.form["q"]]),
        Facet(
            "country",
            "Country",
            options(
                sorted(names.items(), key=lambda item: item[1]),
                counts.get("country"),
                selected(request, "country"),
            ),
            empty_text="No national document among these results.",
        ),
    ]
    for category in FeatureCategory.objects.prefetch_related("features").order_by("order"):
        sections.append(
            Facet(
                "priority",
                category.label,
                options(
                    [(f.code, f.label) for f in category.features.all()],
                    by_priority,
                    selected(request, "priority"),
                    hide_empty=True,
                ),
                folded=True,
                key=f"priority-{category.code}",
                empty_text="No document among these results has one.",
            )
        )
    panel = FilterPanel(
        request,
        sections,
        total=len(documents),
        label="Filter strategic documents",
        noun=("document", "documents"),
        errors=field_errors(filterset.form),
        count=lambda query: make(query).qs.count(),
    )
    return render(
        request,
        "funding/strategy_list.html",
        {
            "documents": documents,
            "panel": panel,
            "ticked": set(selected(request, "priority")),
            "can_edit": is_editor(request.user),
        },
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
            "not_stated": _not_stated(document, STRATEGY_FACTS),
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
