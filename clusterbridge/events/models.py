"""Events — webinars, info days, brokerage (matchmaking) events, conferences — with their
registrations and, for brokerage events, one-to-one matchmaking: each participant's profile
(offers, seeks, availability), meeting requests, and the meetings placed in the event's
slots.

Times are stored in UTC and entered and shown in the event's own time zone (`time_zone`).
Every write goes through `events/services.py`.
"""

import datetime
import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from clusterbridge.accounts import roles
from clusterbridge.core.models import LiveManager, LiveQuerySet, TrackedModel
from clusterbridge.core.search import build_search_text, fold
from clusterbridge.taxonomy.models import Country, Feature, Term, Vocabulary

DESCRIPTION_MAX = 5000
MESSAGE_MAX = 1000
PROFILE_TEXT_MAX = 2000


WORD = re.compile(r"[a-z0-9]{4,}")


def words(text: str) -> set[str]:
    return set(WORD.findall(fold(text or "").lower()))


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"Unknown time zone “{value}” (use a name such as Europe/Brussels).")


class EventKind(models.TextChoices):
    WEBINAR = "webinar", "Webinar"
    INFO_DAY = "info-day", "Info day"
    BROKERAGE = "brokerage", "Brokerage / matchmaking event"
    CONFERENCE = "conference", "Conference"


class EventQuerySet(LiveQuerySet):
    def real(self):
        """What the public list shows and counts: never synthetic records."""
        return self.filter(is_synthetic=False)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now())

    def organised_by(self, user):
        """Events this person may manage: every event for editors, else those of the
        clusters they manage."""
        if roles.is_editor(user):
            return self
        if not roles.is_member(user):
            return self.none()
        return self.filter(
            organiser_cluster__manager_links__user=user,
            organiser_cluster__manager_links__approved=True,
            organiser_cluster__manager_links__deleted_at=None,
        )


class Event(TrackedModel):
    VALUE_FIELDS = (
        "title",
        "kind",
        "organiser_cluster",
        "organiser_network",
        "description",
        "online_url",
        "venue",
        "city",
        "country",
        "time_zone",
        "start",
        "end",
        "registration_opens",
        "registration_closes",
        "capacity",
        "questions",
        "max_pending_requests",
        "meeting_minutes",
        "tables",
        "video_room_url",
    )

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=EventKind.choices, db_index=True)
    # The organiser: a cluster, a network of clusters, or (neither) the platform itself.
    organiser_cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name="organising cluster",
    )
    organiser_network = models.ForeignKey(
        "clusters.Network",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name="organising network",
    )
    description = models.TextField(
        blank=True, max_length=DESCRIPTION_MAX, validators=[MaxLengthValidator(DESCRIPTION_MAX)]
    )
    online_url = models.URLField("online link", max_length=500, blank=True)
    venue = models.CharField(max_length=300, blank=True, help_text="Address of the venue.")
    city = models.CharField(max_length=120, blank=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    time_zone = models.CharField(
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_time_zone],
        help_text="Times are entered and shown in this time zone.",
    )
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField(db_index=True)
    registration_opens = models.DateTimeField(null=True, blank=True)
    registration_closes = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seats; empty means no limit. Beyond it: waiting list."
    )
    questions = models.TextField(
        "questions to people who register",
        blank=True,
        max_length=2000,
        help_text="One question per line; each person registering answers them.",
    )
    funding_calls = models.ManyToManyField(
        "funding.Instrument", blank=True, related_name="events", verbose_name="related calls"
    )
    ecosystems = models.ManyToManyField(
        Term,
        blank=True,
        related_name="events",
        limit_choices_to={"vocabulary": Vocabulary.ECOSYSTEMS},
        verbose_name="industrial ecosystems",
    )
    features = models.ManyToManyField(Feature, blank=True, related_name="events")
    # Matchmaking (brokerage events).
    max_pending_requests = models.PositiveSmallIntegerField(
        "pending meeting requests per participant",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        "minutes per meeting", default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    tables = models.PositiveSmallIntegerField(
        "meeting tables on site",
        default=0,
        help_text="On-site meetings per slot; 0 for an online event (video rooms).",
    )
    video_room_url = models.CharField(
        "video room link",
        max_length=500,
        blank=True,
        help_text="For online meetings: a link with {room} where the meeting's number goes, "
        "or one link for every meeting. Empty: the event's online link.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False)

    objects = LiveManager.from_queryset(EventQuerySet)()
    all_objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    # Derived ---------------------------------------------------------------------------------
    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local(self, value: datetime.datetime | None) -> datetime.datetime | None:
        return value.astimezone(self.tz) if value else None

    @property
    def local_start(self) -> datetime.datetime:
        return self.local(self.start)

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def is_onsite(self) -> bool:
        return bool(self.venue)

    @property
    def is_brokerage(self) -> bool:
        return self.kind == EventKind.BROKERAGE

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    @property
    def organiser_name(self) -> str:
        if self.organiser_cluster_id:
            return self.organiser_cluster.name
        if self.organiser_network_id:
            return self.organiser_network.name
        return "ClusterBridge"

    def registration_state(self, now=None) -> str:
        """ "open", "not-yet", "closed" (window over or event over)."""
        now = now or timezone.now()
        if self.end < now or (self.registration_closes and self.registration_closes < now):
            return "closed"
        if self.registration_opens and self.registration_opens > now:
            return "not-yet"
        return "open"

    # Policy ----------------------------------------------------------------------------------
    @classmethod
    def user_can_create(cls, user) -> bool:
        """Platform editors and cluster managers organise events."""
        return roles.is_editor(user) or roles.is_cluster_manager(user)

    def user_can_change(self, user) -> bool:
        if roles.is_editor(user):
            return True
        return bool(self.organiser_cluster_id) and self.organiser_cluster.is_managed_by(user)

    # Rules -----------------------------------------------------------------------------------
    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = "The event must end after it starts."
        if self.organiser_cluster_id and self.organiser_network_id:
            errors["organiser_network"] = "Choose a cluster or a network as organiser, not both."
        if not self.online_url and not self.venue:
            errors["venue"] = "Give a venue, an online link, or both."
        opens, closes = self.registration_opens, self.registration_closes
        if opens and closes and closes <= opens:
            errors["registration_closes"] = "Registration must close after it opens."
        if closes and self.end and closes > self.end:
            errors["registration_closes"] = "Registration must close before the event ends."
        if self.kind == EventKind.BROKERAGE and self.venue and not self.tables:
            errors["tables"] = "An on-site brokerage event needs at least one meeting table."
        if errors:
            raise ValidationError(errors)

    def unique_slug(self) -> str:
        day = self.start.date().isoformat() if self.start else ""
        base = slugify(fold(f"{self.title} {day}"))[:100] or "event"
        slug, n = base, 1
        while Event.all_objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def prepare_for_save(self) -> None:
        if not self.slug:
            self.slug = self.unique_slug()
        self.search_text = build_search_text(
            self.title, self.city, self.venue, self.get_kind_display(), self.description
        )

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)


class Session(models.Model):
    """A meeting session of a brokerage event, cut into slots of `meeting_minutes`."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.event}: {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M} UTC"


class Slot(models.Model):
    """One meeting time of an event (generated from its sessions)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="one_slot_per_event_and_time")
        ]

    def __str__(self) -> str:
        local = self.start.astimezone(self.event.tz)
        return local.strftime("%a %d %b %H:%M")


class Registration(TrackedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Registered"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
        help_text="The organisation the person registers for (one they belong to).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    answers = models.JSONField(default=dict, blank=True)
    # Order of the waiting list (the time the person asked for a seat).
    queued_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.user} at {self.event} ({self.status})"

    @classmethod
    def user_can_create(cls, user) -> bool:
        return roles.is_verified(user)

    def user_can_change(self, user) -> bool:
        return roles.is_member(user) and (self.user_id == user.pk or roles.is_admin(user))


class Participant(TrackedModel):
    """A registered person's matchmaking profile for one brokerage event."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="participant"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_participations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_participants",
    )
    display_name = models.CharField("name shown to other participants", max_length=120)
    offers = models.TextField(
        "what we offer",
        blank=True,
        max_length=PROFILE_TEXT_MAX,
        validators=[MaxLengthValidator(PROFILE_TEXT_MAX)],
    )
    seeks = models.TextField(
        "what we seek",
        blank=True,
        max_length=PROFILE_TEXT_MAX,
        validators=[MaxLengthValidator(PROFILE_TEXT_MAX)],
    )
    offer_features = models.ManyToManyField(
        Feature, blank=True, related_name="participants_offering"
    )
    seek_features = models.ManyToManyField(Feature, blank=True, related_name="participants_seeking")
    ecosystems = models.ManyToManyField(
        Term,
        blank=True,
        related_name="event_participants",
        limit_choices_to={"vocabulary": Vocabulary.ECOSYSTEMS},
    )
    # Empty means available in every slot.
    available_slots = models.ManyToManyField(
        Slot, blank=True, related_name="available_participants"
    )
    allow_reschedule = models.BooleanField(
        "the organiser may move my confirmed meetings",
        default=True,
        help_text="When the organiser optimises the agenda, a meeting you were told about "
        "may move to another slot.",
    )
    search_text = models.TextField(blank=True, editable=False)
    # The words of `offers` and `seeks` (folded, four letters or more), for suggestions.
    offer_words = models.TextField(blank=True, editable=False)
    seek_words = models.TextField(blank=True, editable=False)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_profile_per_event_person")
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("events:participant", args=[self.event.slug, self.pk])

    @classmethod
    def user_can_create(cls, user) -> bool:
        return roles.is_verified(user)

    def user_can_change(self, user) -> bool:
        return roles.is_member(user) and (self.user_id == user.pk or roles.is_admin(user))

    def prepare_for_save(self) -> None:
        self.search_text = build_search_text(self.display_name, self.offers, self.seeks)
        self.offer_words = " ".join(sorted(words(self.offers)))
        self.seek_words = " ".join(sorted(words(self.seeks)))

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)


class MeetingRequest(TrackedModel):
    """A request for a one-to-one meeting; once accepted, the meeting itself (its slot and
    table or video room)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    sender = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent")
    receiver = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="received")
    message = models.TextField(
        blank=True, max_length=MESSAGE_MAX, validators=[MaxLengthValidator(MESSAGE_MAX)]
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The meeting (accepted requests): its slot, its table (on site) or video room (online).
    slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    table = models.PositiveSmallIntegerField(null=True, blank=True)
    video_url = models.CharField(max_length=500, blank=True)
    # The slot both people were last told about (an optimisation keeps it when one of them
    # does not allow a change).
    notified_slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # After the event: each side rates the meeting (1–5) and says whether it follows up.
    sender_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    receiver_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    sender_follow_up = models.BooleanField(null=True, blank=True)
    receiver_follow_up = models.BooleanField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "receiver"], name="one_meeting_request_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(sender=models.F("receiver")), name="no_meeting_with_oneself"
            ),
            # Two meetings never share a table in one slot.
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(slot__isnull=False, table__isnull=False),
                name="one_meeting_per_table_and_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"]),
            models.Index(fields=["sender", "status"]),
            models.Index(fields=["receiver", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.receiver} ({self.status})"

    def involves(self, user) -> bool:
        return roles.is_member(user) and user.pk in (self.sender.user_id, self.receiver.user_id)

    def other_side(self, user) -> Participant:
        return self.receiver if self.sender.user_id == user.pk else self.sender

    @classmethod
    def user_can_create(cls, user) -> bool:
        return roles.is_verified(user)

    def user_can_change(self, user) -> bool:
        return roles.is_admin(user) or self.involves(user)

    def user_can_view_history(self, user) -> bool:
        # The event's organisers see (and may revert) the moves of "optimise the agenda".
        return self.user_can_change(user) or self.event.user_can_change(user)


__all__ = [
    "Event",
    "EventKind",
    "MeetingRequest",
    "Participant",
    "Registration",
    "Session",
    "Slot",
]
