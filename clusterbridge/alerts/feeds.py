"""Feeds of any funding search (same query string as /funding/): an Atom feed of its newest
results and an iCalendar file of their deadlines (one all-day event per cut-off date)."""

import datetime

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest, ValidationError
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from clusterbridge.alerts import sources
from clusterbridge.core.validation import clean_text, date_in_range

FEED_ITEMS = 50
CALENDAR_INSTRUMENTS = 500


def _describe(query: str) -> str:
    return f"“{query}”" if query else "all open calls"


class SearchFeed(Feed):
    feed_type = Atom1Feed
    author_name = "ClusterBridge"

    def get_object(self, request, *args, **kwargs):
        query = request.GET.urlencode()
        try:
            instruments = sources.search_instruments(query)
            items = list(
                instruments.order_by("-created_at", "-pk").select_related("country")[:FEED_ITEMS]
            )
        except ValidationError as error:
            raise BadRequest(" ".join(error.messages)) from None
        return {"query": query, "items": items}

    def title(self, obj):
        return f"ClusterBridge funding: {_describe(obj['query'])}"

    def subtitle(self, obj):
        return "The newest funding calls and programmes matching this search."

    def link(self, obj):
        return "/funding/" + (f"?{obj['query']}" if obj["query"] else "")

    def feed_url(self, obj):
        # The feed's own address keeps its search (rel="self" must name this very feed).
        return reverse("alerts:search-feed") + (f"?{obj['query']}" if obj["query"] else "")

    def feed_guid(self, obj):
        return settings.SITE_URL.rstrip("/") + self.link(obj)

    def items(self, obj):
        return obj["items"]

    # Every write path cleans control characters; the feed cleans again so that a record
    # stored before that rule (or written around it) cannot make the feed invalid XML.
    def item_title(self, item):
        return clean_text(item.name)

    def item_description(self, item):
        # Atom readers render the summary as HTML: the description is text, so escape it.
        deadlines = ", ".join(item.deadline_dates) or "not given"
        text = clean_text(f"{item.description}\n\nDeadlines: {deadlines}".strip())
        return linebreaksbr(escape(text))

    def item_link(self, item):
        return sources.instrument_url(item)

    def item_guid(self, item):
        return f"{settings.SITE_URL.rstrip('/')}/funding/{item.pk}/"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


def deadlines_ics(query: str, request) -> bytes:
    instruments = sources.search_instruments(query).order_by("final_deadline", "pk")[
        :CALENDAR_INSTRUMENTS
    ]
    host = request.get_host().split(":")[0] or "clusterbridge"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//ClusterBridge//Funding deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Funding deadlines: {_describe(query)}")
    stamp = timezone.now().astimezone(datetime.UTC)
    for instrument in instruments:
        url = request.build_absolute_uri(sources.instrument_url(instrument))
        # Dates are bounded on every write; a stored date beyond them is left out, as no
        # calendar program reads year 9999.
        for day in filter(date_in_range, instrument.deadlines):
            event = icalendar.Event()
            event.add("uid", f"instrument-{instrument.pk}-{day.isoformat()}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + datetime.timedelta(days=1))
            event.add("summary", f"Deadline: {clean_text(instrument.name)}")
            event.add("url", url)
            event.add("description", f"{clean_text(instrument.name)}\n{url}")
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()
