"""Long imports are written in committed batches that resume: other writers go on during an
import (on the embedded SQLite database too), and an interrupted import continues where it
stopped when run again."""

import datetime
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from clusterbridge.core.models import ObjectChange
from clusterbridge.funding import portal_import
from clusterbridge.funding.models import Instrument
from clusterbridge.funding.services import instruments
from clusterbridge.interop import runs
from clusterbridge.interop.models import ImportRun
from clusterbridge.interop.sheet_import import import_sheet

ROOT = Path(__file__).resolve().parents[2]
DAY_MS = 86_400_000
OPENING_MS = 1_767_222_000_000  # 2025-12-31T23:00:00Z, 1 January 2026 in Brussels


def portal_file(count: int, prefix: str = "LONG") -> bytes:
    """A bulk portal file (grantsTenders.json) of `count` grant topics."""
    topics = [
        {
            "type": 1,
            "identifier": f"{prefix}-2026-{number:05d}",
            "title": f"Long import topic {number} on cybersecurity and robotics",
            "callIdentifier": f"{prefix}-2026",
            "status": {"id": 31094502, "abbreviation": "Open", "description": "Open"},
            "frameworkProgramme": {"id": 43108390, "description": "Horizon Europe (HORIZON)"},
            "plannedOpeningDateLong": OPENING_MS,
            "deadlineDatesLong": [OPENING_MS + (30 + number % 300) * DAY_MS],
            "keywords": ["cybersecurity", "robotics"],
        }
        for number in range(count)
    ]
    return json.dumps({"fundingData": {"GrantTenderObj": topics}}).encode()


# In-process: interruption and resume -----------------------------------------------------------
class Crash(RuntimeError):
    pass


@pytest.fixture
def crash_after(monkeypatch):
    """crash_after(n): the n+1-th batch write fails, as if the process died there."""

    def arm(batches: int) -> None:
        original = instruments.bulk_write
        calls = {"n": 0}

        def flaky(plans, **kwargs):
            calls["n"] += 1
            if calls["n"] > batches:
                raise Crash("interrupted")
            return original(plans, **kwargs)

        monkeypatch.setattr(instruments, "bulk_write", flaky)

    return arm


@pytest.mark.django_db
def test_an_interrupted_portal_import_resumes_where_it_stopped(crash_after, monkeypatch):
    raw = portal_file(23)
    crash_after(2)
    with pytest.raises(Crash):
        portal_import.import_calls(raw, filename="long.json", batch_size=5)
    run = ImportRun.objects.get(kind="calls")
    assert run.status == ImportRun.Status.FAILED and run.position == 10 and run.batches == 2
    assert Instrument.objects.filter(identifier__startswith="LONG-").count() == 10

    monkeypatch.undo()
    report = portal_import.import_calls(raw, filename="long.json", batch_size=5)
    assert report.resumed_from == 10 and "resumed after record 10" in report.summary()
    assert report.created == 23  # the whole file's count, the interrupted part included
    assert Instrument.objects.filter(identifier__startswith="LONG-").count() == 23
    imported = ObjectChange.objects.filter(action="import", object_repr__startswith="Long import")
    assert imported.count() == 23  # one history entry per topic, none written twice
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.position == 23 and run.batches == 5

    again = portal_import.import_calls(raw, filename="long.json", batch_size=5)
    assert again.resumed_from == 0 and again.unchanged == 23 and again.created == 0


@pytest.mark.django_db
def test_a_file_being_imported_is_not_imported_twice_at_once():
    raw = portal_file(3)
    ImportRun.objects.create(kind="calls", digest=runs.digest(raw), total=3, position=1)
    with pytest.raises(runs.ImportInProgress, match="being imported now"):
        portal_import.import_calls(raw)
    # A run silent for longer than a batch could take was interrupted: it resumes.
    ImportRun.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=5))
    report = portal_import.import_calls(raw)
    assert report.resumed_from == 1


@pytest.mark.django_db
def test_an_interrupted_spreadsheet_import_resumes(users, monkeypatch):
    rows = ["name,origin,source"] + [f"Sheet call {n},international,Fund {n}" for n in range(12)]
    raw = "\n".join(rows).encode()
    original = instruments.bulk_write
    calls = {"n": 0}

    def flaky(plans, **kwargs):
        calls["n"] += 1
        if calls["n"] > 1:
            raise Crash("interrupted")
        return original(plans, **kwargs)

    monkeypatch.setattr(instruments, "bulk_write", flaky)
    with pytest.raises(Crash):
        import_sheet("instruments", raw, user=users["editor"], batch_size=5)
    assert Instrument.objects.filter(name__startswith="Sheet call").count() == 5
    monkeypatch.undo()
    report = import_sheet("instruments", raw, user=users["editor"], batch_size=5)
    assert report.ok and report.resumed_from == 6  # rows 2–6 were written
    assert Instrument.objects.filter(name__startswith="Sheet call").count() == 12


# Out of process: a real SQLite file, a real second connection, a real kill ---------------------
@pytest.fixture(scope="module")
def embedded_site(tmp_path_factory):
    """A migrated embedded installation (SQLite file in WAL mode) in a fresh var folder. It
    runs in the SQLite half of the suite only: the PostgreSQL half would test it again."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the embedded SQLite installation is tested in the SQLite run")
    var = tmp_path_factory.mktemp("embedded")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TEST_"))}
    env.update(CLUSTERBRIDGE_VAR_DIR=str(var), PYTHONPATH=str(ROOT), DEBUG="false")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "clusterbridge", "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    return var, env


def _import(var: Path, env: dict, raw: bytes, name: str, *extra: str) -> subprocess.Popen:
    path = var / name
    path.write_bytes(raw)
    command = [sys.executable, "-m", "clusterbridge", "import_calls", str(path), "-v", "0"]
    return subprocess.Popen(
        [*command, *extra],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _sql(var: Path, query: str, *params, timeout: float = 5.0):
    """One statement in its own write transaction, begun as the app begins them (IMMEDIATE),
    waiting at most `timeout` seconds for the lock (the app waits 20)."""
    connection = sqlite3.connect(
        var / "clusterbridge.sqlite3", timeout=timeout, isolation_level=None
    )
    try:
        connection.execute("BEGIN IMMEDIATE")
        rows = connection.execute(query, params).fetchall()
        connection.execute("COMMIT")
        return rows
    finally:
        connection.close()


def test_other_writes_go_on_during_a_long_import_on_sqlite(embedded_site):
    """A sign-in writes a session row; each such write must get the lock within 5 s (the
    app waits 20 s) while 6,000 topics are imported with the default batches — one
    transaction of them holds the lock for about 10 s on a busy machine."""
    var, env = embedded_site
    process = _import(var, env, portal_file(6000, "LOCK"), "lock.json")
    written, refused, longest = 0, [], 0.0
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            _sql(
                var,
                "INSERT INTO django_session (session_key, session_data, expire_date) "
                "VALUES (?, ?, ?)",
                f"concurrent-{written}-{len(refused)}",
                "signed in",
                "2100-01-01 00:00:00",
            )
            written += 1
        except sqlite3.OperationalError as error:
            refused.append(str(error))
        longest = max(longest, time.monotonic() - started)
        time.sleep(0.05)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "6000 created" in out
    assert refused == [], f"{len(refused)} writes refused, e.g. {refused[:1]}"
    assert written >= 10, "the import ended before the concurrent writes could overlap it"
    batches, status = _sql(var, "SELECT batches, status FROM interop_importrun")[0]
    assert batches == 24 and status == "done"
    print(f"{written} concurrent writes, longest wait {longest:.2f} s")


def test_a_killed_import_resumes_when_run_again(embedded_site):
    var, env = embedded_site
    raw = portal_file(2000, "KILL")
    process = _import(var, env, raw, "kill.json", "--batch-size", "100")
    deadline = time.monotonic() + 120
    position = 0
    while time.monotonic() < deadline and process.poll() is None:
        rows = _sql(
            var,
            "SELECT position FROM interop_importrun WHERE kind='calls' "
            "AND status='running' ORDER BY id DESC LIMIT 1",
        )
        position = rows[0][0] if rows else 0
        if position >= 500:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    written = _sql(var, "SELECT count(*) FROM funding_instrument WHERE identifier LIKE 'KILL-%'")
    cursor = _sql(var, "SELECT position FROM interop_importrun ORDER BY id DESC LIMIT 1")[0][0]
    assert 0 < written[0][0] == cursor < 2000  # what is written is exactly what the cursor says

    # The killed run is still "running"; once it has been silent long enough, it resumes.
    _sql(var, "UPDATE interop_importrun SET updated_at = '2000-01-01 00:00:00'")
    again = _import(var, env, raw, "kill.json", "--batch-size", "100")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"resumed after record {cursor}" in out and "2000 created" in out
    total = _sql(var, "SELECT count(*) FROM funding_instrument WHERE identifier LIKE 'KILL-%'")
    assert total[0][0] == 2000
    entries = _sql(
        var,
        "SELECT count(*) FROM core_objectchange WHERE action='import' "
        "AND object_repr LIKE 'Long import topic%' AND message LIKE '%kill.json%'",
    )
    assert entries[0][0] == 2000


@pytest.mark.django_db
def test_a_record_changed_during_the_import_is_not_overwritten(users, monkeypatch):
    """Rows are checked first and written later: a record someone edits in between keeps
    that person's edit, and the import stops saying so."""
    from clusterbridge.core import history

    call = Instrument(name="Contested call", origin="international", notes="old")
    history.save(call, user=users["editor"])
    original = runs.run_in_batches

    def edit_meanwhile(*args, **kwargs):  # after the rows were checked, before writing
        call.notes = "edited meanwhile"
        history.save(call, user=users["admin"])
        return original(*args, **kwargs)

    monkeypatch.setattr(runs, "run_in_batches", edit_meanwhile)
    report = import_sheet(
        "instruments", b"name,notes\nContested call,from the sheet\n", user=users["editor"]
    )
    assert not report.ok and runs.CHANGED_MEANWHILE in report.errors[0].message
    assert "import the file again" in report.summary()
    call.refresh_from_db()
    assert call.notes == "edited meanwhile"
