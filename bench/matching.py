"""Benchmark of the matching engine (issue "Projects and explained matching", Speed).

Sets up its own database (a temporary SQLite file, or BENCH_DATABASE_URL when set), loads the
reference data, adds 100,000 synthetic instruments and 1,000 synthetic projects (flagged
is_synthetic), then measures:
- ranking all instruments for one project (median of 50 runs; target < 50 ms),
- the full match matrix, 1,000 projects × 100,000 instruments (target < 10 s, < 1 GB).

Run: .venv/bin/python bench/matching.py   (INSTRUMENTS=… PROJECTS=… to change the sizes)
"""

import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEMP_DIR = tempfile.mkdtemp(prefix="cb-bench-matching-")
os.environ["CLUSTERBRIDGE_VAR_DIR"] = TEMP_DIR
os.environ["DJANGO_SETTINGS_MODULE"] = "clusterbridge.settings"
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
else:
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from clusterbridge.funding.models import Instrument  # noqa: E402
from clusterbridge.matching import engine  # noqa: E402
from clusterbridge.matching.services import profile_for  # noqa: E402
from clusterbridge.projects.models import Project, Visibility  # noqa: E402
from clusterbridge.taxonomy.models import Country, Feature  # noqa: E402

INSTRUMENTS = int(os.environ.get("INSTRUMENTS", 100_000))
PROJECTS = int(os.environ.get("PROJECTS", 1_000))
RUNS = 50
rng = random.Random(2024)


def say(text: str) -> None:
    print(text, flush=True)


def generate_projects(count: int) -> list[Project]:
    features = list(Feature.objects.all())
    countries = list(Country.objects.all()[:40])
    with transaction.atomic():
        created = Project.objects.bulk_create(
            [
                Project(
                    name=f"Synthetic project {n + 1}",
                    visibility=Visibility.PUBLIC,
                    country=rng.choice(countries) if rng.random() < 0.8 else None,
                    is_synthetic=True,
                )
                for n in range(count)
            ]
        )
        through = Project.features.through
        through.objects.bulk_create(
            [
                through(project_id=project.pk, feature_id=feature.pk)
                for project in created
                for feature in rng.sample(features, rng.randint(3, 12))
            ],
            batch_size=20_000,
        )
    return list(
        Project.objects.filter(is_synthetic=True)
        .select_related("country")
        .prefetch_related("features")
    )


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> None:
    say(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seconds, _ = timed(lambda: call_command("generate_instruments", str(INSTRUMENTS), verbosity=0))
    say(f"generated {INSTRUMENTS:,} instruments with generate_instruments in {seconds:.1f} s")
    seconds, projects = timed(lambda: generate_projects(PROJECTS))
    say(f"generated {len(projects):,} synthetic projects in {seconds:.1f} s")
    links = Instrument.features.through.objects.count()
    say(
        f"sizes: {Instrument.objects.count():,} instruments, {links:,} instrument-feature "
        f"links, {Feature.objects.count()} features, {len(projects):,} projects"
    )

    seconds, index = timed(engine.index)
    say(
        f"index built in {seconds:.2f} s: {len(index.ids):,} × {len(index.codes)} matrix, "
        f"{index.matrix.nbytes / 2**20:.1f} MiB"
    )

    profiles = [profile_for(p) for p in projects]
    profile = profiles[0]
    count, _ = engine.search(profile, limit=1, include_synthetic=True)
    runs = []
    for n in range(RUNS):
        start = time.perf_counter()
        engine.rank(profiles[n % len(profiles)], limit=20, include_synthetic=True)
        runs.append(time.perf_counter() - start)
    median = statistics.median(runs) * 1000
    say(
        f"rank one project (all {len(index.ids):,} instruments scored, {count:,} eligible "
        f"matches for the first, best 20 explained): median {median:.1f} ms, "
        f"max {max(runs) * 1000:.1f} ms over {RUNS} runs "
        f"[target < 50 ms: {'OK' if median < 50 else 'MISSED'}]"
    )
    full = []
    for n in range(5):
        start = time.perf_counter()
        engine.rank(profiles[n], limit=None, include_synthetic=True)
        full.append(time.perf_counter() - start)
    say(
        f"rank one project, every match explained (no limit): median "
        f"{statistics.median(full) * 1000:.0f} ms over 5 runs"
    )

    tracemalloc.start()
    start = time.perf_counter()
    matrix = engine.rank_many(profiles, limit=10, include_synthetic=True)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pairs = len(profiles) * len(index.ids)
    say(
        f"full matrix: {len(profiles):,} projects × {len(index.ids):,} instruments = "
        f"{pairs:,} pairs scored, best 10 kept and explained per project "
        f"({sum(map(len, matrix)):,} matches): {seconds:.2f} s "
        f"[target < 10 s: {'OK' if seconds < 10 else 'MISSED'}]"
    )
    verdict = "OK" if max(peak / 2**20, rss) < 1024 else "MISSED"
    say(
        f"full matrix memory: peak traced {peak / 2**20:.0f} MiB during the matrix; process "
        f"peak RSS {rss:.0f} MiB [target < 1 GB: {verdict}]"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        if os.environ.get("BENCH_DATABASE_URL"):
            Instrument.all_objects.filter(is_synthetic=True).delete()
            Project.all_objects.filter(is_synthetic=True).delete()
        shutil.rmtree(TEMP_DIR, ignore_errors=True)
