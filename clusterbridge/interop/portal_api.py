"""Reading open and forthcoming calls from the EU Funding & Tenders Portal's public Search API.

The portal's own search page ("Calls for proposals", screen/opportunities/calls-for-proposals)
asks the European Commission's Search API, and so does this module, with the same request
(see docs/portal-sync.md):

    POST {base}/search-api/prod/rest/search?apiKey=SEDIA&text=***&pageSize=50&pageNumber=1
    multipart/form-data parts:
      query     {"bool": {"must": [{"terms": {"type": ["1", "2", "8"]}},
                                    {"terms": {"status": ["31094501", "31094502"]}}]}}
      languages ["en"]
      sort      {"order": "DESC", "field": "startDate"}

Type 1 is a grant topic, 2 a grant call, 8 a cascade-funding call (an EU project's open call
for third parties); status 31094501 is forthcoming, 31094502 open (31094503, closed, is not
asked for). Each answer holds `totalResults` and one page of `results`; pages are asked for
until `totalResults` records have been seen (or a page comes back empty).

Every page is fetched before anything is written: when the portal fails part-way (after its
retries), the caller gets a `PortalSyncError` and writes nothing. A page is retried, with
exponential backoff, on a timeout, a connection error, a 429 (honouring `Retry-After`), a
5xx, and a body that is not complete JSON (a page cut off in transit).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPException

DEFAULT_BASE_URL = "https://api.tech.ec.europa.eu"
SEARCH_PATH = "/search-api/prod/rest/search"
API_KEY = "SEDIA"
CALL_TYPES = ("1", "2", "8")
OPEN_STATUSES = ("31094501", "31094502")  # forthcoming, open
QUERY = {
    "bool": {
        "must": [
            {"terms": {"type": list(CALL_TYPES)}},
            {"terms": {"status": list(OPEN_STATUSES)}},
        ]
    }
}
LANGUAGES = ["en"]
SORT = {"order": "DESC", "field": "startDate"}
PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
TIMEOUT = 30.0  # seconds per request
RETRIES = 4  # further attempts per page after the first
BACKOFF = 2.0  # seconds before the first retry, doubled each time
MAX_WAIT = 60.0  # the longest pause between two attempts, Retry-After included
MAX_PAGES = 1000  # a guard against a server that never stops answering
USER_AGENT = "ClusterBridge sync_calls"

Sleep = Callable[[float], None]
PageSeen = Callable[[int, int, int], None]  # (page number, records so far, total results)


class PortalSyncError(RuntimeError):
    """The portal could not be read completely: nothing is written."""


@dataclass
class Fetched:
    pages: list[dict] = field(default_factory=list)
    total_results: int = 0
    retries: int = 0  # attempts repeated after a failure, over all pages

    @property
    def records(self) -> int:
        return sum(len(page.get("results") or []) for page in self.pages)


def search_url(base_url: str, page_number: int, page_size: int) -> str:
    base = base_url.rstrip("/")
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise PortalSyncError(f"“{base_url}” is not an http(s) address.")
    if not base.endswith(SEARCH_PATH):
        base += SEARCH_PATH
    query = urllib.parse.urlencode(
        {"apiKey": API_KEY, "text": "***", "pageSize": page_size, "pageNumber": page_number}
    )
    return f"{base}?{query}"


def _multipart(parts: dict[str, object]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    lines: list[bytes] = []
    for name, value in parts.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="blob"'.encode(),
            b"Content-Type: application/json",
            b"",
            json.dumps(value).encode(),
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    value = (error.headers or {}).get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def _describe(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return f"cannot connect ({error.reason})"
    if isinstance(error, TimeoutError):
        return "no answer within the time limit"
    return str(error) or type(error).__name__


def fetch_page(
    base_url: str,
    page_number: int,
    page_size: int,
    *,
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
    backoff: float = BACKOFF,
    sleep: Sleep = time.sleep,
) -> tuple[dict, int]:
    """One page of the search as a dict, and how many retries it took."""
    url = search_url(base_url, page_number, page_size)
    body, content_type = _multipart({"query": QUERY, "languages": LANGUAGES, "sort": SORT})
    attempt = 0
    while True:
        wait = backoff * (2**attempt)
        try:
            request = urllib.request.Request(  # noqa: S310 — http(s) only, see search_url
                url,
                data=body,
                method="POST",
                headers={
                    "Content-Type": content_type,
                    "Accept": "application/json",
                    "User-Agent": USER_AGENT,
                },
            )
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                raw = response.read()
            try:
                page = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise PortalSyncError("the answer is not complete JSON (cut off?)") from None
            if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise PortalSyncError("the answer has no list of “results”")
            return page, attempt
        except urllib.error.HTTPError as error:
            if error.code != 429 and error.code < 500:
                raise PortalSyncError(
                    f"page {page_number}: the portal answered {_describe(error)}."
                ) from None
            problem: BaseException = error
            wait = max(wait, _retry_after(error) or 0.0) if error.code == 429 else wait
        except (urllib.error.URLError, TimeoutError, HTTPException, ConnectionError) as error:
            problem = error
        except PortalSyncError as error:
            problem = error
        if attempt >= retries:
            raise PortalSyncError(
                f"page {page_number}: {_describe(problem)}, still after {retries + 1} attempts. "
                "Nothing was written; run the sync again later."
            )
        attempt += 1
        sleep(min(wait, MAX_WAIT))


def _total(page: dict, page_number: int) -> int:
    value = page.get("totalResults")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PortalSyncError(f"page {page_number}: the answer has no “totalResults”.")
    try:
        total = int(value)
    except ValueError:
        raise PortalSyncError(f"page {page_number}: “totalResults” is not a number.") from None
    if total < 0:
        raise PortalSyncError(f"page {page_number}: “totalResults” is negative.")
    return total


def fetch_all(
    base_url: str = DEFAULT_BASE_URL,
    *,
    page_size: int = PAGE_SIZE,
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
    backoff: float = BACKOFF,
    sleep: Sleep = time.sleep,
    on_page: PageSeen | None = None,
) -> Fetched:
    """Every page of open and forthcoming calls. Raises PortalSyncError when a page cannot be
    read after its retries."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    fetched = Fetched()
    page_number = 1
    while True:
        page, retried = fetch_page(
            base_url, page_number, page_size, timeout=timeout, retries=retries, backoff=backoff,
            sleep=sleep,
        )  # fmt: skip
        fetched.retries += retried
        total = _total(page, page_number)
        if page_number == 1:
            fetched.total_results = total
        fetched.pages.append(page)
        if on_page is not None:
            on_page(page_number, fetched.records, fetched.total_results)
        if not page["results"] or fetched.records >= fetched.total_results:
            break
        if page_number >= MAX_PAGES:
            raise PortalSyncError(
                f"more than {MAX_PAGES} pages: stopped, nothing was written. Use a larger "
                "--page-size."
            )
        page_number += 1
    return fetched
