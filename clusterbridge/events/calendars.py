"""iCalendar (.ics) files: one event, the public feed of upcoming events, and a person's
meeting agenda at an event. Times are written in UTC (unambiguous across DST changes);
calendar programs show them in the reader's zone."""

import icalendar
from django.conf import settings
from django.utils import timezone

from clusterbridge.events.models import Event
from clusterbridge.notifications.services import absolute

PRODID = "-//ClusterBridge//Events//EN"


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _host() -> str:
    return settings.SITE_URL.split("//")[-1].split("/")[0] or "clusterbridge"


def _event_entry(event: Event) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.pk}@{_host()}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.start)
    entry.add("dtend", event.end)
    entry.add("summary", event.title)
    entry.add("url", absolute(event.get_absolute_url()))
    where = event.online_url or ", ".join(p for p in (event.venue, event.city) if p)
    if where:
        entry.add("location", where)
    entry.add(
        "description",
        f"{event.get_kind_display()} by {event.organiser_name}.\n\n{event.description}".strip(),
    )
    return entry


def event_ics(event: Event) -> bytes:
    calendar = _calendar(event.title)
    calendar.add_component(_event_entry(event))
    return calendar.to_ical()


def feed_ics(events) -> bytes:
    calendar = _calendar("ClusterBridge events")
    for event in events:
        calendar.add_component(_event_entry(event))
    return calendar.to_ical()


def agenda_ics(event: Event, participant, meetings) -> bytes:
    """The person's meetings at the event (placed ones), and the event itself."""
    calendar = _calendar(f"My meetings — {event.title}")
    calendar.add_component(_event_entry(event))
    for meeting in meetings:
        if meeting.slot_id is None:
            continue
        other = meeting.receiver if meeting.sender_id == participant.pk else meeting.sender
        entry = icalendar.Event()
        entry.add("uid", f"meeting-{meeting.pk}@{_host()}")
        entry.add("dtstamp", timezone.now())
        entry.add("dtstart", meeting.slot.start)
        entry.add("dtend", meeting.slot.end)
        entry.add("summary", f"Meeting with {other.display_name}")
        entry.add(
            "location",
            f"Table {meeting.table}" if meeting.table else (meeting.video_url or "Online"),
        )
        entry.add("sequence", meeting.version)
        calendar.add_component(entry)
    return calendar.to_ical()
