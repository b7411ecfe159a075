"""A synthetic brokerage event for scale tests (`generate_event`): participants with
organisations, profiles, availability, and accepted meeting requests waiting for a slot.
Everything is flagged synthetic: the event list never shows it."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from clusterbridge.events.models import (
    Event,
    EventKind,
    MeetingRequest,
    Participant,
    Registration,
    Session,
    Slot,
)
from clusterbridge.organisations.generator import WORDS, generate_organisations
from clusterbridge.organisations.models import Organisation
from clusterbridge.taxonomy.models import Feature, Term, Vocabulary

BATCH = 2000


@transaction.atomic
def generate_event(
    participants: int,
    requests: int,
    *,
    slots: int = 16,
    tables: int = 100,
    pending: int = 0,
    seed: int | None = None,
    online: bool = False,
) -> Event:
    """An on-site (or `online`) brokerage event with `slots` meeting slots of 30 minutes in
    two sessions, `participants` people from synthetic organisations, `requests` accepted
    requests (unplaced) and `pending` pending ones between distinct pairs."""
    rng = random.Random(seed)
    start = (timezone.now() + datetime.timedelta(days=60)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    index = Event.all_objects.filter(is_synthetic=True).count()
    event = Event(
        title=f"Synthetic brokerage event {index + 1}",
        slug=f"synthetic-brokerage-{index + 1}",
        kind=EventKind.BROKERAGE,
        venue="" if online else "Synthetic venue",
        online_url="https://video.invalid/room" if online else "",
        time_zone="Europe/Brussels",
        start=start,
        end=start + datetime.timedelta(hours=6, minutes=30 * slots),
        tables=0 if online else tables,
        max_pending_requests=50,
        is_synthetic=True,
        provenance=[{"document": "synthetic (generate_event)"}],
    )
    event.save()
    half = (slots + 1) // 2
    made_slots = []
    for offset, count in ((1, half), (5.5, slots - half)):
        first = start + datetime.timedelta(hours=offset)
        session = Session.objects.create(
            event=event, start=first, end=first + datetime.timedelta(minutes=30 * count)
        )
        made_slots += Slot.objects.bulk_create(
            Slot(
                event=event,
                session=session,
                start=first + datetime.timedelta(minutes=30 * n),
                end=first + datetime.timedelta(minutes=30 * (n + 1)),
            )
            for n in range(count)
        )
    organisation_count = max(1, participants // 2)
    before = Organisation.all_objects.filter(is_synthetic=True).count()
    generate_organisations(organisation_count, seed=seed, cluster_share=0)
    organisations = list(Organisation.all_objects.filter(is_synthetic=True).order_by("pk")[before:])
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"synthetic-event-{event.pk}-{n:05d}", email="", is_active=True)
            for n in range(participants)
        ],
        batch_size=BATCH,
    )
    now = timezone.now()
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                user=user,
                organisation=organisations[n % len(organisations)],
                status=Registration.Status.CONFIRMED,
                queued_at=now,
            )
            for n, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    people = []
    for n, registration in enumerate(registrations):
        person = Participant(
            registration=registration,
            event=event,
            user_id=registration.user_id,
            organisation=registration.organisation,
            display_name=f"Participant {n:05d} ({registration.organisation.name[:60]})",
            offers=" ".join(rng.choice(WORDS) for _ in range(12)),
            seeks=" ".join(rng.choice(WORDS) for _ in range(8)),
            is_synthetic=True,
        )
        person.prepare_for_save()
        people.append(person)
    people = Participant.objects.bulk_create(people, batch_size=BATCH)
    features = list(Feature.objects.values_list("pk", flat=True))
    ecosystems = list(
        Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS).values_list("pk", flat=True)
    )
    for relation, pool, most in (
        ("offer_features", features, 4),
        ("seek_features", features, 3),
        ("ecosystems", ecosystems, 2),
    ):
        through = getattr(Participant, relation).through
        # The link table's other column: feature_id or term_id.
        name = next(f.attname for f in through._meta.fields if f.name not in ("id", "participant"))
        rows = [
            through(participant_id=p.pk, **{name: pk})
            for p in people
            for pk in rng.sample(pool, rng.randint(1, min(most, len(pool))))
        ]
        through.objects.bulk_create(rows, batch_size=BATCH * 5)
    # A third of the people are available only in part of the event.
    through = Participant.available_slots.through
    rows = []
    for person in people:
        if rng.random() < 1 / 3:
            share = rng.uniform(0.5, 0.9)
            chosen = rng.sample(made_slots, max(1, int(len(made_slots) * share)))
            rows += [through(participant_id=person.pk, slot_id=s.pk) for s in chosen]
    through.objects.bulk_create(rows, batch_size=BATCH * 5)
    pairs: set[tuple[int, int]] = set()
    ids = [p.pk for p in people]
    wanted = min(requests + pending, len(ids) * (len(ids) - 1) // 2)
    while len(pairs) < wanted:
        a, b = rng.sample(ids, 2)
        if (b, a) not in pairs:
            pairs.add((a, b))
    ordered = sorted(pairs)
    rng.shuffle(ordered)
    MeetingRequest.objects.bulk_create(
        [
            MeetingRequest(
                event=event,
                sender_id=a,
                receiver_id=b,
                status=(
                    MeetingRequest.Status.ACCEPTED
                    if n < requests
                    else MeetingRequest.Status.PENDING
                ),
                decided_at=now if n < requests else None,
                is_synthetic=True,
            )
            for n, (a, b) in enumerate(ordered)
        ],
        batch_size=BATCH,
    )
    return event
