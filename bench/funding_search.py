"""Benchmark of the funding search, one line per query class, at 100,000 instruments.

Builds its own database — a temporary SQLite file, or a fresh PostgreSQL database on the
server of BENCH_DATABASE_URL (created and dropped here) — migrates, loads the reference
data, generates the instruments, then times each query class of the funding search
in-process (Django test client: server time without the network). Every query is drawn at
random from the whole data set — any feature, any country, any word of the generator's
vocabulary — not from one record's own features, so most classes return thousands of
results and the facet counts run over everything. Prints, per class, the median and p95 of
the wall time, the target and OK / MISSED; and what the search index adds to the
process's resident memory, against its target (300 MB at 1,000,000 instruments).

    .venv/bin/python bench/funding_search.py [--count 100000] [--requests 60]
"""

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# p95 targets (ms): at 100,000 instruments on both databases; at 1,000,000 on PostgreSQL.
TARGETS = {"api": 50, "html": 100}
TARGETS_1M = {"api": 150, "html": 250}
MEMORY_TARGET_MB = 300


def configure(workdir: str, keep: str | None = None) -> str | None:
    """Point Django at a fresh database; returns the PostgreSQL database to drop, if any."""
    os.environ["CLUSTERBRIDGE_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")
    server_url = os.environ.get("BENCH_DATABASE_URL")
    if not server_url:
        os.environ.pop("DATABASE_URL", None)
        return None
    import psycopg

    name = keep or f"cb_bench_funding_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlparse(server_url)
    os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{name}"))
    os.environ.setdefault("SECRET_KEY", uuid.uuid4().hex * 2)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("HTTPS", "false")
    return None if keep else name


def drop(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(os.environ["BENCH_DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query_classes(rng: random.Random, n: int) -> list[tuple[str, str, str, list[dict]]]:
    """(name, kind, path, queries) for each query class of the issue, drawn at random."""
    from clusterbridge.funding.generator import TOPICS, VOCABULARY
    from clusterbridge.funding.models import Instrument
    from clusterbridge.taxonomy.models import Feature

    features = list(Feature.objects.values_list("code", flat=True))
    countries = sorted(
        set(
            Instrument.objects.filter(country__isnull=False).values_list("country__code", flat=True)
        )
    )
    common = sorted({w for w in VOCABULARY if len(w) > 4})
    rare = sorted({topic.split()[0] for topic in TOPICS})
    base = {"include_synthetic": "1"}

    def many(make):
        return [{**base, **make()} for _ in range(n)]

    return [
        (
            "HTML no filter, all facets",
            "html",
            "/funding/",
            many(lambda: {"page": str(rng.randint(1, 20))}),
        ),
        ("HTML q=common word", "html", "/funding/", many(lambda: {"q": rng.choice(common)})),
        (
            "API feature=",
            "api",
            "/api/v1/instruments/",
            many(lambda: {"feature": rng.choice(features)}),
        ),
        (
            "API q=common word",
            "api",
            "/api/v1/instruments/",
            many(lambda: {"q": rng.choice(common)}),
        ),
        (
            "API 3 features any",
            "api",
            "/api/v1/instruments/",
            many(lambda: {"feature": rng.sample(features, 3), "feature_mode": "any"}),
        ),
        (
            "API 3 features+country+rare word",
            "api",
            "/api/v1/instruments/",
            many(
                lambda: {
                    "feature": rng.sample(features, 3),
                    "country": rng.choice(countries),
                    "q": rng.choice(rare),
                    "status": "all",
                }
            ),
        ),
        (
            "HTML browse by country",
            "html",
            "/funding/",
            many(lambda: {"country": rng.choice(countries)}),
        ),
    ]


def measure(client, path: str, queries: list[dict]) -> tuple[list[float], list[float], list[int]]:
    timings, cpu, sizes = [], [], []
    for params in queries[:3]:  # warm-up: the first request of a process builds caches
        client.get(path, params)
    for params in queries:
        url = f"{path}?{urlencode(params, doseq=True)}"
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        sizes.append(response.json()["count"] if path.startswith("/api/") else 0)
    return timings, cpu, sizes


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--freshness-only", action="store_true", help="stop after the index's build and edit"
    )
    parser.add_argument(
        "--workdir",
        help="keep the database (SQLite: in this folder; "
        "PostgreSQL: named after it) and reuse it on the next run",
    )
    args = parser.parse_args()

    if args.workdir:
        configure(args.workdir, keep=Path(args.workdir).name)
        return run(args)
    with tempfile.TemporaryDirectory(prefix="cb-bench-funding-") as workdir:
        pg_name = configure(workdir)
        try:
            return run(args)
        finally:
            if pg_name:
                drop(pg_name)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def index_memory() -> tuple[str, bool]:
    """What building the search index adds to this process: its resident memory before and
    after (the bitmaps live in C memory, which Python's own accounting does not see)."""
    try:
        from clusterbridge.funding import index
    except ImportError:
        return "memory: no search index", True
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    built = index.current()
    elapsed = time.perf_counter() - started
    gc.collect()
    added = rss_mb() - before
    ok = added <= MEMORY_TARGET_MB
    return (
        f"search index: built in {elapsed:.1f} s, adds {added:.0f} MB to the process "
        f"(its bitmaps and arrays: {built.memory() / 2**20:.0f} MB), "
        f"target <= {MEMORY_TARGET_MB} MB  {'OK' if ok else 'MISSED'}"
    ), ok


def after_one_edit(client) -> str:
    """The first request after one edit (the index applies the change) and, as it was
    before the change log, a whole rebuild of the index."""
    from clusterbridge.funding import index
    from clusterbridge.funding.models import Instrument

    index.current()
    instrument = Instrument.objects.order_by("pk")[len(index.current().universe) // 2]
    instrument.name = f"{instrument.name} revised"
    instrument.save()
    started = time.perf_counter()
    response = client.get("/api/v1/instruments/?status=all&include_synthetic=1&q=revised")
    first = time.perf_counter() - started
    assert instrument.pk in {row["id"] for row in response.json()["results"]}
    applied = index.current().built_in
    started = time.perf_counter()
    index.build()
    whole = time.perf_counter() - started
    return (
        f"first request after one edit: {first * 1000:.0f} ms (the change applied in "
        f"{applied * 1000:.0f} ms); a whole rebuild, as every write cost before: {whole:.1f} s"
    )


def run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from clusterbridge.funding.generator import generate_instruments
    from clusterbridge.funding.models import Instrument

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_reference", verbosity=0, stdout=quiet)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not Instrument.objects.filter(is_synthetic=True).exists():
        generate_instruments(args.count, seed=args.seed)
        if connection.vendor == "postgresql":
            # What autovacuum does shortly after a bulk load. SQLite gets no ANALYZE: nothing
            # runs it in an embedded installation, and the figures should be those users see.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    total = Instrument.objects.count()
    real = Instrument.objects.real().count()
    print(
        f"dataset: {total} instruments ({total - real} synthetic, {real} real), "
        f"ready in {time.perf_counter() - started:.1f} s"
    )
    # Wall times depend on what else the machine runs: say how loaded it was.
    print("load average (1, 5, 15 min): " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    big = total > 500_000
    targets = TARGETS_1M if big else TARGETS
    memory, memory_ok = index_memory()
    print(memory)
    print(after_one_edit(Client()))
    failed = not memory_ok
    if args.freshness_only:
        return 1 if failed else 0

    rng = random.Random(args.seed)
    client = Client()
    for name, kind, path, queries in query_classes(rng, args.requests):
        timings, cpu, sizes = measure(client, path, queries)
        high = p95(timings)
        ok = high <= targets[kind]
        failed |= not ok
        found = f"  results median {statistics.median(sizes):.0f}" if kind == "api" else ""
        print(
            f"{name:34} median {statistics.median(timings):6.1f} ms  p95 {high:6.1f} ms  "
            f"target p95 <= {targets[kind]} ms  {'OK' if ok else 'MISSED'}  "
            f"(CPU of this process p95 {p95(cpu):5.1f} ms){found}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
