"""Business actions on funding records, called by the pages, the API and the commands alike."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from clusterbridge.core import history
from clusterbridge.core.history import Action
from clusterbridge.funding.models import Instrument, today

CURRENT_SOURCE_STATUSES = ("open", "forthcoming")
CLOSING_SOON_DAYS = 30
REVIEW_AFTER_DAYS = 365


@transaction.atomic
def mark_reviewed(instrument: Instrument, *, user) -> None:
    """An editor checked the record against its source today."""
    history.check_can_change(instrument, user)
    instrument.last_reviewed_at = timezone.now()
    history.save(instrument, user=user, message="Marked as reviewed")


def expire_calls(*, on: datetime.date | None = None, user=None) -> list[Instrument]:
    """Archive the instruments whose last deadline has passed; returns those archived now.

    Closed calls already leave the default search at query time; archiving records the
    fact in the history (action "expire") so editors can see when a call went. Each call is
    claimed with a conditional UPDATE, so two runs (even concurrent) never archive twice.
    """
    on = on or today()
    archived = []
    candidates = Instrument.objects.closed(on).filter(archived_at__isnull=True).order_by("pk")
    for instrument in candidates.iterator():
        with transaction.atomic():
            before = history.snapshot(instrument)
            now = timezone.now()
            claimed = Instrument.objects.filter(pk=instrument.pk, archived_at__isnull=True).update(
                archived_at=now
            )
            if not claimed:
                continue
            instrument.archived_at = now
            history.record(
                instrument,
                Action.EXPIRE,
                user=user,
                before=before,
                after=history.snapshot(instrument),
                message=f"Last deadline {instrument.final_deadline} passed.",
            )
            archived.append(instrument)
    return archived


@dataclass
class MaintenanceReport:
    closing_soon: list
    closed_but_current: list
    not_reviewed: list
    without_features: list


def maintenance_report(*, on: datetime.date | None = None, limit: int = 200) -> MaintenanceReport:
    """What editors should look at (§4.1: "maintenance of the tools is very critical")."""
    on = on or today()
    real = Instrument.objects.real().select_related("country")
    soon = (
        real.open(on)
        .filter(
            deadline_rows__date__gte=on,
            deadline_rows__date__lte=on + datetime.timedelta(CLOSING_SOON_DAYS),
        )
        .distinct()
        .order_by("final_deadline", "name")
    )
    source_current = Q()
    for word in CURRENT_SOURCE_STATUSES:
        source_current |= Q(source_status__iexact=word)
    stale_before = timezone.now() - datetime.timedelta(days=REVIEW_AFTER_DAYS)
    not_reviewed = (
        real.filter(kind=Instrument.Kind.PROGRAMME)
        .annotate(reviewed=Coalesce(F("last_reviewed_at"), F("created_at")))
        .filter(reviewed__lt=stale_before)
        .order_by("reviewed", "name")
    )
    without = (
        real.annotate(feature_count=Count("features")).filter(feature_count=0).order_by("name")
    )
    return MaintenanceReport(
        closing_soon=list(soon[:limit]),
        closed_but_current=list(real.closed(on).filter(source_current).order_by("name")[:limit]),
        not_reviewed=list(not_reviewed[:limit]),
        without_features=list(without[:limit]),
    )
