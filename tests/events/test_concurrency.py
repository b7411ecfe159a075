"""Races on PostgreSQL, with two threads that start together: two registrations for the last
seat (one gets it, the other the waiting list), and two acceptances for the same person at
the same moment (one wins the first slot, the other gets the next one)."""

import pytest
from django.db import connection

from clusterbridge.events import matchmaking, services
from tests.events.conftest import ANSWERS
from tests.threads import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only(reference_data):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is not shared between threads")


def test_two_registrations_for_the_last_seat(manager, event, person):
    services.events.update(event, manager, {"capacity": 1})
    ann, ben = person("ann")[0], person("ben")[0]
    results = race(
        lambda: services.register_for(event, ann, answers=ANSWERS),
        lambda: services.register_for(event, ben, answers=ANSWERS),
    )
    assert sorted(r.status for r in results) == ["confirmed", "waiting"]


def test_two_acceptances_for_the_same_person_never_double_book(event, registered):
    ann, ben, cat = registered("ann"), registered("ben"), registered("cat")
    first = matchmaking.send_request(ben, ann, ben.user)
    second = matchmaking.send_request(cat, ann, cat.user)
    results = race(
        lambda: matchmaking.accept(first, ann.user),
        lambda: matchmaking.accept(second, ann.user),
    )
    slots = list(event.slots.all())
    assert sorted(m.slot.start for m in results) == [slots[0].start, slots[1].start]


def test_two_acceptances_for_the_last_table_of_a_slot(manager, event, registered):
    services.events.update(event, manager, {"tables": 1})
    a, b, c, d = (registered(name) for name in ("ann", "ben", "cat", "dan"))
    one = matchmaking.send_request(a, b, a.user)
    two = matchmaking.send_request(c, d, c.user)
    results = race(lambda: matchmaking.accept(one, b.user), lambda: matchmaking.accept(two, d.user))
    slots = list(event.slots.all())
    assert sorted((m.slot.start, m.table) for m in results) == [
        (slots[0].start, 1),
        (slots[1].start, 1),
    ]


def test_the_same_request_accepted_twice_at_once_is_placed_once(event, registered):
    """A double click: both acceptances wait on the two people's rows; the second then
    reads the request under lock, already answered, and is refused."""
    from django.core.exceptions import ValidationError

    from clusterbridge.events.models import MeetingRequest

    ann, ben = registered("ann"), registered("ben")
    request = matchmaking.send_request(ben, ann, ben.user)

    def answer():
        try:
            return matchmaking.accept(request, ann.user).slot_id
        except ValidationError as error:
            return str(error)

    outcomes = race(answer, answer)
    first_slot = event.slots.first().pk
    assert sorted(outcomes, key=str) == sorted(
        [first_slot, "['This request was already answered.']"], key=str
    )
    request.refresh_from_db()
    assert (request.status, request.slot_id, request.version) == ("accepted", first_slot, 2)
    assert MeetingRequest.objects.filter(slot__isnull=False).count() == 1
