"""Benchmark: import 10,000 portal topics (bulk grantsTenders.json format) into a fresh
database, then re-import the same file and a newer one; print time and peak memory.

SQLite in a temporary folder by default; PostgreSQL (a fresh test database on that server,
dropped afterwards) when BENCH_DATABASE_URL is set. Targets: first import < 60 s, re-import
< 30 s, peak memory < 500 MB.
"""

import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

TOPICS = int(os.environ.get("BENCH_TOPICS", "10000"))
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

workdir = tempfile.mkdtemp(prefix="cb-bench-import-")
os.environ["CLUSTERBRIDGE_VAR_DIR"] = workdir
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ["TEST_DATABASE_NAME"] = f"bench_cb_interop_{os.getpid()}"
else:
    os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from clusterbridge.core.models import ObjectChange  # noqa: E402
from clusterbridge.funding import portal_import as calls  # noqa: E402
from clusterbridge.funding.models import Deadline, Instrument  # noqa: E402
from clusterbridge.interop.portal import ImportReport  # noqa: E402
from clusterbridge.suggestions.models import FeatureSuggestion  # noqa: E402
from clusterbridge.taxonomy import reference as taxonomy_reference  # noqa: E402

DAY_MS = 86_400_000
START_MS = 1_735_686_000_000  # 2024-12-31T23:00:00Z, midnight in Brussels
WORDS = (
    "cybersecurity",
    "artificial intelligence",
    "quantum",
    "robotics",
    "health data",
    "hydrogen",
    "batteries",
    "space",
    "smart grids",
    "semiconductors",
    "SME",
    "cloud",
)


def generate(count: int, seed: int, changed_share: float = 0.0) -> bytes:
    rng = random.Random(seed)
    items = []
    for number in range(count):
        opening = START_MS + rng.randrange(0, 400) * DAY_MS
        cut_offs = sorted(
            opening + rng.randrange(30, 300) * DAY_MS + 16 * 3_600_000
            for _ in range(rng.choice((1, 1, 1, 2, 3)))
        )
        title = f"Synthetic benchmark topic {number}: {rng.choice(WORDS)} and {rng.choice(WORDS)}"
        if changed_share and number % int(1 / changed_share) == 0:
            title += " (revised)"
            cut_offs = [c + 7 * DAY_MS for c in cut_offs]
        status = rng.choice(((31094501, "Forthcoming"), (31094502, "Open"), (31094503, "Closed")))
        items.append(
            {
                "type": 8 if number % 50 == 0 else 1,
                "identifier": f"BENCH-CL{number % 6}-2025-{number:05d}",
                "title": title,
                "callIdentifier": f"BENCH-CL{number % 6}-2025",
                "callTitle": f"Synthetic benchmark call {number % 6}",
                "frameworkProgramme": {
                    "id": 43108390,
                    "abbreviation": "HORIZON",
                    "description": "Horizon Europe (HORIZON)",
                },
                "status": {"id": status[0], "abbreviation": status[1], "description": status[1]},
                "plannedOpeningDateLong": opening,
                "deadlineDatesLong": cut_offs,
                "deadlineModel": "multiple cut-off" if len(cut_offs) > 1 else "single-stage",
                "keywords": rng.sample(WORDS, 3),
                "tags": rng.sample(WORDS, 2),
                "sme": rng.random() < 0.5,
            }
        )
    for number in range(count // 100):  # news items, skipped by the import
        items.append({"type": 6, "identifier": "", "title": f"Synthetic news {number}"})
    return json.dumps({"fundingData": {"GrantTenderObj": items}}).encode()


def suggestion_count() -> int:
    return FeatureSuggestion.objects.count()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def timed(label: str, raw: bytes) -> ImportReport:
    started, cpu = time.perf_counter(), time.process_time()
    report = calls.import_calls(raw, filename="grantsTenders.json")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{label:<28} {elapsed:7.2f} s (CPU {cpu:6.2f} s)   peak RSS so far {peak_mb():6.0f} MB"
        f"   {report.counts()}"
    )
    return report


def main() -> None:
    vendor = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    if vendor == "SQLite":  # the embedded database in the temporary VAR_DIR
        call_command("migrate", verbosity=0)
    else:  # a fresh database on the server, dropped at the end
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        # The taxonomy, so that suggested features are stored as on a real site.
        taxonomy_reference.load()
        first = generate(TOPICS, seed=1)
        newer = generate(TOPICS, seed=1, changed_share=0.1)
        print(
            f"{vendor}: {TOPICS} topics, file {len(first) / 1_048_576:.1f} MB, "
            f"RSS before import {peak_mb():.0f} MB"
        )
        timed("import (fresh database)", first)
        timed("re-import (same file)", first)
        timed("import newer file (10 %)", newer)
        print(
            f"rows: {Instrument.objects.count()} instruments, {Deadline.objects.count()} "
            f"deadlines, {suggestion_count()} suggested features, "
            f"{ObjectChange.objects.count()} history entries"
        )
        print(f"peak memory (max RSS of the process): {peak_mb():.0f} MB")
    finally:
        if vendor == "PostgreSQL":
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
