"""One outbox for everything the platform tells a person: a match for their post, a meeting
request, a join request, a validation decision.

A notification is stored first and mailed by `send_notifications` (the shape of
`send_alerts`): urgent ones at the next run, the others gathered into one digest per person
and period. Each is *claimed* by a conditional UPDATE before it is mailed, so two runs — even
concurrent ones — never mail it twice; `key` (unique per recipient) makes `notify` itself
idempotent, so a service may call it again for the same event without a second message.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def unsent(self):
        return self.filter(sent_at__isnull=True, claimed_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Dotted name of what happened, e.g. "marketplace.match", "events.meeting_request".
    kind = models.CharField(max_length=64, db_index=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Where to act, on this site.")
    # Same key for the same recipient = the same notification (notify is idempotent).
    key = models.CharField(max_length=200)
    calendar = models.TextField(
        blank=True, help_text="An iCalendar file (.ics) mailed with it as an attachment."
    )
    urgent = models.BooleanField(
        default=False, help_text="Mailed at the next run instead of in the digest."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The run that claimed it; lets that run read back exactly the rows it won.
    claim = models.UUIDField(null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notify_once_per_key"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.subject}"
