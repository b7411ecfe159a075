"""Accepting a request and placing it: what one acceptance writes (the meeting, its history
entry, a notification with the updated agenda for each side), where it places the meeting,
and the queries it makes, which do not grow with the agenda."""

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterbridge.core.history import history_of
from clusterbridge.events import matchmaking
from clusterbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db

# The acceptance's transaction (a savepoint inside the test's, and its release): the two
# people locked with their accounts, the event and its organiser; the request locked; the
# free slots with their tables in use; the slot locked and its tables; the UPDATE and its
# history entry; both agendas; two notifications (a savepoint, the INSERT, its release).
ACCEPT_QUERIES = 16
# The page: the session, the account and its groups, the event, the request with its two
# people, then the acceptance.
ACCEPT_PAGE_QUERIES = 5 + ACCEPT_QUERIES


def _accepted_with_queries(request, user):
    with CaptureQueriesContext(connection) as captured:
        meeting = matchmaking.accept(request, user)
    return meeting, len(captured.captured_queries)


def test_an_acceptance_makes_the_same_few_queries_however_full_the_agenda(event, registered):
    ann, ben, cat, dan, eve = (registered(name) for name in ("ann", "ben", "cat", "dan", "eve"))
    first, queries = _accepted_with_queries(matchmaking.send_request(ben, ann, ben.user), ann.user)
    assert first.slot is not None
    assert queries == ACCEPT_QUERIES
    for other in (cat, dan):
        matchmaking.accept(matchmaking.send_request(other, ann, other.user), ann.user)
    # ann has three meetings now, eve none: the fourth costs what the first did.
    fourth, queries = _accepted_with_queries(matchmaking.send_request(eve, ann, eve.user), ann.user)
    assert fourth.slot == event.slots.all()[3]
    assert queries == ACCEPT_QUERIES


def test_an_acceptance_is_written_once_with_its_history(event, registered):
    ann, ben = registered("ann"), registered("ben")
    request = matchmaking.send_request(ann, ben, ann.user)
    meeting = matchmaking.accept(request, ben.user)
    request.refresh_from_db()
    assert (request.status, request.slot, request.table) == ("accepted", meeting.slot, 1)
    assert request.version == 2  # sent, then accepted
    entry = history_of(request).get(action="accept")
    assert entry.user == ben.user
    assert (entry.before["status"], entry.before["slot_id"]) == ("pending", None)
    assert (entry.after["status"], entry.after["slot_id"], entry.after["table"]) == (
        "accepted",
        meeting.slot.pk,
        1,
    )
    assert entry.object_repr == f"{ann.display_name} → {ben.display_name} (accepted)"


def _meetings_in_calendar(person) -> list[str]:
    notification = Notification.objects.filter(
        recipient=person.user, kind="events.meeting_accepted"
    ).latest("pk")
    calendar = icalendar.Calendar.from_ical(notification.calendar)
    return sorted(str(e["summary"]) for e in calendar.walk("VEVENT") if "meeting-" in e["uid"])


def test_each_side_is_sent_their_own_agenda(event, registered):
    ann, ben, cat = registered("ann"), registered("ben"), registered("cat")
    matchmaking.accept(matchmaking.send_request(cat, ann, cat.user), ann.user)
    matchmaking.accept(matchmaking.send_request(ann, ben, ann.user), ben.user)
    assert _meetings_in_calendar(ann) == sorted(
        [f"Meeting with {cat.display_name}", f"Meeting with {ben.display_name}"]
    )
    assert _meetings_in_calendar(ben) == [f"Meeting with {ann.display_name}"]


def test_someone_who_marked_no_slot_is_free_in_every_slot(event, registered):
    ann, ben, cat = registered("ann"), registered("ben"), registered("cat")
    slots = list(event.slots.all())
    matchmaking.update_profile(ann, ann.user, {"available_slots": [slots[2], slots[3]]})
    first = matchmaking.accept(matchmaking.send_request(ben, ann, ben.user), ann.user)
    assert first.slot == slots[2]  # ben marked nothing: ann's first slot
    second = matchmaking.accept(matchmaking.send_request(cat, ann, cat.user), ann.user)
    assert second.slot == slots[3]  # ann is busy in her first one now
    third = matchmaking.accept(matchmaking.send_request(cat, ben, cat.user), ben.user)
    assert third.slot == slots[0]  # neither marked anything; slots[0] is free for both


def test_a_full_slot_is_skipped(manager, event, registered):
    from clusterbridge.events import services

    services.events.update(event, manager, {"tables": 1})
    ann, ben, cat, dan = (registered(name) for name in ("ann", "ben", "cat", "dan"))
    first = matchmaking.accept(matchmaking.send_request(ann, ben, ann.user), ben.user)
    second = matchmaking.accept(matchmaking.send_request(cat, dan, cat.user), dan.user)
    slots = list(event.slots.all())
    assert [(first.slot, first.table), (second.slot, second.table)] == [
        (slots[0], 1),
        (slots[1], 1),
    ]


def test_the_accept_button_makes_a_fixed_number_of_queries(event, registered):
    from django.test import Client

    ann, ben, cat = registered("ann"), registered("ben"), registered("cat")
    client = Client()
    client.force_login(ann.user)
    for other in (ben, cat):
        request = matchmaking.send_request(other, ann, other.user)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(f"/events/{event.slug}/requests/{request.pk}/accept/")
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.status == "accepted" and request.slot is not None
        assert len(captured.captured_queries) == ACCEPT_PAGE_QUERIES
