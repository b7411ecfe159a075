""" "Optimise the agenda": place as many accepted meetings as possible, each in a slot where
both people are available, at most one meeting per person per slot, at most `tables`
meetings per slot; meetings whose time was announced and may not move stay where they are.

`solve` is pure (numbers in, numbers out): CP-SAT (OR-Tools) with a time limit, started from
the greedy placement (a hint), so it never returns less than the greedy one; the greedy
placement alone is the fallback when OR-Tools is missing or finds nothing in time.
`apply_optimisation` reads an event, solves and writes the result.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clusterbridge.events.matchmaking import meeting_requests
from clusterbridge.events.models import Event, MeetingRequest, Participant
from clusterbridge.notifications.services import absolute, notify_many


@dataclass
class Problem:
    slots: list[int]  # slot ids in time order
    tables: int | None  # meetings per slot (None: no limit, online)
    meetings: list[tuple[int, int, int]]  # (meeting id, person a, person b)
    available: dict[int, set[int]]  # person → slots (missing: every slot)
    fixed: dict[int, int] = field(default_factory=dict)  # meeting → slot it must keep
    current: dict[int, int] = field(default_factory=dict)  # meeting → its slot now (a hint)


@dataclass
class Solution:
    placement: dict[int, int]  # meeting → slot
    upper_bound: int
    greedy: int
    method: str
    seconds: float
    optimal: bool = False

    @property
    def placed(self) -> int:
        return len(self.placement)


def _options(problem: Problem) -> dict[int, list[int]]:
    every = problem.slots
    options = {}
    for meeting, a, b in problem.meetings:
        if meeting in problem.fixed:
            options[meeting] = [problem.fixed[meeting]]
            continue
        slots = every
        for person in (a, b):
            own = problem.available.get(person)
            if own:
                slots = [s for s in slots if s in own]
        options[meeting] = slots
    return options


def upper_bound(problem: Problem, options: dict[int, list[int]]) -> int:
    """No placement beats this: meetings with a possible slot, capped by table-slots, and by
    what each person can attend (half the sum over people of min(meetings, free slots))."""
    placeable = [m for m, *_ in problem.meetings if options[m]]
    bound = len(placeable)
    if problem.tables is not None:
        bound = min(bound, problem.tables * len(problem.slots))
    degree: dict[int, int] = defaultdict(int)
    person_slots: dict[int, set[int]] = defaultdict(set)
    for meeting, a, b in problem.meetings:
        if options[meeting]:
            for person in (a, b):
                degree[person] += 1
                person_slots[person].update(options[meeting])
    per_person = sum(min(degree[p], len(person_slots[p])) for p in degree)
    return min(bound, per_person // 2)


def greedy(problem: Problem, options: dict[int, list[int]]) -> dict[int, int]:
    """Fixed meetings first, then the least flexible meetings first, each in its earliest
    slot where both people and a table are free."""
    busy: set[tuple[int, int]] = set()
    load: dict[int, int] = defaultdict(int)
    people = {m: (a, b) for m, a, b in problem.meetings}
    degree: dict[int, int] = defaultdict(int)
    for _, a, b in problem.meetings:
        degree[a] += 1
        degree[b] += 1
    placement = {}
    order = sorted(
        (m for m, *_ in problem.meetings if options[m]),
        key=lambda m: (
            m not in problem.fixed,
            len(options[m]),
            -(degree[people[m][0]] + degree[people[m][1]]),
            m,
        ),
    )
    limit = problem.tables
    for meeting in order:
        a, b = people[meeting]
        for slot in options[meeting]:
            if (a, slot) in busy or (b, slot) in busy:
                continue
            if limit is not None and load[slot] >= limit:
                continue
            placement[meeting] = slot
            busy.update({(a, slot), (b, slot)})
            load[slot] += 1
            break
    return placement


def solve(problem: Problem, *, time_limit: float = 20.0, workers: int = 2) -> Solution:
    started = time.perf_counter()
    options = _options(problem)
    bound = upper_bound(problem, options)
    first = greedy(problem, options)
    infeasible_fixed = [m for m in problem.fixed if first.get(m) != problem.fixed[m]]
    if len(first) >= bound or infeasible_fixed:
        # Greedy reached the bound (nothing to gain), or fixed meetings clash with each
        # other (the solver would answer infeasible): keep the greedy placement.
        return Solution(
            first, bound, len(first), "greedy", time.perf_counter() - started, not infeasible_fixed
        )
    try:
        from ortools.sat.python import cp_model
    except ImportError:  # pragma: no cover - OR-Tools is a dependency
        return Solution(first, bound, len(first), "greedy", time.perf_counter() - started)

    model = cp_model.CpModel()
    x: dict[tuple[int, int], object] = {}
    by_person_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    for meeting, a, b in problem.meetings:
        slots = options[meeting]
        if not slots:
            continue
        variables = []
        for slot in slots:
            var = model.NewBoolVar("")
            x[meeting, slot] = var
            variables.append(var)
            by_person_slot[a, slot].append(var)
            by_person_slot[b, slot].append(var)
            by_slot[slot].append(var)
            model.AddHint(var, first.get(meeting) == slot)
        if meeting in problem.fixed:
            model.Add(sum(variables) == 1)
        else:
            model.AddAtMostOne(variables)
    for variables in by_person_slot.values():
        if len(variables) > 1:
            model.AddAtMostOne(variables)
    if problem.tables is not None:
        for variables in by_slot.values():
            if len(variables) > problem.tables:
                model.Add(sum(variables) <= problem.tables)
    model.Maximize(sum(x.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit - (time.perf_counter() - started), 1)
    solver.parameters.num_workers = workers
    # Stop once within half a percent of the solver's own bound.
    solver.parameters.relative_gap_limit = 0.005
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solution(first, bound, len(first), "greedy", time.perf_counter() - started)
    placement = {m: s for (m, s), var in x.items() if solver.Value(var)}
    if len(placement) < len(first):
        placement, method = first, "greedy"
    else:
        method = "cp-sat"
    bound = min(bound, int(solver.BestObjectiveBound()))
    return Solution(
        placement,
        max(bound, len(placement)),
        len(first),
        method,
        time.perf_counter() - started,
        status == cp_model.OPTIMAL,
    )


# The event ------------------------------------------------------------------------------------
def problem_of(event: Event) -> Problem:
    slots = list(event.slots.values_list("pk", flat=True))
    meetings = list(
        MeetingRequest.objects.filter(event=event, status=MeetingRequest.Status.ACCEPTED)
        .order_by("pk")
        .values_list("pk", "sender_id", "receiver_id", "slot_id", "notified_slot_id")
    )
    through = Participant.available_slots.through
    available: dict[int, set[int]] = defaultdict(set)
    for person, slot in through.objects.filter(participant__event=event).values_list(
        "participant_id", "slot_id"
    ):
        available[person].add(slot)
    frozen = set(
        Participant.objects.filter(event=event, allow_reschedule=False).values_list("pk", flat=True)
    )
    fixed = {
        pk: notified
        for pk, a, b, _, notified in meetings
        if notified is not None and (a in frozen or b in frozen)
    }
    return Problem(
        slots=slots,
        tables=event.tables or None,
        meetings=[(pk, a, b) for pk, a, b, *_ in meetings],
        available=dict(available),
        fixed=fixed,
        current={pk: slot for pk, _, _, slot, _ in meetings if slot is not None},
    )


def apply_optimisation(event: Event, user, *, time_limit: float = 20.0) -> Solution:
    """Re-place every accepted meeting of the event and tell the people whose meeting moved."""

    if not event.user_can_change(user):
        raise PermissionDenied("Only the event's organisers optimise its agenda.")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        # Lock the meetings being moved: acceptances in the meantime wait.
        list(
            MeetingRequest.objects.select_for_update()
            .filter(event=event, status=MeetingRequest.Status.ACCEPTED)
            .values_list("pk", flat=True)
        )
        problem = problem_of(event)
        solution = solve(problem, time_limit=time_limit)
        tables = _tables(solution.placement, problem)
        meetings = list(
            MeetingRequest.objects.filter(event=event, status=MeetingRequest.Status.ACCEPTED)
            .order_by("pk")
            .values_list("pk", "notified_slot_id", "sender__user_id", "receiver__user_id")
        )
        places, moved_people = {}, set()
        template = event.video_room_url or event.online_url
        for pk, was, sender_user, receiver_user in meetings:
            slot = solution.placement.get(pk)
            video = template.replace("{room}", str(pk)) if slot and not event.tables else ""
            # The slot both people are told about from now on.
            places[pk] = (slot, tables.get(pk), video, slot)
            if slot != was:
                moved_people.update((sender_user, receiver_user))
        # Through the meetings' write door: one history entry per meeting moved.
        meeting_requests.move(
            event,
            places,
            user=user,
            message=f"Optimise the agenda: {solution.placed} of at most "
            f"{solution.upper_bound} meetings placed ({solution.method}).",
        )
        # One message per person whose agenda changed, with the link to the new agenda.
        people = get_user_model().objects.filter(pk__in=moved_people, is_active=True)
        agenda = reverse("events:agenda", args=[event.slug])
        notify_many(
            people,
            kind="events.agenda_changed",
            subject=f"Your agenda at {event.title} changed",
            key=f"events.agenda.{event.pk}.{timezone.now().isoformat()}",
            body=(
                "The organiser placed the meetings again. Your agenda: "
                f"{absolute(agenda)}\nCalendar (.ics): "
                f"{absolute(reverse('events:agenda-ics', args=[event.slug]))}"
            ),
            url=agenda,
            urgent=True,
        )
    return solution


def _tables(placement: dict[int, int], problem: Problem) -> dict[int, int]:
    if problem.tables is None:
        return {}
    numbers: dict[int, int] = defaultdict(int)
    tables = {}
    for meeting in sorted(placement):
        slot = placement[meeting]
        numbers[slot] += 1
        tables[meeting] = numbers[slot]
    return tables


def placed_query(event: Event):
    return MeetingRequest.objects.filter(
        Q(event=event), status=MeetingRequest.Status.ACCEPTED, slot__isnull=False
    )


def last_moves(event: Event, limit: int = 50) -> tuple[int, list[dict]]:
    """The meetings moved by the event's latest "optimise the agenda" (its history entries
    share the request): how many, and the first `limit` with their place before and after
    (slot times in the event's zone, tables), for the dashboard's revert buttons."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from clusterbridge.core.models import ObjectChange

    meetings = (
        MeetingRequest.all_objects.filter(event=event)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    entries = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(MeetingRequest),
        action="optimise",
        object_id__in=meetings,
    )
    latest = entries.order_by("-time", "-pk").first()
    if latest is None:
        return 0, []
    run = entries.filter(request_id=latest.request_id)
    slots = {slot.pk: event.local(slot.start) for slot in event.slots.all()}
    moves = [
        {
            "change": change,
            "before": (slots.get(change.before.get("slot_id")), change.before.get("table")),
            "after": (slots.get(change.after.get("slot_id")), change.after.get("table")),
        }
        for change in run.order_by("object_repr", "pk")[:limit]
    ]
    return run.count(), moves
