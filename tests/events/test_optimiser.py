"""The optimiser on small hand-made cases whose optimum is known, on infeasible input, and on
an event (announced meetings stay when a participant does not allow a change)."""

import pytest

from clusterbridge.events import matchmaking, optimiser
from clusterbridge.events.optimiser import Problem, solve


def _valid(problem: Problem, placement: dict[int, int]) -> None:
    people = {m: (a, b) for m, a, b in problem.meetings}
    seen = set()
    per_slot: dict[int, int] = {}
    for meeting, slot in placement.items():
        for person in people[meeting]:
            assert (person, slot) not in seen, "double booking"
            seen.add((person, slot))
            own = problem.available.get(person)
            assert not own or slot in own, "outside availability"
        per_slot[slot] = per_slot.get(slot, 0) + 1
    if problem.tables is not None:
        assert max(per_slot.values(), default=0) <= problem.tables


def test_a_triangle_in_two_slots_places_two_of_three():
    # a-b, b-c, a-c: every pair shares a person, so at most one per slot.
    problem = Problem(
        slots=[1, 2], tables=5, meetings=[(1, 10, 11), (2, 11, 12), (3, 10, 12)], available={}
    )
    solution = solve(problem, time_limit=5)
    assert solution.placed == 2 and solution.upper_bound >= 2
    _valid(problem, solution.placement)


def test_availability_decides_and_the_optimum_is_three():
    # 1-3 only fits slot 1 (3 is there only) and 2-4 only slot 2; 1-2 then has no slot left
    # (1 busy in slot 1, 2 busy in slot 2); 5-6 fits anywhere: the optimum is 3 of 4.
    problem = Problem(
        slots=[1, 2],
        tables=None,
        meetings=[(1, 1, 2), (2, 1, 3), (3, 2, 4), (4, 5, 6)],
        available={3: {1}, 4: {2}},
    )
    solution = solve(problem, time_limit=5)
    assert solution.placed == 3
    _valid(problem, solution.placement)


def test_tables_cap_the_optimum():
    meetings = [(n, 2 * n, 2 * n + 1) for n in range(10)]  # ten disjoint pairs
    problem = Problem(slots=[1, 2, 3], tables=3, meetings=meetings, available={})
    solution = solve(problem, time_limit=5)
    assert solution.placed == 9 == solution.upper_bound
    _valid(problem, solution.placement)


def test_one_table_per_slot_with_overlapping_people():
    # One table, three slots, four meetings: three fit, each in a slot both people have.
    problem = Problem(
        slots=[1, 2, 3],
        tables=1,
        meetings=[(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 1, 3)],
        available={2: {1, 2}, 4: {2, 3}, 6: {1, 3}},
    )
    solution = solve(problem, time_limit=5)
    assert solution.placed == 3 == solution.upper_bound
    _valid(problem, solution.placement)


def test_infeasible_input_places_nothing_impossible():
    problem = Problem(
        slots=[1, 2],
        tables=2,
        meetings=[(1, 1, 2), (2, 3, 4)],
        available={1: {1}, 2: {2}, 3: {1}},
    )
    solution = solve(problem, time_limit=5)
    assert solution.placement == {2: 1}
    assert solution.upper_bound == 1
    empty = solve(Problem(slots=[], tables=1, meetings=[(1, 1, 2)], available={}))
    assert empty.placed == 0 == empty.upper_bound


def test_fixed_meetings_that_clash_fall_back_to_greedy():
    problem = Problem(
        slots=[1, 2], tables=1, meetings=[(1, 1, 2), (2, 3, 4)], available={}, fixed={1: 1, 2: 1}
    )
    solution = solve(problem, time_limit=5)
    assert solution.method == "greedy" and solution.placed == 1


@pytest.mark.django_db
def test_optimising_an_event_keeps_announced_meetings_of_people_who_said_no(
    client_for, event, registered
):
    people = [registered(name) for name in ("ann", "ben", "cat", "dan", "eve")]
    ann, ben, cat, dan, eve = people
    slots = list(event.slots.all())
    first = matchmaking.accept(matchmaking.send_request(ann, ben, ann.user), ben.user)
    matchmaking.update_profile(ann, ann.user, {"allow_reschedule": False})
    # cat and dan meet; both of them then narrow their availability to the last slot.
    second = matchmaking.accept(matchmaking.send_request(cat, dan, cat.user), dan.user)
    assert second.slot == slots[0]
    for person in (cat, dan):
        matchmaking.update_profile(person, person.user, {"available_slots": [slots[-1]]})
    third = matchmaking.accept(matchmaking.send_request(eve, ann, eve.user), ann.user)
    organiser = client_for("manager")
    response = organiser.post(f"/events/{event.slug}/optimise/")
    assert response.status_code == 302
    for meeting in (first, second, third):
        meeting.refresh_from_db()
    assert first.slot == slots[0]  # announced, and ann does not allow a change
    assert second.slot == slots[-1]  # moved into the only slot both now have
    assert third.slot is not None and third.slot != first.slot
    page = organiser.get(f"/events/{event.slug}/dashboard/").content.decode()
    assert "3 meetings placed; at most 3 possible" in page
    from clusterbridge.notifications.models import Notification

    assert Notification.objects.filter(recipient=cat.user, kind="events.agenda_changed").exists()
    assert not Notification.objects.filter(recipient=ben.user, kind="events.agenda_changed")


@pytest.mark.django_db
def test_only_organisers_optimise(client_for, event):
    assert client_for("member").post(f"/events/{event.slug}/optimise/").status_code == 403
    assert client_for("member").get(f"/events/{event.slug}/dashboard/").status_code == 403
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        optimiser.apply_optimisation(event, AnonymousUser())


@pytest.mark.django_db
def test_each_meeting_moved_has_a_history_entry_and_a_move_can_be_reverted(
    client_for, users, event, registered
):
    from clusterbridge.core.history import history_of
    from clusterbridge.events.models import MeetingRequest

    ann, ben, cat, dan = (registered(name) for name in ("ann", "ben", "cat", "dan"))
    slots = list(event.slots.all())
    stays = matchmaking.accept(matchmaking.send_request(ann, ben, ann.user), ben.user)
    moves = matchmaking.accept(matchmaking.send_request(cat, dan, cat.user), dan.user)
    assert (stays.slot, stays.table, moves.slot, moves.table) == (slots[0], 1, slots[0], 2)
    for person in (cat, dan):
        matchmaking.update_profile(person, person.user, {"available_slots": [slots[-1]]})
    version = moves.version
    organiser = client_for("manager")
    assert organiser.post(f"/events/{event.slug}/optimise/").status_code == 302
    stays.refresh_from_db()
    moves.refresh_from_db()
    assert (moves.slot, moves.table, moves.version) == (slots[-1], 1, version + 1)
    assert not history_of(stays).filter(action="optimise").exists()
    entry = history_of(moves).get(action="optimise")
    assert entry.user == users["manager"]
    assert (entry.before["slot_id"], entry.before["table"]) == (slots[0].pk, 2)
    assert (entry.after["slot_id"], entry.after["table"]) == (slots[-1].pk, 1)
    assert "meetings placed" in entry.message

    dashboard = organiser.get(f"/events/{event.slug}/dashboard/").content.decode()
    assert "Meetings moved by the last optimisation (1)" in dashboard
    assert f'action="/history/{entry.pk}/revert/"' in dashboard
    page = organiser.get(f"/history/{entry.pk}/")
    assert page.status_code == 200 and "meetings placed" in page.content.decode()
    assert client_for("member").get(f"/history/{entry.pk}/").status_code == 403
    # Reverting brings the meeting back to its place, as a new entry.
    assert organiser.post(f"/history/{entry.pk}/revert/").status_code == 302
    moves.refresh_from_db()
    assert (moves.slot, moves.table, moves.status) == (slots[0], 2, "accepted")
    assert history_of(moves).filter(action="revert").count() == 1

    # A place taken meanwhile is not given twice: the revert is refused, nothing changes.
    optimiser.apply_optimisation(event, users["manager"])
    moves.refresh_from_db()
    entry = history_of(moves).filter(action="optimise").latest("pk")
    eve, fay = registered("eve"), registered("fay")
    other = matchmaking.accept(matchmaking.send_request(eve, fay, eve.user), fay.user)
    assert (other.slot, other.table) == (slots[0], 2)
    before = moves.version
    response = organiser.post(f"/history/{entry.pk}/revert/", follow=True)
    assert "taken in this slot" in response.content.decode()
    moves.refresh_from_db()
    assert (moves.slot, moves.version) == (slots[-1], before)
    # People may not revert an optimisation; only admins and the event's organisers.
    assert client_for("member").post(f"/history/{entry.pk}/revert/").status_code == 403
    assert MeetingRequest.objects.get(pk=moves.pk).version == before
