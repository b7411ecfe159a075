"""Alert actions shared by the pages and the `send_alerts` command.

Sending is at most once per (alert, instrument) and per (watch, deadline):
1. a digest is *claimed* by a conditional UPDATE that moves `next_run_at` forward only if it
   still holds the value this run read — a second run, even a concurrent one, updates nothing
   and skips it;
2. what is about to be sent is recorded (`SentItem`, `SentReminder`, each with a unique
   constraint) in the same transaction as the sending: if the mail server refuses, the
   records are rolled back and the next run tries again; if another run got there first, the
   unique constraint fails and nothing is sent.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from clusterbridge.accounts.roles import can_receive_mail
from clusterbridge.alerts import sources
from clusterbridge.alerts.models import (
    Dismissal,
    SavedSearch,
    SentItem,
    SentReminder,
    ShortlistItem,
    ShortlistShare,
    WatchedCall,
)
from clusterbridge.core.services import ModelService, register
from clusterbridge.funding.models import Deadline, Instrument

logger = logging.getLogger(__name__)
REMINDER_DAYS = 7
DIGEST_LISTED = 50  # instruments listed in one e-mail; the rest are behind the link


@dataclass
class RunReport:
    digests: int = 0
    digest_items: int = 0
    reminders: int = 0
    skipped: int = 0
    failed: int = 0


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL.rstrip("/") + url


# Saved searches and watches: their write doors ------------------------------------------------
class SavedSearchService(ModelService[SavedSearch]):
    """A saved search belongs to who saves it; its first digest is one period away (again
    whenever its frequency changes)."""

    model = SavedSearch

    def initialise(self, obj: SavedSearch, user) -> None:
        if user is not None and user.is_authenticated:
            obj.owner = user

    def prepare(self, obj: SavedSearch, user, changed: set[str], *, note: str = "", author=None):
        if obj.pk is None or "frequency" in changed:
            obj.schedule()


class WatchedCallService(ModelService[WatchedCall]):
    model = WatchedCall

    def initialise(self, obj: WatchedCall, user) -> None:
        if user is not None and user.is_authenticated:
            obj.owner = user

    def can_restore(self, obj: WatchedCall, user) -> bool:
        return user is None or obj.user_can_change(user)  # watching a call again


saved_searches = register(SavedSearchService())
watched_calls = register(WatchedCallService())
ALERT_FIELDS = ("name", "kind", "query", "country", "description", "frequency")


def save_alert(alert: SavedSearch, *, user, features=None, message: str = "") -> SavedSearch:
    """Create or change a saved search from an instance filled in memory."""
    values = {name: getattr(alert, name) for name in ALERT_FIELDS}
    if features is not None:
        values["features"] = list(features)
    if alert.pk is None:
        return saved_searches.create(user, values, message=message).obj
    return saved_searches.update(alert, user, values, message=message).obj


def delete_alert(alert: SavedSearch, *, user) -> None:
    saved_searches.delete(alert, user)


def watch(instrument: Instrument, *, user) -> WatchedCall:
    if not WatchedCall.user_can_create(user):
        raise PermissionDenied("Sign in to watch a call.")
    existing = WatchedCall.all_objects.filter(owner=user, instrument=instrument).first()
    if existing is None:
        return watched_calls.create(user, {"instrument": instrument}).obj
    if existing.is_deleted:
        watched_calls.restore(existing, user)
    return existing


def unwatch(watch: WatchedCall, *, user) -> None:
    watched_calls.delete(watch, user)


# Digests -------------------------------------------------------------------------------------
def _claim(alert: SavedSearch, now: datetime.datetime) -> bool:
    """Move the alert's next run forward iff no other run did: True when this run owns it."""
    following = alert.next_run_at + alert.period
    if following <= now:  # the command has not run for a while: no catching up
        following = now + alert.period
    claimed = SavedSearch.objects.filter(
        pk=alert.pk, next_run_at=alert.next_run_at, deleted_at__isnull=True
    ).update(next_run_at=following)
    return claimed == 1


def _release(alert: SavedSearch, claimed_for: datetime.datetime) -> None:
    # Sending failed: make the digest due again at the time it was due.
    following = (
        SavedSearch.objects.filter(pk=alert.pk).values_list("next_run_at", flat=True).first()
    )
    SavedSearch.objects.filter(pk=alert.pk, next_run_at=following).update(next_run_at=claimed_for)


def send_digest(alert: SavedSearch, now: datetime.datetime) -> int:
    """Send the alert's new matches (claimed beforehand); return how many were sent."""
    today = timezone.localdate(now)
    new = list(
        sources.matching_instruments(alert, on=today)
        .exclude(pk__in=SentItem.objects.filter(alert=alert).values("instrument_id"))
        # Results the owner dismissed as not relevant stay out of their digests.
        .exclude(pk__in=Dismissal.objects.filter(owner=alert.owner).values("instrument_id"))
        .order_by("final_deadline", "name", "pk")
        .select_related("country")
    )
    if not new or not can_receive_mail(alert.owner):
        return 0  # nothing is marked sent: the next digest after confirmation lists it
    with transaction.atomic():
        SentItem.objects.bulk_create(
            [SentItem(alert=alert, instrument=i, sent_at=now) for i in new]
        )
        listed = [
            (i, absolute(sources.instrument_url(i)), i.next_deadline(today))
            for i in new[:DIGEST_LISTED]
        ]
        context = {
            "alert": alert,
            "items": listed,
            "more": len(new) - len(listed),
            "owner": alert.owner,
            "alerts_url": absolute("/alerts/"),
            "search_url": _search_url(alert),
        }
        EmailMessage(
            subject=f"[ClusterBridge] {len(new)} new call(s) for “{alert.name}”",
            body=render_to_string("alerts/email/digest.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[alert.owner.email],
        ).send()
        SavedSearch.objects.filter(pk=alert.pk).update(last_sent_at=now)
    return len(new)


def _search_url(alert: SavedSearch) -> str:
    if alert.kind == alert.Kind.SEARCH:
        return absolute("/funding/" + (f"?{alert.query}" if alert.query else ""))
    return absolute(alert.get_absolute_url())


def send_due_digests(
    now: datetime.datetime | None = None, report: RunReport | None = None
) -> RunReport:
    now = now or timezone.now()
    report = report or RunReport()
    due = (
        SavedSearch.objects.filter(next_run_at__lte=now)
        .exclude(frequency="never")
        .select_related("owner")
    )
    for alert in due:
        claimed_for = alert.next_run_at
        if not _claim(alert, now):
            report.skipped += 1
            continue
        try:
            sent = send_digest(alert, now)
        except IntegrityError:
            report.skipped += 1  # another run recorded these items first
            continue
        except Exception:  # noqa: BLE001 — one failing mail must not stop the others
            logger.exception("Digest of alert %s failed", alert.pk)
            _release(alert, claimed_for)
            report.failed += 1
            continue
        if sent:
            report.digests += 1
            report.digest_items += sent
    return report


# Deadline reminders --------------------------------------------------------------------------
def due_reminders(today: datetime.date):
    """(watch, deadline) pairs due today: a deadline at most 7 days ahead, not yet reminded.

    A reminder goes out 7 days before; a call watched later, or a run that was missed, still
    gets one as long as the deadline has not passed."""
    window_end = today + datetime.timedelta(days=REMINDER_DAYS)
    deadlines = (
        Deadline.objects.filter(
            date__gte=today, date__lte=window_end, instrument__deleted_at__isnull=True
        )
        .select_related("instrument")
        .order_by("date")
    )
    by_instrument: dict[int, list[Deadline]] = {}
    for deadline in deadlines:
        by_instrument.setdefault(deadline.instrument_id, []).append(deadline)
    if not by_instrument:
        return []
    watches = WatchedCall.objects.filter(
        instrument_id__in=by_instrument, remind=True
    ).select_related("owner")
    sent = set(SentReminder.objects.filter(watch__in=watches).values_list("watch_id", "deadline"))
    return [
        (watch, deadline)
        for watch in watches
        for deadline in by_instrument[watch.instrument_id]
        if (watch.pk, deadline.date) not in sent
    ]


def send_reminder(watch: WatchedCall, deadline: Deadline, today: datetime.date) -> None:
    instrument = deadline.instrument
    with transaction.atomic():
        SentReminder.objects.create(watch=watch, deadline=deadline.date)
        days = (deadline.date - today).days
        context = {
            "watch": watch,
            "instrument": instrument,
            "deadline": deadline.date,
            "days": days,
            "url": absolute(sources.instrument_url(instrument)),
            "alerts_url": absolute("/alerts/"),
        }
        EmailMessage(
            subject=f"[ClusterBridge] Deadline in {days} day(s): {instrument.name}"[:200],
            body=render_to_string("alerts/email/reminder.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[watch.owner.email],
        ).send()


def send_due_reminders(
    today: datetime.date | None = None, report: RunReport | None = None
) -> RunReport:
    today = today or timezone.localdate()
    report = report or RunReport()
    for watch, deadline in due_reminders(today):
        if not can_receive_mail(watch.owner):
            continue
        try:
            send_reminder(watch, deadline, today)
        except IntegrityError:
            report.skipped += 1  # another run sent it
        except Exception:  # noqa: BLE001
            logger.exception("Reminder of watch %s failed", watch.pk)
            report.failed += 1
        else:
            report.reminders += 1
    return report


def send_alerts(now: datetime.datetime | None = None) -> RunReport:
    now = now or timezone.now()
    report = send_due_digests(now)
    return send_due_reminders(timezone.localdate(now), report)


# Shortlist and dismissed results ---------------------------------------------------------------
class OwnedService(ModelService):
    """Records private to their owner: the owner creates, changes, deletes and restores."""

    def initialise(self, obj, user) -> None:
        if user is not None and user.is_authenticated:
            obj.owner = user

    def can_restore(self, obj, user) -> bool:
        return user is None or obj.user_can_change(user)


class ShortlistService(OwnedService):
    model = ShortlistItem


class DismissalService(OwnedService):
    model = Dismissal


class ShareService(OwnedService):
    model = ShortlistShare


shortlist_items = register(ShortlistService())
dismissals = register(DismissalService())
shares = register(ShareService())


def _keep(service, model, instrument: Instrument, user):
    """Create the owner's record for the instrument, or bring back the one deleted."""
    if not model.user_can_create(user):
        raise PermissionDenied("Sign in first.")
    existing = model.all_objects.filter(owner=user, instrument=instrument).first()
    if existing is None:
        return service.create(user, {"instrument": instrument}).obj
    if existing.is_deleted:
        service.restore(existing, user)
    return existing


def shortlist(instrument: Instrument, *, user) -> ShortlistItem:
    return _keep(shortlist_items, ShortlistItem, instrument, user)


def unshortlist(item: ShortlistItem, *, user) -> None:
    shortlist_items.delete(item, user)


def set_note(item: ShortlistItem, note: str, *, user) -> ShortlistItem:
    return shortlist_items.update(item, user, {"note": note}).obj


def dismiss(instrument: Instrument, *, user) -> Dismissal:
    return _keep(dismissals, Dismissal, instrument, user)


def undismiss(dismissal: Dismissal, *, user) -> None:
    dismissals.delete(dismissal, user)


def dismissed_ids(user) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return set(Dismissal.objects.filter(owner=user).values_list("instrument_id", flat=True))


def share_shortlist(*, user) -> ShortlistShare:
    return shares.create(user, {}).obj


def revoke_share(share: ShortlistShare, *, user) -> None:
    shares.delete(share, user)
