"""A person's shortlist of calls (notes, exports, read-only share links) and the results they
dismissed as not relevant. Private to the owner: every query here is filtered by owner, and
the shared page shows one owner's shortlist to whoever has an unrevoked link."""

import datetime

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clusterbridge.accounts import dashboard
from clusterbridge.alerts import services
from clusterbridge.alerts.models import Dismissal, ShortlistItem, ShortlistShare
from clusterbridge.core.spreadsheets import rows_response
from clusterbridge.funding.models import Instrument, today

PANEL_ITEMS = 5
HEADER = (
    "Call",
    "Identifier",
    "Status",
    "Next deadline",
    "All deadlines",
    "Open to",
    "Link",
    "Note",
)


def items_of(user):
    return ShortlistItem.objects.filter(owner=user).select_related("instrument__country")


def state(request) -> dict:
    """The ids this person shortlisted and dismissed, once per request (result cards)."""
    if not hasattr(request, "_shortlist_state"):
        user = request.user
        if user.is_authenticated:
            request._shortlist_state = {
                "shortlisted": set(
                    ShortlistItem.objects.filter(owner=user).values_list("instrument_id", flat=True)
                ),
                "dismissed": services.dismissed_ids(user),
            }
        else:
            request._shortlist_state = {"shortlisted": set(), "dismissed": set()}
    return request._shortlist_state


def _back(request, fallback: str = "alerts:shortlist"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@require_POST
@login_required
def add(request, instrument_pk: int):
    instrument = get_object_or_404(Instrument, pk=instrument_pk)
    services.shortlist(instrument, user=request.user)
    messages.success(request, f"“{instrument}” is on your shortlist.")
    return _back(request)


@require_POST
@login_required
def remove(request, instrument_pk: int):
    item = get_object_or_404(ShortlistItem, owner=request.user, instrument_id=instrument_pk)
    services.unshortlist(item, user=request.user)
    messages.success(request, f"“{item.instrument}” left your shortlist.")
    return _back(request)


@require_POST
@login_required
def note(request, pk: int):
    item = get_object_or_404(ShortlistItem, pk=pk, owner=request.user)
    services.set_note(item, request.POST.get("note", "")[:5000], user=request.user)
    messages.success(request, f"Note on “{item.instrument}” saved.")
    return redirect("alerts:shortlist")


@require_POST
@login_required
def dismiss(request, instrument_pk: int):
    instrument = get_object_or_404(Instrument, pk=instrument_pk)
    services.dismiss(instrument, user=request.user)
    messages.success(
        request,
        f"“{instrument}” is hidden from your searches and digests. "
        "Tick “Show the results I dismissed” to see it again.",
    )
    return _back(request, "funding:search")


@require_POST
@login_required
def undismiss(request, instrument_pk: int):
    dismissal = get_object_or_404(Dismissal, owner=request.user, instrument_id=instrument_pk)
    services.undismiss(dismissal, user=request.user)
    messages.success(request, f"“{dismissal.instrument}” shows in your searches again.")
    return _back(request, "funding:search")


def _rows(items, on):
    for item in items:
        instrument = item.instrument
        upcoming = instrument.next_deadline(on)
        yield (
            instrument.name,
            instrument.identifier or "",
            instrument.status_on(on),
            upcoming.isoformat() if upcoming else "",
            ", ".join(instrument.deadline_dates),
            instrument.eligibility(),
            instrument.link,
            item.note,
        )


def _page(request, owner, *, shared: ShortlistShare | None = None):
    on = today()
    items = list(items_of(owner))
    for item in items:
        item.upcoming = item.instrument.next_deadline(on)
        item.days_left = (item.upcoming - on).days if item.upcoming else None
        item.status = item.instrument.status_on(on)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return rows_response(fmt, "shortlist", [HEADER, *_rows(items, on)], title="Shortlist")
    if fmt == "ics":
        return _calendar(request, items)
    return render(
        request,
        "alerts/shortlist.html",
        {
            "items": items,
            "shared": shared,
            "owner": owner,
            "shares": [] if shared else list(ShortlistShare.objects.filter(owner=owner)),
        },
    )


def _calendar(request, items) -> HttpResponse:
    host = request.get_host().split(":")[0] or "clusterbridge"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//ClusterBridge//Shortlist//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "My funding shortlist")
    stamp = timezone.now().astimezone(datetime.UTC)
    for item in items:
        instrument = item.instrument
        url = request.build_absolute_uri(instrument.get_absolute_url())
        for day in instrument.deadlines:
            event = icalendar.Event()
            event.add("uid", f"shortlist-{instrument.pk}-{day.isoformat()}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + datetime.timedelta(days=1))
            event.add("summary", f"Deadline: {instrument.name}")
            event.add("url", url)
            event.add("description", "\n".join(filter(None, [instrument.name, item.note, url])))
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shortlist.ics"'
    return response


@login_required
def page(request):
    return _page(request, request.user)


def shared(request, token: str):
    share = ShortlistShare.objects.filter(token=token).select_related("owner").first()
    if share is None:
        raise Http404("This link was revoked or never existed.")
    return _page(request, share.owner, shared=share)


@require_POST
@login_required
def share(request):
    link = services.share_shortlist(user=request.user)
    messages.success(
        request,
        "Anyone with this link can read your shortlist and notes (not change them): "
        + request.build_absolute_uri(link.get_absolute_url()),
    )
    return redirect("alerts:shortlist")


@require_POST
@login_required
def revoke(request, pk: int):
    link = get_object_or_404(ShortlistShare, pk=pk, owner=request.user)
    services.revoke_share(link, user=request.user)
    messages.success(request, "The link is revoked: it no longer opens your shortlist.")
    return redirect("alerts:shortlist")


# My ClusterBridge and "download my data" ------------------------------------------------------
def panel(request) -> dict:
    items = list(items_of(request.user)[: PANEL_ITEMS + 1])
    return {"items": items[:PANEL_ITEMS], "more": len(items) > PANEL_ITEMS}


def export(user) -> dict:
    return {
        "shortlist": [
            {
                "call": item.instrument.name,
                "identifier": item.instrument.identifier,
                "note": item.note,
                "since": item.created_at,
            }
            for item in items_of(user)
        ],
        "dismissed": [
            {
                "call": d.instrument.name,
                "identifier": d.instrument.identifier,
                "since": d.created_at,
            }
            for d in Dismissal.objects.filter(owner=user).select_related("instrument")
        ],
        "share_links": [
            {"created_at": s.created_at} for s in ShortlistShare.objects.filter(owner=user)
        ],
    }


def erase(user) -> None:
    from django.contrib.contenttypes.models import ContentType

    from clusterbridge.core.models import ObjectChange

    for model in (ShortlistItem, Dismissal, ShortlistShare):
        owned = model.all_objects.filter(owner=user)
        ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in owned.values_list("pk", flat=True)],
        ).delete()
        owned.delete()


def register() -> None:
    from clusterbridge.funding.filtersets import HIDDEN_FOR

    dashboard.register(
        dashboard.Panel(
            key="shortlist",
            title="My shortlist",
            order=32,
            template="alerts/_shortlist_panel.html",
            context=panel,
        )
    )
    dashboard.register_personal_data("shortlist", export=export, erase=erase)
    HIDDEN_FOR.append(lambda request: state(request)["dismissed"])
