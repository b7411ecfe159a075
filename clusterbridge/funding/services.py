"""The write doors of funding records (instruments, strategic documents) and the business
actions on them, called by the pages, the API, the importers and the commands alike."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from clusterbridge.core.services import Action, ModelService, Plan, WriteResult, register
from clusterbridge.funding.models import Deadline, Instrument, StrategicDocument, today

CURRENT_SOURCE_STATUSES = ("open", "forthcoming")
CLOSING_SOON_DAYS = 30
REVIEW_AFTER_DAYS = 365


class InstrumentService(ModelService[Instrument]):
    model = Instrument

    def after_bulk_write(self, plans: Sequence[Plan[Instrument]]) -> None:
        """Deadline rows mirror `deadline_dates` (Instrument.save does it one by one)."""
        moved = [p.obj for p in plans if p.is_new or "deadline_dates" in p.columns]
        changed = [p.obj.pk for p in plans if not p.is_new and "deadline_dates" in p.columns]
        for start in range(0, len(changed), 900):
            Deadline.objects.filter(instrument_id__in=changed[start : start + 900]).delete()
        Deadline.objects.bulk_create(
            [Deadline(instrument=obj, date=d) for obj in moved for d in obj.deadlines],
            batch_size=2000,
        )


class StrategicDocumentService(ModelService[StrategicDocument]):
    model = StrategicDocument


instruments = register(InstrumentService())
strategic_documents = register(StrategicDocumentService())


def mark_reviewed(instrument: Instrument, *, user) -> WriteResult[Instrument]:
    """An editor checked the record against its source today."""
    return instruments.update(
        instrument, user, {"last_reviewed_at": timezone.now()}, message="Marked as reviewed"
    )


def expire_calls(*, on: datetime.date | None = None, user=None) -> list[Instrument]:
    """Archive the instruments whose last deadline has passed; returns those archived now.

    Closed calls already leave the default search at query time; archiving records the
    fact in the history (action "expire") so editors can see when a call went. Each call is
    claimed under lock only while it is still unarchived, so two runs (even concurrent)
    never archive twice."""
    on = on or today()
    archived = []
    candidates = Instrument.objects.closed(on).filter(archived_at__isnull=True).order_by("pk")
    for pk in candidates.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            claimed = (
                Instrument.objects.select_for_update()
                .filter(pk=pk, archived_at__isnull=True)
                .first()
            )
            if claimed is None:
                continue
            result = instruments.apply(
                claimed,
                user,
                {"archived_at": timezone.now()},
                action=Action.EXPIRE,
                message=f"Last deadline {claimed.final_deadline} passed.",
            )
            archived.append(result.obj)
    return archived


@dataclass
class MaintenanceReport:
    closing_soon: list
    closed_but_current: list
    not_reviewed: list
    without_features: list
    never_reviewed: list
    never_reviewed_count: int = 0
    status_unknown: list = None
    status_unknown_count: int = 0


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
    never = real.filter(last_reviewed_at__isnull=True).order_by("created_at", "name", "pk")
    unknown = real.unknown(on).order_by("name", "pk")
    return MaintenanceReport(
        closing_soon=list(soon[:limit]),
        closed_but_current=list(real.closed(on).filter(source_current).order_by("name")[:limit]),
        not_reviewed=list(not_reviewed[:limit]),
        without_features=list(without[:limit]),
        never_reviewed=list(never[:limit]),
        never_reviewed_count=never.count(),
        status_unknown=list(unknown[:limit]),
        status_unknown_count=unknown.count(),
    )
