"""Benchmark of the benchmarking report among many peers.

Builds its own database (a temporary SQLite file, or a fresh PostgreSQL database on the
server of BENCH_DATABASE_URL, created and dropped here), migrates, loads the reference data,
gives Mobile Heights a manager and a submitted assessment, times `generate_assessments
--count N --like mobile-heights` (so every synthetic assessment is its peer), then times
in-process (Django test client: server time without the network) the report page, its PDF,
the questionnaire pages and the public catalogue.

    .venv/bin/python bench/benchmarking_report.py [--count 200] [--requests 20]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.clusters_directory import in_throwaway_database, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    in_throwaway_database(run, args)


def run(args) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from clusterbridge.benchmarking import services
    from clusterbridge.clusters import services as cluster_services
    from clusterbridge.clusters.models import Cluster

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("load_reference", verbosity=0, stdout=devnull)
    User = get_user_model()
    admin = User.objects.create_superuser("bench-admin", "admin@example.org", "x")
    manager = User.objects.create_user("bench-manager", "manager@example.org", "x")
    cluster = Cluster.objects.get(slug="mobile-heights")
    cluster_services.grant_manager(cluster, admin, manager)
    assessment = services.start_assessment(cluster, manager)
    answers = {spec["code"]: 1 for spec in assessment.indicators if spec["answer_type"] == "number"}
    answers.update({"I-02": 40, "I-09": True, "V-01": "regular", "V-02": True})
    answers.update(
        {s["code"]: "yes" for s in assessment.indicators if s["answer_type"] == "yes_no"}
    )
    answers.update(
        {s["code"]: "Some words." for s in assessment.indicators if s["answer_type"] == "text"}
    )
    services.save_answers(assessment, manager, answers)
    services.submit(assessment, manager)
    with open(os.devnull, "w") as devnull:
        wall = time.perf_counter()
        call_command(
            "generate_assessments",
            "--count",
            str(args.count),
            "--like",
            "mobile-heights",
            stdout=devnull,
        )
        wall = time.perf_counter() - wall
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    other = User.objects.create_user("bench-other", "other@example.org", "x")
    minalogic = Cluster.objects.get(slug="minalogic")
    cluster_services.grant_manager(minalogic, admin, other)
    draft = services.start_assessment(minalogic, other)
    print(
        f"benchmarking benchmark on {connection.vendor}: {args.count} synthetic assessments "
        f"generated in {wall:.1f} s wall; {args.requests} requests each"
    )
    print(f"{'request':58} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'queries':>8}")
    client = Client()
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    other_client = Client()
    other_client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
    rows = [
        (client, f"/benchmarking/assessments/{assessment.pk}/report/", args.requests),
        (client, f"/benchmarking/assessments/{assessment.pk}/report.pdf", 3),
        (other_client, f"/benchmarking/assessments/{draft.pk}/", args.requests),
        (other_client, f"/benchmarking/assessments/{draft.pk}/blocks/II/", args.requests),
        (client, "/benchmarking/", args.requests),
        (client, "/api/v1/benchmarking/indicators/", args.requests),
    ]
    for who, url, repeat in rows:
        cpu = time.process_time()
        times, queries = timed(who, url, repeat)
        cpu = (time.process_time() - cpu) * 1000 / repeat
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(f"{url:58} {statistics.median(times):10.1f} {p95:8.1f} {cpu:7.1f} {queries:8d}")


if __name__ == "__main__":
    main()
