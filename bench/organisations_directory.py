"""Benchmark of the organisation directory with thousands of synthetic organisations.

Builds its own database (a temporary SQLite file, or a fresh PostgreSQL database on the
server of BENCH_DATABASE_URL, created and dropped here), migrates, loads the reference
data, times `generate_organisations N --owners` (wall and CPU), then times in-process
(Django test client: server time without the network) the directory page with its facet
counts, the API list, the CSV export, a profile and a cluster profile listing its members.
Synthetic organisations are never public; for this throwaway database only, the benchmark
counts them as real so the pages work on the large set. Beside wall times (noisy on a shared
machine) it prints the mean CPU time per request of this process.

    .venv/bin/python bench/organisations_directory.py [--count 10000] [--requests 20]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.clusters_directory import in_throwaway_database, timed  # noqa: E402

QUERIES = [
    "",
    "country=DE",
    "type=sme&size=10-49",
    "ecosystem=digital&sector=energy",
    "feature=T1&feature=D2",
    "q=robotics+labs",
    "cluster=mobile-heights",
    "ordering=-created&page=20",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    in_throwaway_database(run, args)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from clusterbridge.organisations.models import (
        ClusterMembership,
        ClusterMembershipQuerySet,
        Organisation,
        OrganisationQuerySet,
    )

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("load_reference", verbosity=0, stdout=devnull)
        wall, cpu = time.perf_counter(), time.process_time()
        call_command("generate_organisations", str(args.count), "--owners", stdout=devnull)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # Throwaway database only: the public pages see the synthetic organisations.
    OrganisationQuerySet.real = lambda self: self
    ClusterMembershipQuerySet.shown = lambda self: self.filter(
        status=ClusterMembership.Status.APPROVED,
        show_publicly=True,
        organisation__deleted_at=None,
        cluster__deleted_at=None,
        cluster__status="published",
    )
    listed = ClusterMembership.objects.filter(cluster__slug="mobile-heights").count()
    print(
        f"organisations benchmark on {connection.vendor}: {Organisation.objects.count()} "
        f"organisations generated with owners in {wall:.1f} s wall, {cpu:.1f} s CPU "
        f"(shared machine: wall time is noisy); {args.requests} requests each"
    )
    print(f"{'request':58} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'queries':>8}")
    client = Client()
    slug = Organisation.objects.order_by("pk").values_list("slug", flat=True)[0]
    urls = [f"/organisations/?{q}" if q else "/organisations/" for q in QUERIES]
    urls += [f"/api/v1/organisations/?{q}" for q in QUERIES[:6]]
    urls += ["/organisations/export.csv?country=DE", f"/organisations/{slug}/"]
    urls += [f"/clusters/mobile-heights/ ({listed} member organisations)"]
    for url in urls:
        path = url.split(" ")[0]
        cpu = time.process_time()
        times, queries = timed(client, path, args.requests)
        # Mean CPU time of this process per request (SQLite runs in it; PostgreSQL does not).
        cpu = (time.process_time() - cpu) * 1000 / args.requests
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(f"{url:58} {statistics.median(times):10.1f} {p95:8.1f} {cpu:7.1f} {queries:8d}")


if __name__ == "__main__":
    main()
