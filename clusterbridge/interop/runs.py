"""Long imports in committed batches that resume.

A file of 60,000 portal topics written in one transaction held SQLite's write lock for
35 s: every other write — sign-ins included — failed with "database is locked". Here the
items of a file are written a batch per transaction (each a second or less), the run's
cursor advancing in the same transaction as the batch it covers. Another writer waits at
most one batch. If the run is interrupted (a crash, a restart), importing the same file
again resumes after the cursor; what was written stays written.

On SQLite the import also pauses briefly between batches. SQLite queues no one: a waiting
writer polls (at most every 100 ms), and an importer that starts its next batch at once
would take the lock again before the waiting writer wakes — measured, such writers kept
failing after 2 s. A pause longer than the polling interval lets every waiting writer in.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone

from clusterbridge.core.batches import chunked
from clusterbridge.interop.models import ImportRun

T = TypeVar("T")
BATCH_SIZE = 250
# A run whose last batch is older than this is taken for interrupted and may be resumed.
STALE_AFTER = datetime.timedelta(seconds=60)
# SQLite's busy handler polls at most every 100 ms: a longer gap lets a waiting writer in.
SQLITE_PAUSE = 0.15


CHANGED_MEANWHILE = (
    "changed by someone else while the import ran: import the file again to continue "
    "(what was imported before stays)"
)


class ImportInProgress(ValueError):
    """The same file is being imported right now."""


@dataclass
class RunOutcome:
    run: ImportRun
    resumed_from: int = 0  # the cursor the run started from (0: a fresh run)
    counts: dict[str, int] = field(default_factory=dict)  # totals, earlier parts included


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@transaction.atomic
def _start(kind: str, raw: bytes, *, user, file_name: str, total: int) -> ImportRun:
    """A new run, or the unfinished run of the same file to resume."""
    key = digest(raw)
    unfinished = (
        ImportRun.objects.select_for_update()
        .filter(kind=kind, digest=key)
        .exclude(status=ImportRun.Status.DONE)
        .first()
    )
    if unfinished is None:
        return ImportRun.objects.create(
            kind=kind,
            digest=key,
            file_name=file_name[:200],
            user=user if user is not None and user.is_authenticated else None,
            total=total,
        )
    if (
        unfinished.status == ImportRun.Status.RUNNING
        and timezone.now() - unfinished.updated_at < STALE_AFTER
    ):
        raise ImportInProgress(
            f"This file is being imported now ({unfinished.position:,} of "
            f"{unfinished.total:,} written). If that import was interrupted, run it again "
            "in a minute: it will continue where it stopped."
        )
    unfinished.status = ImportRun.Status.RUNNING
    unfinished.total = total
    unfinished.save(update_fields=["status", "total", "updated_at"])
    return unfinished


def run_in_batches(
    kind: str,
    raw: bytes,
    items: Sequence[T],
    write: Callable[[list[T]], dict[str, int]],
    *,
    user=None,
    file_name: str = "",
    batch_size: int = BATCH_SIZE,
) -> RunOutcome:
    """Write `items` (in file order) a batch per transaction with `write`, which returns
    counts to add up. `item.position` is the item's place in the file (record or row
    number); items at or before the cursor of an unfinished run of the same file were
    written already and are skipped.
    An error stops the run after the last committed batch (status "failed", resumable)."""
    run = _start(kind, raw, user=user, file_name=file_name, total=len(items))
    outcome = RunOutcome(run, resumed_from=run.position)
    counts: dict[str, Any] = dict(run.counts)
    pending = [item for item in items if item.position > run.position]
    pause = SQLITE_PAUSE if connection.vendor == "sqlite" else 0
    try:
        for number, batch in enumerate(chunked(pending, batch_size)):
            if number and pause:
                time.sleep(pause)  # between batches: let waiting writers in
            with transaction.atomic():
                for name, number in write(batch).items():
                    counts[name] = counts.get(name, 0) + number
                run.position = batch[-1].position
                run.batches += 1
                run.counts = counts
                run.save(update_fields=["position", "batches", "counts", "updated_at"])
    except Exception as error:
        run.status = ImportRun.Status.FAILED
        run.message = str(error)[:2000]
        run.save(update_fields=["status", "message", "updated_at"])
        raise
    run.status = ImportRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "updated_at"])
    outcome.counts = counts
    return outcome
