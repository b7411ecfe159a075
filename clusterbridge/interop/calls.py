"""Importing calls from an EU Funding & Tenders Portal file, in bulk.

Thousands of topics are written with a handful of queries: existing instruments are read in
chunks by identifier, compared with the file in memory, new ones are bulk-created (with their
deadline rows and history entries) and changed ones bulk-updated. Only the fields the file's
format provides are written (portal.PORTAL_FIELDS / BULK_FIELDS), so an editor's features,
notes, review date and other additions survive every re-import.
"""

import decimal
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.core.request_context import current_request_id
from clusterbridge.funding.models import Deadline, Instrument, today
from clusterbridge.interop import portal
from clusterbridge.taxonomy.models import Feature

BATCH = 500
LOOKUP_CHUNK = 900  # stays under SQLite's bound-parameter limit on any build
PROVENANCE_SOURCE = "EU Funding & Tenders Portal"

Progress = Callable[[Iterable, int], Iterable]


@dataclass
class CallImportReport:
    format: str
    dry_run: bool
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_reasons: Counter = field(default_factory=Counter)
    errors: list[portal.RecordProblem] = field(default_factory=list)
    created_identifiers: list[str] = field(default_factory=list)
    updated_identifiers: list[str] = field(default_factory=list)

    @property
    def format_label(self) -> str:
        return {"search": "Search API results", "bulk": "bulk file (grantsTenders.json)"}[
            self.format
        ]

    @property
    def skipped_list(self) -> list[tuple[str, int]]:
        return sorted(self.skipped_reasons.items())

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": len(self.errors),
        }

    def summary(self) -> str:
        counts = ", ".join(
            f"{value} {'error' if name == 'errors' and value == 1 else name}"
            for name, value in self.counts().items()
        )
        prefix = "Dry run, nothing written: " if self.dry_run else ""
        return f"{prefix}{self.records} records in the {self.format_label}: {counts}."


def concrete_snapshot(obj) -> dict[str, Any]:
    """The record's own columns as the history writes them. Many-to-many values are left out
    on purpose: the portal import never changes them, and reading them would cost one query
    per record."""
    return history.snapshot(obj, with_m2m=False)


# Suggestions ------------------------------------------------------------------------------------
def suggestion_text(obj: Instrument) -> str:
    return "\n".join(p for p in (obj.name, obj.target_scope, obj.description) if p)


def _suggestions_app():
    """(engine, FeatureSuggestion), imported late: suggestions depends on funding's models."""
    engine = import_module("clusterbridge.suggestions.engine")
    return engine, import_module("clusterbridge.suggestions.models").FeatureSuggestion


def suggest_features(instruments: Iterable[Instrument], *, user=None) -> int:
    """Store suggested features for editors to confirm; returns how many were stored.

    Does what `suggestions.services.suggest_for` does for one record — the engine's
    suggestions minus the features the record has or was already suggested, each written
    with a history entry — for a whole batch in a few queries, since an import can bring
    thousands of calls.
    """
    app = _suggestions_app()
    objs = [o for o in instruments if o.pk is not None]
    if not objs:
        return 0
    engine, FeatureSuggestion = app  # noqa: N806
    content_type = ContentType.objects.get_for_model(Instrument)
    features = {f.code: f for f in Feature.objects.all()}
    assigned: set[tuple[str, int]] = set()
    known: set[tuple[str, int]] = set()
    for start in range(0, len(objs), LOOKUP_CHUNK):
        chunk = objs[start : start + LOOKUP_CHUNK]
        assigned.update(
            (str(i), f)
            for i, f in Instrument.features.through.objects.filter(
                instrument_id__in=[o.pk for o in chunk]
            ).values_list("instrument_id", "feature_id")
        )
        known.update(
            FeatureSuggestion.all_objects.filter(
                content_type=content_type,
                object_id__in=[str(o.pk) for o in chunk],
            ).values_list("object_id", "feature_id")
        )
    new = []
    for obj in objs:
        for found in engine.suggest(suggestion_text(obj)):
            feature = features.get(found.code)
            key = (str(obj.pk), feature.pk if feature else None)
            if feature is None or key in assigned or key in known:
                continue
            known.add(key)
            new.append(
                FeatureSuggestion(
                    content_type=content_type,
                    object_id=str(obj.pk),
                    feature=feature,
                    score=found.score,
                    evidence=found.evidence,
                )
            )
    FeatureSuggestion.objects.bulk_create(new, batch_size=BATCH)
    suggestion_type = ContentType.objects.get_for_model(FeatureSuggestion)
    request_id = current_request_id()
    ObjectChange.objects.bulk_create(
        [
            _change(
                s,
                ObjectChange.Action.CREATE,
                None,
                concrete_snapshot(s),
                user=user,
                request_id=request_id,
                content_type=suggestion_type,
                message="Suggested from the description",
            )
            for s in new
        ],
        batch_size=BATCH,
    )
    return len(new)


# The import ----------------------------------------------------------------------------------
def _existing(identifiers: list[str]) -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    for start in range(0, len(identifiers), LOOKUP_CHUNK):
        chunk = identifiers[start : start + LOOKUP_CHUNK]
        for obj in Instrument.all_objects.filter(identifier__in=chunk):
            found[obj.identifier] = obj
    return found


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    amount = values.get("budget_amount")
    if amount is not None:
        values["budget_amount"] = decimal.Decimal(amount).quantize(decimal.Decimal("0.01"))
    return values


def _change(
    obj: Instrument, action: str, before, after, *, user, request_id, content_type, message: str
) -> ObjectChange:
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return ObjectChange(
        user=user if authenticated else None,
        user_name=user.get_username() if authenticated else "",
        request_id=request_id,
        action=action,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        message=message,
    )


def import_calls(
    raw: bytes,
    *,
    user=None,
    dry_run: bool = False,
    filename: str = "",
    progress: Progress | None = None,
) -> CallImportReport:
    """Import (or with dry_run, only assess) a portal file. Raises portal.PortalFileError
    when the file as a whole cannot be read; unreadable records are reported and left out."""
    parsed = portal.parse(raw)
    report = CallImportReport(
        format=parsed.format,
        dry_run=dry_run,
        records=parsed.records,
        errors=list(parsed.errors),
        skipped_reasons=Counter(parsed.skipped),
    )
    fields = parsed.fields
    existing = _existing([t.identifier for t in parsed.topics])
    now = timezone.now()
    to_create: list[Instrument] = []
    to_update: list[tuple[Instrument, dict, bool]] = []  # (obj, before, deadlines changed)
    topics: Iterable = parsed.topics
    if progress is not None:
        topics = progress(parsed.topics, len(parsed.topics))
    for topic in topics:
        values = _normalise({k: v for k, v in topic.values.items() if k in fields})
        obj = existing.get(topic.identifier)
        if obj is None:
            obj = Instrument(**values)
            obj.provenance = [
                {"document": filename or PROVENANCE_SOURCE, "source": PROVENANCE_SOURCE}
            ]
            obj.prepare_for_save()
            to_create.append(obj)
            continue
        if obj.deleted_at is not None:
            report.skipped_reasons["deleted on this site (restore it to update it)"] += 1
            continue
        before = concrete_snapshot(obj)
        old_deadlines = list(obj.deadline_dates)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.prepare_for_save()
        if obj.archived_at and obj.final_deadline and obj.final_deadline >= today():
            obj.archived_at = None  # the deadline was extended: the call is live again
        if concrete_snapshot(obj) == before:
            report.unchanged += 1
            continue
        to_update.append((obj, before, obj.deadline_dates != old_deadlines))
    report.created = len(to_create)
    report.updated = len(to_update)
    report.skipped = sum(report.skipped_reasons.values())
    report.created_identifiers = [o.identifier for o in to_create]
    report.updated_identifiers = [o.identifier for o, _, _ in to_update]
    if dry_run or not (to_create or to_update):
        return report
    _write(
        to_create,
        to_update,
        fields,
        user=user,
        now=now,
        message=f"Imported from the {PROVENANCE_SOURCE}" + (f" ({filename})" if filename else ""),
    )
    return report


@transaction.atomic
def _write(
    to_create: list[Instrument],
    to_update: list[tuple[Instrument, dict, bool]],
    fields: tuple[str, ...],
    *,
    user,
    now,
    message: str,
) -> None:
    content_type = ContentType.objects.get_for_model(Instrument)
    request_id = current_request_id()
    changes: list[ObjectChange] = []
    deadlines: list[Deadline] = []

    Instrument.objects.bulk_create(to_create, batch_size=BATCH)
    for obj in to_create:
        after = concrete_snapshot(obj)
        after["features"] = []
        changes.append(
            _change(
                obj,
                ObjectChange.Action.IMPORT,
                None,
                after,
                user=user,
                request_id=request_id,
                content_type=content_type,
                message=message,
            )
        )
        deadlines.extend(Deadline(instrument=obj, date=d) for d in obj.deadlines)

    if to_update:
        for obj, _, _ in to_update:
            obj.updated_at = now
        columns = sorted(
            set(fields) | {"final_deadline", "search_text", "updated_at", "archived_at"}
        )
        Instrument.all_objects.bulk_update([o for o, _, _ in to_update], columns, batch_size=BATCH)
        moved = [o for o, _, changed in to_update if changed]
        for start in range(0, len(moved), BATCH):
            Deadline.objects.filter(instrument__in=moved[start : start + BATCH]).delete()
        for obj in moved:
            deadlines.extend(Deadline(instrument=obj, date=d) for d in obj.deadlines)
        for obj, before, _ in to_update:
            changes.append(
                _change(
                    obj,
                    ObjectChange.Action.IMPORT,
                    before,
                    concrete_snapshot(obj),
                    user=user,
                    request_id=request_id,
                    content_type=content_type,
                    message=message,
                )
            )

    Deadline.objects.bulk_create(deadlines, batch_size=BATCH * 4)
    ObjectChange.objects.bulk_create(changes, batch_size=BATCH)
    suggest_features([*to_create, *(o for o, before, _ in to_update if _text_changed(before, o))])


def _text_changed(before: dict, obj: Instrument) -> bool:
    return any(
        before.get(name) != getattr(obj, name) for name in ("name", "target_scope", "description")
    )
