"""Ingesting a crisis burst through the API (seed 004 L11–13: over 1,100 offers in one
week; the issue's target: in one minute from 50 concurrent clients, on SQLite).

Builds its own database (as the other benchmarks), makes 50 verified members of 50
organisations with API tokens, then 50 threads each POST their share of the offers to
/api/v1/marketplace/posts/ with an `Idempotency-Key` per offer, and send one in ten again
(a client retrying after a lost answer). Prints the time taken and checks that every offer
is stored once: none lost, none duplicated. In-process (Django test client per thread, each
with its own database connection): server time without the network.

    .venv/bin/python bench/marketplace_burst.py [--offers 1100] [--clients 50]
"""

import argparse
import os
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.clusters_directory import in_throwaway_database  # noqa: E402

# A client retries a request that failed (as a real one does after a 5xx or a lost
# answer); the idempotency key makes the retry safe.
RETRIES = 5


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=1100)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    in_throwaway_database(run, args)


def _people(count: int) -> list[tuple[str, str]]:
    """(organisation slug, token) of `count` verified owners, one organisation each."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from clusterbridge.accounts.models import ApiToken
    from clusterbridge.organisations.models import Membership, Organisation

    people = []
    for n in range(count):
        user = get_user_model().objects.create_user(f"burst{n}", f"burst{n}@example.org")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        organisation = Organisation.objects.create(
            name=f"Burst maker {n}", slug=f"burst-maker-{n}", type="sme", is_synthetic=True
        )
        Membership.objects.create(
            user=user,
            organisation=organisation,
            role=Membership.Role.OWNER,
            status=Membership.Status.ACTIVE,
        )
        people.append((organisation.slug, ApiToken.issue(user, "burst")[1]))
    return people


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from rest_framework.test import APIClient

    from clusterbridge.marketplace.models import Post

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("load_reference", verbosity=0, stdout=devnull)
    people = _people(args.clients)
    shares = [
        list(range(n, args.offers, args.clients)) for n in range(args.clients)
    ]  # offer numbers per client
    times: list[float] = []
    failures: list[str] = []
    retried: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        slug, token = people[index]
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            for number in shares[index]:
                body = {
                    "organisation": slug,
                    "kind": "offer",
                    "title": f"Offer {number}: FFP2 masks",
                    "description": "Certified masks, delivered within a week.",
                    "features": ["T1"],
                    "ecosystems": ["health"],
                    "quantity": 1000 * (number + 1),
                    "unit": "masks per week",
                    "urgency": "crisis",
                }
                sends = 2 if number % 10 == 0 else 1  # one in ten sent twice
                for _ in range(sends):
                    for _attempt in range(RETRIES):
                        start = time.perf_counter()
                        try:
                            response = api.post(
                                "/api/v1/marketplace/posts/",
                                body,
                                format="json",
                                HTTP_IDEMPOTENCY_KEY=f"burst-offer-{number}",
                            )
                            code = response.status_code
                        except Exception as error:  # the server's 500 (e.g. a write lock timed out)
                            code, response = 500, f"{type(error).__name__}: {error}"
                        elapsed = (time.perf_counter() - start) * 1000
                        with lock:
                            times.append(elapsed)
                            if code in (200, 201):
                                break
                            reason = response if isinstance(response, str) else response.content
                            retried.append(f"{code} {str(reason)[:80]}")
                    else:
                        with lock:
                            failures.append(f"{number}: gave up after {RETRIES} attempts")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    wall, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stored = Post.objects.filter(kind="offer").count()
    distinct = Post.objects.values("idempotency_key").distinct().count()
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    print(
        f"burst on {connection.vendor}: {args.offers} offers (+{args.offers // 10} retries) "
        f"from {args.clients} concurrent clients in {wall:.1f} s (target ≤ 60 s); "
        f"request median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms; "
        f"{cpu:.1f} s CPU in this process (the steadier figure on a shared machine); "
        f"{stored} stored, {distinct} distinct keys; {len(retried)} requests answered with an "
        f"error and retried with the same key, {len(failures)} offers given up"
    )
    for reason, count in Counter(retried).most_common(5):
        print(f"  retried {count}×: {reason}")
    for failure in failures[:5]:
        print("  failed:", failure)
    lost, duplicated = args.offers - distinct, stored - distinct
    print(f"  lost: {lost}, duplicated: {duplicated}")
    if failures or lost or duplicated or wall > 60:
        sys.exit(1)


if __name__ == "__main__":
    main()
