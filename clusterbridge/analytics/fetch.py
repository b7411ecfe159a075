"""Read a regional dataset from Eurostat's public dissemination API (SDMX 2.1 REST, answered
as SDMX-CSV), one page per year when years are given, and import it like a file.

`base_url` points the reader at a mirror or, in the tests, at a local replay server; nothing
here runs unless a person runs `clusterbridge fetch_regional` (`make run` stays offline).
A page answered 404 holds no data for that year; a 5xx is tried again a few times, and a
fetch that still fails imports nothing.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

DEFAULT_BASE_URL = "https://ec.europa.eu/eurostat/api/dissemination"
ATTEMPTS = 3
TIMEOUT_SECONDS = 60


class FetchError(RuntimeError):
    pass


@dataclass
class FetchResult:
    content: bytes
    urls: list[str] = field(default_factory=list)
    empty_pages: list[str] = field(default_factory=list)
    retries: int = 0


def page_url(base_url: str, dataset: str, year: int | None = None) -> str:
    params = {"format": "SDMX-CSV"}
    if year is not None:
        params.update(startPeriod=str(year), endPeriod=str(year))
    return f"{base_url.rstrip('/')}/sdmx/2.1/data/{quote(dataset.upper())}?{urlencode(params)}"


def _get(url: str, result: FetchResult, pause: float) -> bytes | None:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return response.read()
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            if error.code >= 500 and attempt < ATTEMPTS:
                result.retries += 1
                time.sleep(pause * attempt)
                continue
            raise FetchError(f"{url} answered {error.code} {error.reason}.") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise FetchError(f"{url} could not be read: {error}.") from error
    raise FetchError(f"{url} failed {ATTEMPTS} times.")  # pragma: no cover


def fetch(
    dataset: str,
    *,
    base_url: str = DEFAULT_BASE_URL,
    years: list[int] | None = None,
    pause: float = 0.5,
) -> FetchResult:
    """The dataset as one SDMX-CSV text (the pages joined under the first page's header)."""
    result = FetchResult(content=b"")
    header: bytes | None = None
    lines: list[bytes] = []
    for year in years or [None]:
        url = page_url(base_url, dataset, year)
        result.urls.append(url)
        body = _get(url, result, pause)
        if body is None or not body.strip():
            result.empty_pages.append(url)
            continue
        page_lines = body.lstrip(b"\xef\xbb\xbf").splitlines()
        if header is None:
            header = page_lines[0]
        elif page_lines[0] != header:
            raise FetchError(f"{url} has other columns than the first page.")
        lines.extend(line for line in page_lines[1:] if line.strip())
    if header is None:
        raise FetchError(f"Eurostat holds no data for {dataset} in the years asked for.")
    result.content = b"\n".join([header, *lines]) + b"\n"
    return result
