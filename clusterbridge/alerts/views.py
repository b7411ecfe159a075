"""Pages of a signed-in user's alerts (all private to their owner: another user's alert is
answered with 404), the watch buttons, and the Atom and iCalendar feeds of any funding search."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clusterbridge.alerts import feeds, services
from clusterbridge.alerts.filtersets import SavedSearchFilterSet
from clusterbridge.alerts.forms import SavedSearchForm
from clusterbridge.alerts.models import Frequency, SavedSearch, WatchedCall
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
from clusterbridge.funding.models import Instrument
from clusterbridge.taxonomy.filters import feature_code_case
from clusterbridge.taxonomy.models import Country, Feature


def _own_alerts(user):
    return SavedSearch.objects.filter(owner=user).select_related("country")


def _readable_query(query: str, features: dict[str, str], countries: dict[str, str]) -> str:
    """A saved /funding/ query as a person reads it: labels, not codes."""
    params = QueryDict(query)
    parts = []
    if params.get("q"):
        parts.append(f"“{params['q']}”")
    for name, labels, title, case in (
        ("feature", features, "Features", feature_code_case),
        ("country", countries, "Country", str.upper),
    ):
        codes = [case(c.strip()) for v in params.getlist(name) for c in v.split(",") if c.strip()]
        if codes:
            parts.append(f"{title}: " + ", ".join(labels.get(c, c) for c in codes))
    for name in ("origin", "kind", "status"):
        if params.getlist(name):
            parts.append(f"{name.capitalize()}: " + ", ".join(params.getlist(name)))
    return " · ".join(parts) or "All open calls"


@login_required
def alert_list(request):
    filterset = SavedSearchFilterSet(request.GET, queryset=_own_alerts(request.user))
    valid = filterset.is_valid()
    alerts = list(
        (filterset.qs if valid else SavedSearch.objects.none()).prefetch_related("features")
    )
    features = dict(Feature.objects.values_list("code", "label"))
    countries = dict(Country.objects.values_list("code", "label"))
    for alert in alerts:
        if alert.kind == SavedSearch.Kind.SEARCH:
            alert.readable = _readable_query(alert.query, features, countries)

    def make(query):
        return SavedSearchFilterSet(query, queryset=_own_alerts(request.user))

    counts, _ = (
        other_filter_counts(make, request.GET, {"kind": "kind", "frequency": "frequency"})
        if valid
        else ({}, {})
    )
    panel = FilterPanel(
        request,
        [
            Fields("", [filterset.form["q"]]),
            Facet(
                "kind",
                "Follows",
                options(SavedSearch.Kind.choices, counts.get("kind"), selected(request, "kind")),
            ),
            Facet(
                "frequency",
                "E-mail",
                options(Frequency.choices, counts.get("frequency"), selected(request, "frequency")),
            ),
        ],
        total=len(alerts),
        label="Filter my alerts",
        noun=("alert", "alerts"),
        errors=field_errors(filterset.form),
        count=lambda query: make(query).qs.count(),
    )
    watches = WatchedCall.objects.filter(owner=request.user).select_related(
        "instrument", "instrument__country"
    )
    return render(
        request, "alerts/list.html", {"alerts": alerts, "watches": watches, "panel": panel}
    )


def _initial(request) -> dict:
    """Prefill from the page the person came from: a /funding/ query, or a profile (the
    features and country of /match/ or of a project)."""
    name = {"name": request.GET["name"][:200]} if request.GET.get("name") else {}
    if "query" in request.GET:
        return {**name, "kind": SavedSearch.Kind.SEARCH, "query": request.GET["query"]}
    if "feature" in request.GET:
        return {
            **name,
            "kind": SavedSearch.Kind.PROFILE,
            "features": request.GET.getlist("feature"),
            "country": request.GET.get("country"),
            "description": request.GET.get("description", ""),
        }
    return {}


def _edit(request, form, *, alert=None, title: str, done: str):
    if request.method == "POST" and form.is_valid():
        result = save_or_conflict(request, form, services.saved_searches, obj=alert)
        if isinstance(result, HttpResponse):
            return result
        if result is not None:
            messages.success(request, done.format(name=result.obj.name))
            return redirect("alerts:list")
    return render(request, "alerts/form.html", {"form": form, "title": title, "alert": alert})


@login_required
def alert_create(request):
    form = SavedSearchForm(request.POST or None, initial=_initial(request))
    return _edit(request, form, title="Save a search", done="“{name}” was saved.")


@login_required
def alert_edit(request, pk: int):
    alert = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    form = SavedSearchForm(request.POST or None, instance=alert)
    return _edit(
        request, form, alert=alert, title=f"Change “{alert.name}”", done="“{name}” was changed."
    )


@login_required
def alert_delete(request, pk: int):
    alert = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    if request.method == "POST":
        services.delete_alert(alert, user=request.user)
        messages.success(
            request, f"“{alert.name}” was deleted; no more e-mail will be sent for it."
        )
        return redirect("alerts:list")
    return render(request, "alerts/confirm_delete.html", {"alert": alert})


@require_POST
@login_required
def watch(request, instrument_pk: int):
    instrument = get_object_or_404(Instrument, pk=instrument_pk)
    services.watch(instrument, user=request.user)
    messages.success(
        request, f"You watch “{instrument}”: a reminder comes 7 days before each deadline."
    )
    return redirect("alerts:list")


@require_POST
@login_required
def unwatch(request, pk: int):
    watch = get_object_or_404(WatchedCall, pk=pk, owner=request.user)
    services.unwatch(watch, user=request.user)
    messages.success(request, f"You no longer watch “{watch.instrument}”.")
    return redirect("alerts:list")


def _bad_query(message: str) -> HttpResponse:
    return HttpResponseBadRequest(
        f"This search cannot be run: {message}\n", content_type="text/plain; charset=utf-8"
    )


def search_feed(request):
    try:
        return feeds.SearchFeed()(request)
    except BadRequest as error:
        return _bad_query(str(error))


def deadlines_calendar(request):
    try:
        body = feeds.deadlines_ics(request.GET.urlencode(), request)
    except ValidationError as error:
        return _bad_query(" ".join(error.messages))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response
