"""Saved searches and profiles with their e-mail alerts, watched calls, and the record of
what was sent (so that no run of `send_alerts` sends the same thing twice).

An alert is private to its owner: nobody else sees or changes it, not even an editor.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from clusterbridge.accounts.roles import is_member
from clusterbridge.core.models import TrackedModel
from clusterbridge.funding.models import Deadline, Instrument
from clusterbridge.taxonomy.models import Country, Feature


class Frequency(models.TextChoices):
    NEVER = "never", "No e-mail"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


PERIODS = {
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}


class OwnedModel(TrackedModel):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @classmethod
    def user_can_create(cls, user) -> bool:
        return is_member(user)

    def user_can_change(self, user) -> bool:
        return is_member(user) and user.pk == self.owner_id


class SavedSearch(OwnedModel):
    """A funding search (the query string of /funding/) or a solution profile (features and
    a country), with an optional digest of newly matching calls."""

    class Kind(models.TextChoices):
        SEARCH = "search", "Funding search"
        PROFILE = "profile", "Solution profile"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SEARCH)
    query = models.CharField(
        max_length=2000, blank=True, help_text="The part after “?” in a /funding/ address."
    )
    features = models.ManyToManyField(Feature, blank=True, related_name="+")
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(blank=True)
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY)
    # When the next digest is due; moved forward by the run that claims it (conditional
    # UPDATE), so two runs never send the same digest. Empty: no digest.
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    history_exclude = ("updated_at", "created_at", "next_run_at", "last_sent_at")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "saved searches"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("alerts:edit", args=[self.pk])

    def schedule(self, now: datetime.datetime | None = None) -> None:
        """Set the first digest one period from now (or none)."""
        period = PERIODS.get(self.frequency)
        self.next_run_at = (now or timezone.now()) + period if period else None

    @property
    def period(self) -> datetime.timedelta | None:
        return PERIODS.get(self.frequency)


class WatchedCall(OwnedModel):
    """A call its owner follows: a reminder is e-mailed 7 days before each of its deadlines."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="watches")
    remind = models.BooleanField(default=True, help_text="E-mail me 7 days before each deadline.")

    class Meta:
        ordering = ["instrument__final_deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "instrument"], name="one_watch_per_user_and_call"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} watches {self.instrument}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:list")


class SentItem(models.Model):
    """One instrument sent in one alert's digest: never sent again for that alert."""

    alert = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="sent_items")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "instrument"], name="send_instrument_once_per_alert"
            ),
        ]

    def __str__(self) -> str:
        return f"instrument #{self.instrument_id} sent for alert #{self.alert_id}"


class SentReminder(models.Model):
    """One deadline reminder sent for one watch: never sent again for that date."""

    watch = models.ForeignKey(WatchedCall, on_delete=models.CASCADE, related_name="sent_reminders")
    deadline = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["watch", "deadline"], name="remind_once_per_watch_and_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"reminder of {self.deadline} for watch #{self.watch_id}"


__all__ = ["Deadline", "Frequency", "SavedSearch", "SentItem", "SentReminder", "WatchedCall"]


class ShortlistItem(OwnedModel):
    """A call a person keeps on their shortlist, with their own note. Private to its owner;
    read-only to whoever holds one of the owner's unrevoked share links."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["instrument__final_deadline", "instrument__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "instrument"], name="shortlist_once")
        ]

    def __str__(self) -> str:
        return str(self.instrument)

    def get_absolute_url(self) -> str:
        return reverse("alerts:shortlist")


class Dismissal(OwnedModel):
    """A result a person marked as not relevant: hidden from their searches and digests
    until they show it again (a dismissal deleted is a result shown again)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "instrument"], name="dismiss_once")]

    def __str__(self) -> str:
        return f"not relevant: {self.instrument}"


def _share_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class ShortlistShare(OwnedModel):
    """A read-only link to a person's shortlist (notes included); revoking it (a delete)
    makes the link answer 404."""

    token = models.CharField(max_length=64, unique=True, default=_share_token, editable=False)

    def __str__(self) -> str:
        return f"shortlist link {self.token[:6]}…"

    def get_absolute_url(self) -> str:
        return reverse("alerts:shortlist-shared", args=[self.token])
