"""Benchmark of the cluster directory with thousands of synthetic clusters.

Builds its own database — a temporary SQLite file, or a fresh PostgreSQL database on the
server of BENCH_DATABASE_URL (created and dropped here) — migrates, loads the reference
data, generates synthetic clusters, then times the directory page (with its facet counts),
the API list and the CSV export in-process (Django test client: server time without the
network). Synthetic clusters are never public; for this throwaway database only, the
benchmark counts them as public so the pages work on the large set.

    .venv/bin/python bench/clusters_directory.py [--count 5000] [--requests 30]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES = [
    "",
    "country=DE",
    "ecosystem=digital&sector=security",
    "q=digital+cyber",
    "size=101-250&ordering=-size",
    "technology=robotics&country=FR",
    "page=5",
]


def configure(workdir: str) -> str | None:
    os.environ["CLUSTERBRIDGE_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")
    server_url = os.environ.get("BENCH_DATABASE_URL")
    if not server_url:
        os.environ.pop("DATABASE_URL", None)
        return None
    import psycopg

    name = f"cb_bench_clusters_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunparse(urlparse(server_url)._replace(path=f"/{name}"))
    os.environ.setdefault("SECRET_KEY", uuid.uuid4().hex * 2)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("HTTPS", "false")
    return name


def drop(name: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["BENCH_DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def in_throwaway_database(run, args) -> None:
    """`run(args)` on a database made for this run (a temporary SQLite file, or a fresh
    PostgreSQL database on BENCH_DATABASE_URL's server), dropped afterwards."""
    with tempfile.TemporaryDirectory() as workdir:
        database = configure(workdir)
        try:
            run(args)
        finally:
            if database:
                from django.db import connections

                connections.close_all()
                drop(database)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def timed(client, url: str, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = max(queries, len(captured.captured_queries))
    return times, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    in_throwaway_database(run, args)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from clusterbridge.clusters.models import Cluster, ClusterQuerySet, Status

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("load_reference", verbosity=0, stdout=devnull)
        start = time.perf_counter()
        call_command("generate_clusters", count=args.count, stdout=devnull)
        generated = time.perf_counter() - start
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load in production; without it the planner
        # has no statistics for the new rows and the facet counts take ten times longer.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # Throwaway database only: let the public pages see the synthetic clusters.
    ClusterQuerySet.public = lambda self: self.filter(status=Status.PUBLISHED)
    total = Cluster.objects.public().count()
    client = Client()
    vendor = connection.vendor
    print(
        f"clusters directory benchmark on {vendor}: {total} published clusters "
        f"({args.count} synthetic generated in {generated:.1f} s), {args.requests} requests each"
    )
    print(f"{'request':58} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for path in ("/clusters/", "/api/v1/clusters/", "/clusters/export.csv"):
        for query in QUERIES if path != "/clusters/export.csv" else QUERIES[1:3]:
            url = f"{path}?{query}" if query else path
            times, queries = timed(client, url, args.requests)
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            print(f"{url:58} {statistics.median(times):10.1f} {p95:8.1f} {queries:8d}")
    times, queries = timed(client, "/clusters/landscape/", max(3, args.requests // 5))
    print(
        f"{'/clusters/landscape/':58} {statistics.median(times):10.1f} "
        f"{max(times):8.1f} {queries:8d}"
    )


if __name__ == "__main__":
    main()
