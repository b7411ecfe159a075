"""notify() and send_notifications(): store first, mail later, never twice.

Services of other apps call `notify` (or `notify_many`) inside their own transaction; the
notification exists only if that transaction commits. `send_due` is run by the
`send_notifications` command (every few minutes from cron or a timer):
- urgent notifications are mailed one by one at the next run;
- the others wait until the oldest of a person's pending ones is NOTIFICATION_DIGEST_MINUTES
  old, then go out together as one digest.
Rows are claimed with a conditional UPDATE carrying a run token, then mailed, then marked
sent; a mail failure releases the claim, so the next run tries again. A claim older than
CLAIM_TIMEOUT (a run that died mid-way) can be taken again.
"""

import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clusterbridge.notifications.models import Notification

logger = logging.getLogger(__name__)
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
DIGEST_LISTED = 50


def _one_line(text: str, limit: int) -> str:
    # Subjects are mail headers: no line breaks, bounded length.
    return " ".join(str(text).split())[:limit]


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def notify(
    recipient,
    *,
    kind: str,
    subject: str,
    key: str,
    body: str = "",
    url: str = "",
    urgent: bool = False,
    calendar: str | bytes = "",
) -> Notification | None:
    """Store one notification for `recipient`; the same (recipient, key) is stored once.

    Returns the notification, the existing one for that key, or None when there is nobody
    to tell (no recipient, or an inactive account). `calendar`, an iCalendar file, is mailed
    as an attachment (an event's or a meeting agenda's .ics)."""
    if recipient is None or not getattr(recipient, "is_active", False):
        return None
    if isinstance(calendar, bytes):
        calendar = calendar.decode("utf-8")
    values = {
        "calendar": calendar,
        "kind": kind,
        "subject": _one_line(subject, 200),
        "body": body,
        "url": url[:500],
        "urgent": urgent,
    }
    try:
        with transaction.atomic():
            return Notification.objects.create(recipient=recipient, key=key[:200], **values)
    except IntegrityError:
        return Notification.objects.filter(recipient=recipient, key=key[:200]).first()


def notify_many(
    recipients: Iterable,
    *,
    kind: str,
    subject: str,
    key: str,
    body: str = "",
    url: str = "",
    urgent: bool = False,
) -> int:
    """The same notification for many people in one INSERT (e.g. every author matched by a
    new post); keys already used by a recipient are skipped. Returns how many were new."""
    people = {r.pk: r for r in recipients if r is not None and getattr(r, "is_active", False)}
    if not people:
        return 0
    already = set(
        Notification.objects.filter(recipient_id__in=people, key=key[:200]).values_list(
            "recipient_id", flat=True
        )
    )
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            subject=_one_line(subject, 200),
            body=body,
            url=url[:500],
            urgent=urgent,
            key=key[:200],
        )
        for pk in people
        if pk not in already
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notifications read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


# Sending --------------------------------------------------------------------------------------
@dataclass
class SendReport:
    urgent: int = 0
    digests: int = 0
    digest_items: int = 0
    failed: int = 0


def _claimable(now: datetime.datetime):
    return Notification.objects.filter(sent_at__isnull=True).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    )


def _claim(ids: list[int], now: datetime.datetime) -> list[Notification]:
    """Claim these rows for this run; returns the rows this run won (maybe none)."""
    token = uuid.uuid4()
    _claimable(now).filter(pk__in=ids).update(claimed_at=now, claim=token)
    return list(Notification.objects.filter(claim=token).select_related("recipient").order_by("pk"))


def _release(rows: list[Notification]) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in rows], sent_at__isnull=True).update(
        claimed_at=None, claim=None
    )


def _mail(recipient, subject: str, template: str, context: dict, calendars=()) -> None:
    message = EmailMessage(
        subject=_one_line(f"[ClusterBridge] {subject}", 200),
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    for number, calendar in enumerate(calendars, 1):
        name = "invite.ics" if len(calendars) == 1 else f"invite-{number}.ics"
        message.attach(name, calendar, "text/calendar")
    message.send()


def _send(rows: list[Notification], now: datetime.datetime, report: SendReport) -> None:
    recipient = rows[0].recipient
    if not recipient.email or not recipient.is_active:
        # Kept on the site (the inbox shows it); nothing to mail.
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(sent_at=now)
        return
    items = [(n, absolute(n.url)) for n in rows]
    context = {
        "recipient": recipient,
        "items": items[:DIGEST_LISTED],
        "more": max(0, len(items) - DIGEST_LISTED),
        "inbox_url": absolute(reverse("notifications:inbox")),
    }
    try:
        calendars = [n.calendar for n in rows if n.calendar]
        if len(rows) == 1:
            _mail(recipient, rows[0].subject, "notifications/email/one.txt", context, calendars)
        else:
            _mail(
                recipient,
                f"{len(rows)} updates for you",
                "notifications/email/digest.txt",
                context,
                calendars,
            )
    except Exception:  # noqa: BLE001 — one failing mail must not stop the others
        logger.exception("Notifications %s could not be mailed", [n.pk for n in rows])
        _release(rows)
        report.failed += 1
        return
    Notification.objects.filter(pk__in=[n.pk for n in rows]).update(sent_at=now)
    if len(rows) == 1 and rows[0].urgent:
        report.urgent += 1
    else:
        report.digests += 1
        report.digest_items += len(rows)


def send_due(now: datetime.datetime | None = None) -> SendReport:
    now = now or timezone.now()
    report = SendReport()
    # Urgent: one mail each, at once.
    urgent_ids = list(_claimable(now).filter(urgent=True).values_list("pk", flat=True))
    for notification in _claim(urgent_ids, now) if urgent_ids else []:
        _send([notification], now, report)
    # Digests: per person, once their oldest pending notification has waited long enough.
    wait = datetime.timedelta(minutes=settings.NOTIFICATION_DIGEST_MINUTES)
    due_people = (
        _claimable(now)
        .filter(urgent=False)
        .values("recipient_id")
        .annotate(oldest=Min("created_at"))
        .filter(oldest__lte=now - wait)
        .values_list("recipient_id", flat=True)
    )
    for recipient_id in list(due_people):
        ids = list(
            _claimable(now)
            .filter(urgent=False, recipient_id=recipient_id)
            .values_list("pk", flat=True)
        )
        rows = _claim(ids, now)
        if rows:  # another run may have taken them all
            _send(rows, now, report)
    return report
