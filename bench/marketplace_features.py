"""Benchmark of the marketplace's follow, partner and export features at crisis scale.

Builds its own database (a temporary SQLite file, or a fresh PostgreSQL database on the
server of BENCH_DATABASE_URL), migrates, loads the reference data, runs
`generate_marketplace N` (N offers, N needs, N/20 partner searches from synthetic
organisations), then prints:
- the organisations that fit one partner search (`partners.for_post`, what its page and
  `matches/?of=organisations` compute): median and p95 over the partner searches, queries;
- the export of the whole list as CSV and XLSX (at most 10,000 posts): time, size, queries;
- `remind_followers` with one follower on each post closing within a week: the first run
  (everything claimed and notified) and a second run (nothing left to claim).
Synthetic posts are never public; for this throwaway database only, the benchmark counts
them as public so the list and its export see the large set.

    .venv/bin/python bench/marketplace_features.py [--size 10000] [--searches 20]
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.clusters_directory import in_throwaway_database, p95  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=20)
    args = parser.parse_args()
    in_throwaway_database(run, args)


def run(args) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from clusterbridge.marketplace import partners, services
    from clusterbridge.marketplace.models import Follow, Kind, Post, PostQuerySet

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("load_reference", verbosity=0, stdout=devnull)
        start = time.perf_counter()
        call_command("generate_marketplace", str(args.size), "--seed", "7", stdout=devnull)
        generated = time.perf_counter() - start
    PostQuerySet.public = PostQuerySet.published  # throwaway database only
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    published = Post.objects.published()
    print(
        f"\nmarketplace features benchmark on {connection.vendor}: {published.count():,} posts "
        f"published (generated in {generated:.1f} s), load average {os.getloadavg()[0]:.1f}"
    )

    searches = list(published.filter(kind=Kind.PARTNER_SEARCH).order_by("pk")[: args.searches])
    times, queries, found = [], 0, 0
    for search in searches:
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = partners.for_post(search, limit=10)
            times.append((time.perf_counter() - start) * 1000)
        queries = max(queries, len(captured.captured_queries))
        found += len(result)
    print(
        f"  organisations fitting one partner search ({len(searches)} searches): median "
        f"{statistics.median(times):.0f} ms, p95 {p95(times):.0f} ms, {queries} queries, "
        f"{found / max(len(searches), 1):.1f} shown on average"
    )

    client = Client()
    for fmt in ("csv", "xlsx"):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(f"/marketplace/export.{fmt}")
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        print(
            f"  export of the list as {fmt.upper()}: {elapsed:.2f} s, "
            f"{len(response.content) / 1_048_576:.1f} MB, "
            f"{len(captured.captured_queries)} queries"
        )

    today = timezone.localdate()
    closing = list(
        published.filter(valid_until__lte=today + datetime.timedelta(days=7)).values_list(
            "pk", flat=True
        )
    )
    follower, _ = get_user_model().objects.get_or_create(username="bench-follower")
    Follow.objects.bulk_create(
        [Follow(post_id=pk, user=follower) for pk in closing], batch_size=2000
    )
    for run_number in (1, 2):
        start = time.perf_counter()
        told = services.remind_followers(today)
        elapsed = time.perf_counter() - start
        print(
            f"  remind_followers, run {run_number}: {told:,} of {len(closing):,} follows "
            f"reminded in {elapsed:.2f} s"
        )


if __name__ == "__main__":
    main()
