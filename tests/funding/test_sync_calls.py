"""`clusterbridge sync_calls` against a local HTTP server that replays recorded Search API
pages (no test reaches the internet): all pages read, retries on 429, 5xx, timeouts and
cut-off pages, nothing written when the portal fails part-way, the summary line, and the
same update-in-place as the file import."""

import contextlib
import io
import json
import threading
import time
import urllib.parse
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.funding.portal_import import SYNC_DOCUMENT, sync_calls
from clusterbridge.interop import portal_api
from clusterbridge.taxonomy.models import Feature

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parent.parent / "data" / "portal" / "sync"
IDENTIFIERS = {
    "HORIZON-CL3-2025-CS-ECCC-01",
    "DIGITAL-ECCC-2025-DEPLOY-CYBER-08-SOC",
    "HORIZON-CL4-2026-RESILIENCE-01-12-two-stage",
    "HORIZON-CL3-2023-CS-01-01",
    "CASCADE-CYBERSME-OC2-2025",
}
GENAI = "HORIZON-CL3-2025-CS-ECCC-01"


def recorded(number: int) -> bytes:
    return (PAGES / f"page-{number}.json").read_bytes()


class Portal:
    """A replaying Search API. `script[page]` is a list of what to answer, in turn, to the
    requests for that page ("ok", 429, 500, "truncated", ("sleep", s)); once a script is used
    up the page is served as recorded."""

    def __init__(self):
        self.script: dict[int, list] = {}
        self.requests: list[dict] = []
        self.pages: dict[int, bytes] = {n: recorded(n) for n in (1, 2, 3)}
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output quiet
                pass

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                params = dict(urllib.parse.parse_qsl(url.query))
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                message = BytesParser(policy=HTTP).parsebytes(
                    b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body
                )
                parts = {
                    part.get_param("name", header="content-disposition"): json.loads(
                        part.get_payload(decode=True)
                    )
                    for part in message.iter_parts()
                }
                portal.requests.append({"path": url.path, "params": params, "parts": parts})
                number = int(params.get("pageNumber", 1))
                steps = portal.script.get(number) or []
                step = steps.pop(0) if steps else "ok"
                if isinstance(step, tuple) and step[0] == "sleep":
                    time.sleep(step[1])
                    step = "ok"
                if isinstance(step, int):
                    self.send_response(step)
                    if step == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                payload = (
                    portal.pages.get(number)
                    or json.dumps({"totalResults": 9, "pageNumber": number, "results": []}).encode()
                )
                if step == "truncated":
                    payload = payload[: len(payload) // 2]
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def page_numbers(self) -> list[int]:
        return [int(r["params"]["pageNumber"]) for r in self.requests]


@pytest.fixture
def server():
    portal = Portal()
    portal.thread.start()
    yield portal
    portal.server.shutdown()
    portal.server.server_close()


def sync(server, *extra) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "sync_calls", "--base-url", server.url, "--page-size", "3", "--backoff", "0", *extra,
        stdout=out, stderr=err,
    )  # fmt: skip
    return out.getvalue(), err.getvalue()


def synced():
    # HORIZON-CL3-2023-CS-01-01 is not created: it updates the reference record
    # IA-HORIZON-CL3-2023-CS-01-01 (an identifier variant).
    return Instrument.all_objects.filter(identifier__in=IDENTIFIERS)


def test_reads_every_page_with_the_portals_own_query_and_imports_the_calls(server):
    out, err = sync(server)

    assert server.page_numbers() == [1, 2, 3]  # the end is known from totalResults (9)
    first = server.requests[0]
    assert first["path"] == portal_api.SEARCH_PATH
    assert first["params"] == {"apiKey": "SEDIA", "text": "***", "pageSize": "3", "pageNumber": "1"}
    must = first["parts"]["query"]["bool"]["must"]
    assert {"terms": {"type": ["1", "2", "8"]}} in must
    assert {"terms": {"status": ["31094501", "31094502"]}} in must
    assert first["parts"]["languages"] == ["en"]
    assert out.splitlines()[0] == (
        "3 page(s), 9 of 9 records read: 4 created, 1 updated, 0 unchanged, 3 skipped, 1 errors."
    )
    assert "HORIZON-CL3-2025-CS-ECCC-99" in out  # the malformed record, named
    assert "reading the portal" in err and "writing" in err  # the progress bars
    assert synced().count() == 4
    call = Instrument.objects.get(identifier=GENAI)
    assert call.name == "Generative AI for cybersecurity applications"
    assert call.source_status == "open"
    assert call.provenance[0]["document"] == SYNC_DOCUMENT
    assert Instrument.objects.get(identifier="CASCADE-CYBERSME-OC2-2025").source_status == "open"
    assert (
        Instrument.objects.get(
            identifier="HORIZON-CL4-2026-RESILIENCE-01-12-two-stage"
        ).source_status
        == "forthcoming"
    )


def test_a_429_a_500_and_a_cut_off_page_are_retried_and_the_run_completes(server):
    server.script = {1: [429], 2: [500, 503], 3: ["truncated"]}

    out, _ = sync(server)

    assert server.page_numbers() == [1, 1, 2, 2, 2, 3, 3]
    assert out.splitlines()[0].startswith("3 page(s), 9 of 9 records read, 4 retried: 4 created")
    assert synced().count() == 4


def test_retries_back_off_and_honour_retry_after(server):
    server.script = {1: [429], 2: [500, 500]}
    pauses = []

    sync_calls(server.url, page_size=3, backoff=0.5, sleep=pauses.append)

    # 429: Retry-After 0 is less than the backoff, so the backoff applies; 500s double it.
    assert pauses == [0.5, 0.5, 1.0]


def test_a_portal_failing_part_way_writes_nothing(server):
    server.script = {3: [500] * 10}

    with pytest.raises(CommandError, match=r"page 3: HTTP 500 .* after 3 attempts"):
        sync(server, "--retries", "2")

    assert synced().count() == 0
    assert server.page_numbers() == [1, 2, 3, 3, 3]


def test_a_page_cut_off_every_time_is_an_error_and_writes_nothing(server):
    server.script = {2: ["truncated"] * 10}

    with pytest.raises(CommandError, match="page 2: the answer is not complete JSON"):
        sync(server, "--retries", "1")

    assert synced().count() == 0


def test_a_page_slower_than_the_timeout_is_retried(server):
    server.script = {1: [("sleep", 1.0)]}

    out, _ = sync(server, "--timeout", "0.3")

    assert "1 retried" in out.splitlines()[0]
    assert synced().count() == 4


def test_an_address_other_than_http_is_refused(server):
    with pytest.raises(CommandError, match="not an http"):
        call_command("sync_calls", "--base-url", "file:///etc/passwd", stdout=io.StringIO())


def test_a_client_error_is_not_retried(server):
    server.script = {1: [404]}

    with pytest.raises(CommandError, match="page 1: the portal answered HTTP 404"):
        sync(server)

    assert server.page_numbers() == [1]
    assert synced().count() == 0


def test_an_answer_of_the_wrong_shape_is_an_error(server):
    server.pages[1] = json.dumps({"message": "no such index"}).encode()

    with pytest.raises(CommandError, match="no list of “results”"):
        sync(server, "--retries", "0")

    assert synced().count() == 0


def test_a_second_sync_updates_in_place_and_keeps_what_editors_added(server, users):
    sync(server)
    call = Instrument.objects.get(identifier=GENAI)
    history.save(call, user=users["editor"], m2m={"features": [Feature.objects.get(code="T1")]})
    call.refresh_from_db()
    call.notes = "Checked with the NCP"
    history.save(call, user=users["editor"])
    page = json.loads(recorded(1))
    for result in page["results"]:
        if result["metadata"]["identifier"] == [GENAI]:
            result["metadata"]["title"] = ["Generative AI for cybersecurity (updated)"]
    server.pages[1] = json.dumps(page).encode()

    out, _ = sync(server)

    assert "0 created, 1 updated, 4 unchanged" in out.splitlines()[0]
    call = Instrument.objects.get(identifier=GENAI)
    assert call.name == "Generative AI for cybersecurity (updated)"
    assert call.notes == "Checked with the NCP"
    assert list(call.features.values_list("code", flat=True)) == ["T1"]
    assert synced().count() == 4


def test_dry_run_reads_everything_and_writes_nothing(server):
    out, _ = sync(server, "--dry-run")

    assert out.startswith("Dry run, nothing written: 3 page(s), 9 of 9 records read: 4 created")
    assert synced().count() == 0


def test_an_empty_page_before_total_results_ends_the_reading(server):
    page = json.loads(recorded(1))
    page["totalResults"] = 50
    server.pages[1] = json.dumps(page).encode()
    del server.pages[3]

    out, _ = sync(server)

    assert server.page_numbers() == [1, 2, 3]
    assert out.startswith("3 page(s), 6 of 50 records read")
