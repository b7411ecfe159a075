"""Buttons for other apps' pages: `{% save_search_button %}` on /funding/ (any query), and
`{% watch_button instrument %}` on a call's page; `{% search_feed_links %}` for the feeds."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


def _query(context) -> str:
    request = context.get("request")
    return request.GET.urlencode() if request is not None else ""


@register.inclusion_tag("alerts/save_search_button.html", takes_context=True)
def save_search_button(context):
    query = _query(context)
    return {
        "url": reverse("alerts:create") + "?" + urlencode({"query": query}),
        "atom": reverse("alerts:search-feed") + (f"?{query}" if query else ""),
        "ics": reverse("alerts:deadlines-ics") + (f"?{query}" if query else ""),
    }


@register.inclusion_tag("alerts/watch_button.html", takes_context=True)
def watch_button(context, instrument):
    request = context.get("request")
    user = getattr(request, "user", None)
    watching = bool(
        user and user.is_authenticated and instrument.watches.filter(owner=user).exists()
    )
    return {
        "instrument": instrument,
        "watching": watching,
        "request": request,
        "signed_in": bool(user and user.is_authenticated),
    }


@register.simple_tag
def profile_alert_url(features, country=None, name: str = "") -> str:
    """The alert form prefilled with a solution profile (feature codes, country, a name)."""
    params = [("feature", getattr(f, "code", f)) for f in features]
    if country:
        params.append(("country", getattr(country, "code", country)))
    if name:
        params.append(("name", name))
    return reverse("alerts:create") + "?" + urlencode(params)


@register.simple_tag(takes_context=True)
def shortlist_state(context, instrument) -> dict:
    """Whether the person shortlisted / dismissed the instrument (one query per page)."""
    from clusterbridge.alerts.shortlist import state

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"signed_in": False}
    found = state(request)
    return {
        "signed_in": True,
        "shortlisted": instrument.pk in found["shortlisted"],
        "dismissed": instrument.pk in found["dismissed"],
    }
