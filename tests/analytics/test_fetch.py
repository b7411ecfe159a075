"""fetch_regional against a replay server started here (never the internet): one page per
year, a 404 year without data, a 500 retried, a 500 that persists imports nothing."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command

from clusterbridge.analytics.models import RegionalDataset, RegionalValue
from tests.analytics.conftest import fixture_bytes

pytestmark = pytest.mark.django_db

SDMX = fixture_bytes("employment.test-fixture.sdmx.csv").decode()
HEADER, *ROWS = SDMX.strip().splitlines()


def page_for(year: str) -> bytes:
    rows = [r for r in ROWS if f",{year}," in r]
    if year == "2020":  # the 2021 rows relabelled: a second page of the same dataset
        rows = [r.replace(",2021,", ",2020,") for r in ROWS]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


class Replay(BaseHTTPRequestHandler):
    failures: dict[str, int] = {}
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        url = urlparse(self.path)
        Replay.requests.append(self.path)
        year = parse_qs(url.query).get("startPeriod", [""])[0]
        assert url.path == "/sdmx/2.1/data/SBS_R_NUTS06_R2"
        assert parse_qs(url.query)["format"] == ["SDMX-CSV"]
        if Replay.failures.get(year, 0) > 0:
            Replay.failures[year] -= 1
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"Internal Server Error")
            return
        if year == "2019":
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b"No results found")
            return
        body = page_for(year)
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def replay():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Replay.requests = []
    Replay.failures = {}
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_reads_one_page_per_year_retries_a_500_and_imports(replay):
    Replay.failures = {"2021": 1}
    out = io.StringIO()
    call_command(
        "fetch_regional",
        "sbs_r_nuts06_r2",
        "--years",
        "2019-2021",
        "--base-url",
        replay,
        "--pause",
        "0",
        stdout=out,
    )
    assert "Read 3 page(s) (1 without data, 1 retried)" in out.getvalue()
    # 2019 (404), 2020, 2021 answered 500 once, then again.
    assert len(Replay.requests) == 4
    dataset = RegionalDataset.objects.get(code="sbs_r_nuts06_r2")
    assert dataset.origin == "api" and dataset.periods == [2020, 2021]
    assert dataset.source_name.startswith(replay)
    assert RegionalValue.objects.filter(dataset=dataset).count() == 24
    assert RegionalValue.objects.get(geo="AT12", industry="C26", period=2021).value is None


def test_a_server_that_keeps_failing_imports_nothing(replay):
    Replay.failures = {"2021": 5}
    with pytest.raises(CommandError, match="answered 500"):
        call_command(
            "fetch_regional",
            "sbs_r_nuts06_r2",
            "--years",
            "2021",
            "--base-url",
            replay,
            "--pause",
            "0",
            stdout=io.StringIO(),
        )
    assert not RegionalDataset.objects.exists()
    assert len(Replay.requests) == 3


def test_years_are_checked(replay):
    with pytest.raises(CommandError, match="--years"):
        call_command("fetch_regional", "x", "--years", "soon", "--base-url", replay)
