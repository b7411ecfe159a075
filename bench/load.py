"""Load benchmark: 30 concurrent users for 60 s against gunicorn, over the mixed public pages
and the API, while a portal import of several thousand topics runs. Prints requests per
second, p50 / p95 / p99 latency and errors (any answer other than 2xx/3xx, or no answer);
exits with 1 when there was an error.

SQLite in a temporary folder by default; PostgreSQL (a fresh database on that server, dropped
afterwards) when BENCH_DATABASE_URL is set. BENCH_USERS, BENCH_SECONDS, BENCH_TOPICS and
BENCH_WORKERS change the load. The API's anonymous throttle is raised for the run: the
benchmark measures capacity, and its 30 users share one address.
"""

import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

USERS = int(os.environ.get("BENCH_USERS", "30"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
TOPICS = int(os.environ.get("BENCH_TOPICS", "5000"))
WORKERS = os.environ.get("BENCH_WORKERS", "3")
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DAY_MS = 86_400_000
START_MS = 1_767_222_000_000  # 2025-12-31T23:00:00Z


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(workdir: str) -> tuple[dict, str | None]:
    env = {
        **os.environ,
        "CLUSTERBRIDGE_VAR_DIR": workdir,
        "DJANGO_SETTINGS_MODULE": "clusterbridge.settings",
        "API_THROTTLE_ANON": "1000000/min",
        "DEBUG": "false",
    }
    database = None
    if os.environ.get("BENCH_DATABASE_URL"):
        import psycopg

        url = os.environ["BENCH_DATABASE_URL"]
        database = f"bench_cb_load_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        parts = urlsplit(url)
        env.update(
            DATABASE_URL=parts._replace(path=f"/{database}").geturl(),
            SECRET_KEY="bench-" + "x" * 60,
            HTTPS="false",
            ALLOWED_HOSTS="127.0.0.1,localhost",
        )
    else:
        env.pop("DATABASE_URL", None)
    return env, database


def drop_database(database: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["BENCH_DATABASE_URL"], autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [str(BIN / "clusterbridge"), *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


def portal_file(path: Path, count: int) -> None:
    """A bulk portal file (grantsTenders.json format) of `count` synthetic topics."""
    rng = random.Random(7)
    items = []
    for number in range(count):
        opening = START_MS + rng.randrange(0, 300) * DAY_MS
        items.append(
            {
                "type": 1,
                "identifier": f"LOAD-BENCH-{number:05d}",
                "title": f"Synthetic load topic {number}: robotics and hydrogen for SMEs",
                "status": {"id": 31094502, "abbreviation": "Open", "description": "Open"},
                "plannedOpeningDateLong": opening,
                "deadlineDatesLong": [opening + rng.randrange(30, 300) * DAY_MS],
            }
        )
    path.write_text(json.dumps({"fundingData": {"GrantTenderObj": items}}))


def addresses(env: dict) -> list[str]:
    """The mix: public pages (search, detail, directories, feeds) and API reads."""
    script = (
        "import django; django.setup()\n"
        "from clusterbridge.funding.models import Instrument\n"
        "from clusterbridge.clusters.models import Cluster\n"
        "print(list(Instrument.objects.values_list('pk', flat=True)[:50]))\n"
        "published = Cluster.objects.filter(status='published')\n"
        "print(list(published.values_list('slug', flat=True)[:20]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    instruments, clusters = eval(out[0]), eval(out[1])  # noqa: S307 — our own printed lists
    pages = [
        "/",
        "/funding/",
        "/funding/?q=hydrogen",
        "/funding/?feature=T1&status=all",
        "/match/?feature=T1&feature=D2",
        "/clusters/",
        "/organisations/",
        "/projects/",
        "/funding/feed.atom",
        *(f"/funding/{pk}/" for pk in instruments[:20]),
        *(f"/clusters/{slug}/" for slug in clusters[:10]),
    ]
    api = [
        "/api/v1/instruments/",
        "/api/v1/instruments/?q=robotics",
        "/api/v1/clusters/",
        "/api/v1/organisations/",
        "/api/v1/features/",
        "/api/v1/match/?feature=T1&feature=P12",
        *(f"/api/v1/instruments/{pk}/" for pk in instruments[:20]),
    ]
    return pages * 2 + api  # about two page views for one API call


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before serving")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 120 s")


class User(threading.Thread):
    def __init__(self, port: int, mix: list[str], stop_at: float, seed: int):
        super().__init__(daemon=True)
        self.port, self.mix, self.stop_at = port, mix, stop_at
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self):
        connection = None
        while time.monotonic() < self.stop_at:
            address = self.rng.choice(self.mix)
            started = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                connection.request("GET", address, headers={"Accept": "text/html,*/*"})
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    self.errors.append(f"{response.status} {address}")
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(f"{type(error).__name__} {address}")
                if connection is not None:
                    connection.close()
                connection = None
                continue
            self.latencies.append(time.monotonic() - started)


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) > 1 else 0.0


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="cb-bench-load-")
    env, database = environment(workdir)
    server = importer = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        manage(env, "load_reference")
        manage(env, "collectstatic", "--noinput")
        manage(env, "generate_instruments", "2000", "--seed", "1")
        manage(env, "generate_clusters", "--count", "300", "--seed", "1")
        portal = Path(workdir) / "topics.json"
        portal_file(portal, TOPICS)
        mix = addresses(env)
        port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "clusterbridge.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                WORKERS,
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_until_up(port, server)
        print(
            f"{USERS} users for {SECONDS:.0f} s on gunicorn ({WORKERS} workers × 4 threads), "
            f"{len(set(mix))} addresses, while importing {TOPICS:,} portal topics "
            f"({'PostgreSQL' if database else 'SQLite'})",
            flush=True,
        )
        import_started = time.monotonic()
        importer = subprocess.Popen(
            [str(BIN / "clusterbridge"), "import_calls", str(portal)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started = time.monotonic()
        users = [User(port, mix, started + SECONDS, seed) for seed in range(USERS)]
        for user in users:
            user.start()
        for user in users:
            user.join()
        elapsed = time.monotonic() - started
        import_output, _ = importer.communicate(timeout=900)
        import_seconds = time.monotonic() - import_started
        latencies = sorted(t for user in users for t in user.latencies)
        errors = [e for user in users for e in user.errors]
        total = len(latencies) + len(errors)
        print(f"requests: {total:,} in {elapsed:.1f} s = {total / elapsed:.1f} requests/s")
        print(
            f"latency: p50 {percentile(latencies, 0.50) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms, "
            f"max {max(latencies, default=0) * 1000:.0f} ms"
        )
        print(f"errors: {len(errors)}" + (f" (first: {', '.join(errors[:5])})" if errors else ""))
        print(
            f"import: {'finished' if importer.returncode == 0 else 'FAILED'} in "
            f"{import_seconds:.1f} s — {import_output.strip().splitlines()[-1:]}"
        )
        return 0 if not errors and importer.returncode == 0 else 1
    finally:
        for process in (importer, server):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
        if database:
            drop_database(database)


if __name__ == "__main__":
    sys.exit(main())
