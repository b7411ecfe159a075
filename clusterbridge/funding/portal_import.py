"""Importing calls from an EU Funding & Tenders Portal file into funding instruments.

The file is read by interop's parser (`interop.portal`), then written through the
instruments' service in committed batches (`interop.runs`): each batch reads its existing
instruments by identifier, plans every topic (only the fields the file's format provides,
checked by the model's validation), and writes the new and changed ones with a handful of
queries — history entries and deadline rows included. An editor's features, notes, review
date and other additions survive every re-import. A topic whose values the model refuses
(e.g. a deadline in year 9999) is reported with its position and left out, like a
malformed record.

Registered with interop as the "calls" file import (funding/apps.py), so interop's pages,
API and command run it without importing this app.
"""

import decimal
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower

from clusterbridge.core.services import Action, BulkConflict, Plan
from clusterbridge.funding.models import Instrument, identifier_key, today
from clusterbridge.funding.services import instruments
from clusterbridge.interop import portal, portal_api, runs
from clusterbridge.interop.portal import ImportReport

LOOKUP_CHUNK = 900  # stays under SQLite's bound-parameter limit on any build
PROVENANCE_SOURCE = portal.PORTAL_NAME
TEXT_FIELDS = ("name", "target_scope", "description")

Progress = Callable[[Iterable, int], Iterable]


def _existing(identifiers: list[str]) -> dict[str, Instrument]:
    """Existing instruments by the key of their identifier, so that a variant spelling
    (`IA-HORIZON-CL3-2023-CS-01-01` for the portal's `HORIZON-CL3-2023-CS-01-01`) finds the
    record instead of creating a second one."""
    keys = sorted({identifier_key(i) for i in identifiers})
    found: dict[str, Instrument] = {}
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        for obj in Instrument.all_objects.filter(identifier_key__in=chunk).order_by("pk"):
            found.setdefault(obj.identifier_key, obj)
    return found


def _same_names(names: list[str]) -> dict[str, Instrument]:
    """Existing real instruments by their lower-cased name (one query per chunk)."""
    found: dict[str, Instrument] = {}
    wanted = sorted({n.strip().lower() for n in names if n})
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        rows = (
            Instrument.objects.real()
            .annotate(lower_name=Lower("name"))
            .filter(lower_name__in=chunk)
            .order_by("pk")
        )
        for obj in rows:
            found.setdefault(obj.lower_name, obj)
    return found


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    amount = values.get("budget_amount")
    if amount is not None:
        values["budget_amount"] = decimal.Decimal(amount).quantize(decimal.Decimal("0.01"))
    return values


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _plan_topics(
    topics: list[portal.PortalTopic], fields: tuple[str, ...], report: ImportReport, *, user
) -> list[Plan[Instrument]]:
    """What the batch changes: validated plans; unchanged, deleted and refused topics are
    counted in the report instead."""
    existing = _existing([t.identifier for t in topics])
    plans = []
    for topic in topics:
        values = _normalise({k: v for k, v in topic.values.items() if k in fields})
        obj = existing.get(identifier_key(topic.identifier))
        if obj is not None and obj.identifier != topic.identifier:
            # The same call under another spelling: the record keeps its identifier.
            report.identifier_variants.append((topic.identifier, obj.identifier))
            values.pop("identifier", None)
        if obj is not None and obj.deleted_at is not None:
            report.skipped_reasons["deleted on this site (restore it to update it)"] += 1
            continue
        if obj is None:
            document = report.file_name or PROVENANCE_SOURCE
            obj = Instrument(provenance=[{"document": document, "source": PROVENANCE_SOURCE}])
        try:
            plan = instruments.plan(
                obj, user, values, position=topic.position, validate_unique=False
            )
        except (ValidationError, PermissionDenied) as error:
            message = _messages(error) if isinstance(error, ValidationError) else str(error)
            report.errors.append(portal.RecordProblem(topic.position, topic.identifier, message))
            continue
        if plan is None:
            report.unchanged += 1
            continue
        deadline = plan.obj.final_deadline
        if plan.obj.archived_at and deadline and deadline >= today():
            # The deadline was extended: the call is live again.
            plan.obj.archived_at = None
            plan.columns = sorted({*plan.columns, "archived_at"})
        plans.append(plan)
    return plans


PREVIEW_LIMIT = 500  # new records listed one by one in a report


def _count(plans: list[Plan[Instrument]], report: ImportReport) -> None:
    new = [plan.obj for plan in plans if plan.is_new]
    same_name = _same_names([obj.name for obj in new]) if new else {}
    on = today()
    for obj in new:
        twin = same_name.get(obj.name.strip().lower())
        if twin is not None:
            report.probable_duplicates.append(
                {
                    "identifier": obj.identifier,
                    "name": obj.name,
                    "existing": twin.identifier or "",
                    "existing_id": twin.pk,
                    "reason": "same name as an existing record with another identifier",
                }
            )
        if len(report.new_records) < PREVIEW_LIMIT:
            report.new_records.append(
                {
                    "identifier": obj.identifier,
                    "name": obj.name,
                    "status": obj.status_on(on),
                    "deadline": obj.next_deadline(on) or obj.final_deadline,
                }
            )
    for plan in plans:
        if plan.is_new:
            report.created += 1
            report.created_identifiers.append(plan.obj.identifier)
        else:
            report.updated += 1
            report.updated_identifiers.append(plan.obj.identifier)


def _text_changed(plan: Plan[Instrument]) -> bool:
    return plan.is_new or any(name in plan.columns for name in TEXT_FIELDS)


def _suggest(instruments_written: list[Instrument]) -> None:
    """Suggested features for new records and records whose text changed (when the
    suggestions app is installed), in a few queries for the whole batch."""
    from django.apps import apps

    if not apps.is_installed("clusterbridge.suggestions") or not instruments_written:
        return
    from clusterbridge.suggestions.services import suggest_for_many

    suggest_for_many(instruments_written, user=None)


def import_calls(
    raw: bytes,
    *,
    user=None,
    dry_run: bool = False,
    filename: str = "",
    progress: Progress | None = None,
    batch_size: int = runs.BATCH_SIZE,
) -> ImportReport:
    """Import (or with dry_run, only assess) a portal file. Raises portal.PortalFileError
    when the file as a whole cannot be read; unreadable records are reported and left out."""
    parsed = portal.parse(raw)
    report = ImportReport(
        format=parsed.format,
        dry_run=dry_run,
        records=parsed.records,
        errors=list(parsed.errors),
        skipped_reasons=Counter(parsed.skipped),
        file_name=filename,
    )
    fields = parsed.fields
    topics = parsed.topics
    if dry_run:
        for batch_start in range(0, len(topics), batch_size):
            plans = _plan_topics(
                topics[batch_start : batch_start + batch_size], fields, report, user=user
            )
            _count(plans, report)
        report.skipped = sum(report.skipped_reasons.values())
        return report

    message = f"Imported from the {PROVENANCE_SOURCE}" + (f" ({filename})" if filename else "")
    shown = progress(topics, len(topics)) if progress is not None else None
    shown_iterator = iter(shown) if shown is not None else None

    def write(batch: list[portal.PortalTopic]) -> dict[str, int]:
        before = (report.created, report.updated, report.unchanged, len(report.errors))
        plans = _plan_topics(batch, fields, report, user=user)
        _count(plans, report)
        instruments.bulk_write(plans, user=user, action=Action.IMPORT, message=message)
        _suggest([p.obj for p in plans if _text_changed(p)])
        if shown_iterator is not None:
            for _ in batch:
                next(shown_iterator, None)
        created, updated, unchanged, errors = before
        return {
            "created": report.created - created,
            "updated": report.updated - updated,
            "unchanged": report.unchanged - unchanged,
            "errors": len(report.errors) - errors,
        }

    try:
        outcome = runs.run_in_batches(
            "calls", raw, topics, write, user=user, file_name=filename, batch_size=batch_size
        )
    except BulkConflict as conflict:
        report.errors += [
            portal.RecordProblem(p.position, p.obj.identifier or "", runs.CHANGED_MEANWHILE)
            for p in conflict.plans
        ]
        report.skipped = sum(report.skipped_reasons.values())
        return report
    report.resumed_from = outcome.resumed_from
    report.batches = outcome.run.batches
    if outcome.resumed_from:
        # The interrupted part's writes count too: the totals are the whole file's.
        for name in ("created", "updated", "unchanged"):
            setattr(report, name, outcome.counts.get(name, 0))
    report.skipped = sum(report.skipped_reasons.values())
    return report


SYNC_DOCUMENT = "EU Funding & Tenders Portal Search API"


def sync_calls(
    base_url: str = portal_api.DEFAULT_BASE_URL,
    *,
    user=None,
    dry_run: bool = False,
    page_size: int = portal_api.PAGE_SIZE,
    timeout: float = portal_api.TIMEOUT,
    retries: int = portal_api.RETRIES,
    backoff: float = portal_api.BACKOFF,
    sleep=None,
    on_page=None,
    progress: Progress | None = None,
    batch_size: int = runs.BATCH_SIZE,
) -> tuple[ImportReport, portal_api.Fetched]:
    """Read every page of open and forthcoming calls from the portal's Search API, then
    import them exactly as `import_calls` imports a saved Search API file (same mapping,
    update in place, editors' fields kept). Raises portal_api.PortalSyncError, having
    written nothing, when the portal cannot be read completely."""
    fetched = portal_api.fetch_all(
        base_url,
        page_size=page_size,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        sleep=sleep or time.sleep,
        on_page=on_page,
    )
    raw = json.dumps(fetched.pages, sort_keys=True, ensure_ascii=False).encode("utf-8")
    report = import_calls(
        raw,
        user=user,
        dry_run=dry_run,
        filename=SYNC_DOCUMENT,
        progress=progress,
        batch_size=batch_size,
    )
    return report, fetched
