"""The write doors of events and registrations, and the registration actions: register,
cancel, the waiting list, reminders. Matchmaking lives in `matchmaking.py`.

Seats are counted under a lock on the event's row: two people asking for the last seat at
the same moment are served one after the other (one gets the seat, the other the waiting
list), and a cancellation promotes the first of the waiting list in the same transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clusterbridge.accounts import roles
from clusterbridge.core.services import ModelService, register
from clusterbridge.events import calendars
from clusterbridge.events.models import (
    Event,
    MeetingRequest,
    Participant,
    Registration,
    Session,
    Slot,
)
from clusterbridge.notifications.services import absolute, notify

Status = Registration.Status
REMIND_BEFORE = datetime.timedelta(hours=24)
MAX_SLOTS = 200


class EventService(ModelService[Event]):
    model = Event

    def initialise(self, obj: Event, user) -> None:
        if user is not None and user.is_authenticated:
            obj.created_by = user

    def prepare(self, obj: Event, user, changed: set[str], *, note: str = "", author=None):
        """A cluster manager organises for the clusters they manage; networks and the
        platform itself are organisers only editors may name."""
        if user is None or roles.is_editor(user):
            return
        if not obj.organiser_cluster_id:
            raise ValidationError(
                {"organiser_cluster": "Choose a cluster you manage as the organiser."}
            )
        if {"organiser_cluster", "organiser_network"} & changed or obj.pk is None:
            if obj.organiser_network_id:
                raise ValidationError(
                    {"organiser_network": "Only platform editors name a network as organiser."}
                )
            if not obj.organiser_cluster.is_managed_by(user):
                raise ValidationError({"organiser_cluster": "You do not manage this cluster."})


class RegistrationService(ModelService[Registration]):
    """Registrations are written by `register` and `cancel`; a generic write (revert) is for
    administrators."""

    model = Registration

    def can_create(self, user) -> bool:
        return user is None or roles.is_admin(user)

    def can_change(self, obj, user) -> bool:
        return user is None or roles.is_admin(user)


events = register(EventService())
registrations = register(RegistrationService())


# Sessions and slots --------------------------------------------------------------------------
@transaction.atomic
def set_sessions(event: Event, user, sessions: list[tuple[datetime.datetime, datetime.datetime]]):
    """Replace the event's meeting sessions and cut them into slots. Meetings in a slot that
    disappears lose their slot (the organiser places them again)."""
    if not event.user_can_change(user):
        raise PermissionDenied("Only the event's organisers change its sessions.")
    errors = []
    slots: list[tuple[int, datetime.datetime, datetime.datetime]] = []
    step = datetime.timedelta(minutes=event.meeting_minutes)
    ordered = sorted(sessions)
    for number, (start, end) in enumerate(ordered):
        if end <= start:
            errors.append(f"Session {number + 1} ends before it starts.")
        elif start < event.start or end > event.end:
            errors.append(f"Session {number + 1} is outside the event's dates.")
        elif number and start < ordered[number - 1][1]:
            errors.append(f"Session {number + 1} overlaps the one before.")
        at = start
        while at + step <= end:
            slots.append((number, at, at + step))
            at += step
    if len(slots) > MAX_SLOTS:
        errors.append(f"At most {MAX_SLOTS} meeting slots per event.")
    if errors:
        raise ValidationError(errors)
    kept = {s.start: s for s in event.slots.all()}
    wanted = {start for _, start, _ in slots}
    gone = [s.pk for start, s in kept.items() if start not in wanted]
    MeetingRequest.objects.filter(slot_id__in=gone).update(slot=None, table=None, video_url="")
    old_sessions = list(event.sessions.values_list("pk", flat=True))
    made = [Session.objects.create(event=event, start=s, end=e) for s, e in ordered]
    for number, start, end in slots:
        if start in kept:
            Slot.objects.filter(pk=kept[start].pk).update(session=made[number], end=end)
        else:
            Slot.objects.create(event=event, session=made[number], start=start, end=end)
    Slot.objects.filter(pk__in=gone).delete()
    Session.objects.filter(pk__in=old_sessions).delete()
    return list(event.slots.all())


# Registration ---------------------------------------------------------------------------------
def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _seats_taken(event: Event) -> int:
    return event.registrations.filter(status=Status.CONFIRMED).count()


def _tell(registration: Registration, what: str) -> None:
    event = registration.event
    ics = absolute(reverse("events:ics", args=[event.slug]))
    local = event.local(event.start)
    when = f"{local:%A %d %B %Y, %H:%M} ({event.time_zone})"
    texts = {
        "confirmed": (f"You are registered: {event.title}", "Your seat is confirmed."),
        "waiting": (
            f"Waiting list: {event.title}",
            "The event is full; you are on the waiting list and will be told if a seat frees.",
        ),
        "promoted": (
            f"A seat freed up — you are registered: {event.title}",
            "A seat became free and it is yours.",
        ),
        "reminder": (f"Reminder: {event.title} starts soon", "The event starts soon."),
    }
    subject, lead = texts[what]
    where = event.online_url or ", ".join(p for p in (event.venue, event.city) if p)
    notify(
        registration.user,
        kind=f"events.registration_{what}",
        subject=subject,
        key=f"events.registration.{registration.pk}.{what}.{registration.version}",
        body=f"{lead}\n\n{event.title}\n{when}\n{where}\n\nAdd it to your calendar (.ics): {ics}",
        url=event.get_absolute_url(),
        urgent=what != "waiting",
        calendar="" if what == "waiting" else calendars.event_ics(event),
    )


def validate_answers(event: Event, answers: dict) -> dict:
    answers = {str(k): str(v).strip()[:1000] for k, v in (answers or {}).items()}
    missing = [q for q in event.question_list if not answers.get(q)]
    if missing:
        raise ValidationError({"answers": [f"Please answer: {q}" for q in missing]})
    return {q: answers[q] for q in event.question_list}


@transaction.atomic
def register_for(event: Event, user, *, organisation=None, answers=None) -> Registration:
    """Register the person (for their organisation, when given): a seat while there is one,
    else the waiting list. Registering again after cancelling queues anew."""
    roles.require_verified(user, "register for an event")
    event = _locked_event(event)
    state = event.registration_state()
    if state != "open":
        raise ValidationError(
            "Registration has not opened yet." if state == "not-yet" else "Registration is closed."
        )
    if organisation is not None and not organisation.has_member(user):
        raise ValidationError({"organisation": "You may register only for your organisation."})
    answers = validate_answers(event, answers or {})
    existing = Registration.all_objects.filter(event=event, user=user).first()
    if existing is not None and existing.status != Status.CANCELLED:
        raise ValidationError("You are already registered for this event.")
    full = event.capacity is not None and _seats_taken(event) >= event.capacity
    registration = existing or Registration(event=event, user=user)
    registration.organisation = organisation
    registration.answers = answers
    registration.status = Status.WAITING if full else Status.CONFIRMED
    registration.queued_at = timezone.now()
    registration.cancelled_at = None
    registration.deleted_at = None
    registrations.write(registration, user=user, action="register")
    _join_matchmaking(registration, user)
    _tell(registration, registration.status)
    return registration


def _join_matchmaking(registration: Registration, user) -> None:
    """A confirmed seat at a brokerage event comes with a matchmaking profile, made here
    (never by a page being read)."""
    if registration.status == Status.CONFIRMED and registration.event.is_brokerage:
        from clusterbridge.events import matchmaking

        matchmaking.create_profile(registration, user)


@transaction.atomic
def cancel_registration(registration: Registration, user) -> Registration:
    """The person (or an organiser) cancels: the seat frees, the first of the waiting list
    gets it, and the person's meetings at the event are cancelled."""
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.user_id != getattr(user, "pk", None) and not event.user_can_change(user):
        raise PermissionDenied("You may cancel only your own registration.")
    if registration.status == Status.CANCELLED:
        return registration
    had_seat = registration.status == Status.CONFIRMED
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registrations.write(registration, user=user, action="cancel")
    participant = Participant.objects.filter(registration=registration).first()
    if participant is not None:
        from clusterbridge.events import matchmaking

        matchmaking.withdraw_participant(participant, user)
    if had_seat:
        promote_waiting(event)
    return registration


def promote_waiting(event: Event) -> list[Registration]:
    """Give free seats to the waiting list in the order people asked (event row locked)."""
    free = None if event.capacity is None else event.capacity - _seats_taken(event)
    waiting = event.registrations.filter(status=Status.WAITING).order_by("queued_at", "pk")
    chosen = list(waiting if free is None else waiting[: max(free, 0)])
    for registration in chosen:
        registration.status = Status.CONFIRMED
        registrations.write(registration, action="promote", message="A seat became free.")
        _join_matchmaking(registration, None)
        _tell(registration, "promoted")
    return chosen


def send_reminders(now=None) -> int:
    """Remind registered people of events starting within a day, once (claimed by a
    conditional update, so two runs never remind twice)."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminded_at=None,
        event__deleted_at=None,
        event__start__gt=now,
        event__start__lte=now + REMIND_BEFORE,
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            if not Registration.objects.filter(pk=pk, reminded_at=None).update(reminded_at=now):
                continue
            registration = Registration.objects.select_related("event", "user").get(pk=pk)
            _tell(registration, "reminder")
            sent += 1
    return sent


def seats_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - _seats_taken(event), 0)
