"""Reading the EU Funding & Tenders Portal's two public data formats into instrument values.

1. Search API responses (JSON saved from the portal's search endpoint): `results[]`, each
   with `language` and `metadata` whose values are lists of strings. A file may also hold a
   list of such responses (several saved pages).
2. The bulk reference file `grantsTenders.json`: `{"fundingData": {"GrantTenderObj": [...]}}`
   with typed values and dates in epoch milliseconds; it has no description and no budget.

Each topic becomes a `PortalTopic` whose `values` hold only the instrument fields that the
format provides (see PORTAL_FIELDS): an import never touches any other field.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from clusterbridge.interop.htmltext import html_to_text
from clusterbridge.interop.reports import ImportCounts

BRUSSELS = ZoneInfo("Europe/Brussels")
TOPIC_URL = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/{identifier}"
)

# Instrument fields the portal owns: an import sets these and nothing else. Everything an
# editor adds (features, country, target organisations, international funding, periodicity,
# notes, last review, archive date) is left as it is.
PORTAL_FIELDS = (
    "kind",
    "name",
    "identifier",
    "source",
    "origin",
    "cover_level",
    "link",
    "target_scope",
    "opening_date",
    "deadline_dates",
    "source_status",
    "description",
    "budget_amount",
    "budget_currency",
)
# The bulk file has no description and no budget: those stay as a Search API import left them.
BULK_FIELDS = tuple(
    f for f in PORTAL_FIELDS if f not in ("description", "budget_amount", "budget_currency")
)

# Types of record: 1 grant topic, 2 grant call, 8 cascade funding call (open calls of EU
# projects for third parties). 6 is a news update; anything else (tenders, …) is not a call.
CALL_TYPES = {"1": "grant topic", "2": "grant call", "8": "cascade funding call"}
SKIPPED_TYPES = {"0": "tender", "6": "news update"}

STATUS_CODES = {"31094501": "forthcoming", "31094502": "open", "31094503": "closed"}
STATUS_WORDS = {"forthcoming": "forthcoming", "open": "open", "closed": "closed"}

# Programme ids as the Search API gives them (the bulk file spells the name out).
PROGRAMMES = {
    "43108390": "Horizon Europe (HORIZON)",
    "43152860": "Digital Europe Programme (DIGITAL)",
}
PORTAL_NAME = "EU Funding & Tenders Portal"
PREFERRED_LANGUAGE = "en"
NAME_MAX = 300
IDENTIFIER_MAX = 120


class PortalFileError(ValueError):
    """The file as a whole cannot be read: nothing is imported."""


class RecordError(ValueError):
    """One record cannot be read: it is reported and left out."""


# A malformed record (wrong types, dates out of range) is reported and left out, whatever
# the exception it raises while being read; the rest of the file still imports.
UNREADABLE = (RecordError, ValueError, TypeError, AttributeError, KeyError, OverflowError, OSError)


@dataclass
class PortalTopic:
    position: int  # 1-based place of the record in the file
    identifier: str
    language: str
    values: dict[str, Any]


@dataclass
class RecordProblem:
    position: int
    identifier: str
    message: str

    def __str__(self) -> str:
        where = f"record {self.position}"
        if self.identifier:
            where += f" ({self.identifier})"
        return f"{where}: {self.message}"


@dataclass(kw_only=True)
class ImportReport(ImportCounts):
    """What an import of a portal file did (or, dry run, would do)."""

    format: str
    records: int = 0
    skipped: int = 0
    skipped_reasons: Counter = field(default_factory=Counter)
    errors: list[RecordProblem] = field(default_factory=list)
    created_identifiers: list[str] = field(default_factory=list)
    updated_identifiers: list[str] = field(default_factory=list)
    # What the preview shows before the commit: each new record (identifier, name, status,
    # deadline), records found under another spelling of their identifier, and new records
    # that probably duplicate an existing one (same name, another identifier).
    new_records: list[dict] = field(default_factory=list)
    identifier_variants: list[tuple[str, str]] = field(default_factory=list)
    probable_duplicates: list[dict] = field(default_factory=list)
    file_name: str = ""
    batches: int = 0  # committed batches of this run

    @property
    def format_label(self) -> str:
        return {"search": "Search API results", "bulk": "bulk file (grantsTenders.json)"}[
            self.format
        ]

    @property
    def skipped_list(self) -> list[tuple[str, int]]:
        return sorted(self.skipped_reasons.items())

    def counts(self) -> dict[str, int]:
        return {**super().counts(), "skipped": self.skipped, "errors": len(self.errors)}

    def summary(self) -> str:
        counts = ", ".join(
            f"{value} {'error' if name == 'errors' and value == 1 else name}"
            for name, value in self.counts().items()
        )
        what = f"{self.records} records in the {self.format_label}"
        return f"{self.headline(what, 'record')}: {counts}."


@dataclass
class PortalFile:
    format: str  # "search" or "bulk"
    topics: list[PortalTopic] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason → count
    errors: list[RecordProblem] = field(default_factory=list)
    records: int = 0

    @property
    def fields(self) -> tuple[str, ...]:
        return PORTAL_FIELDS if self.format == "search" else BULK_FIELDS


# Dates ------------------------------------------------------------------------------------
def brussels_date(value: Any) -> datetime.date:
    """A portal time stamp as the calendar date in Brussels.

    The portal stores midnight in Brussels as the previous evening in UTC
    ("2025-09-15T22:00:00.000+0000" is 16 September), so the date is read in Brussels time.
    Accepts ISO text with a time zone, a plain ISO date, or epoch milliseconds.
    """
    if isinstance(value, bool):
        raise RecordError(f"“{value}” is not a date")
    if isinstance(value, int | float):
        moment = datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)
        return moment.astimezone(BRUSSELS).date()
    text = str(value or "").strip()
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise RecordError(f"“{text}” is not a date the portal writes") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(BRUSSELS).date()


# Shared mapping -------------------------------------------------------------------------------
def _status(code: Any) -> str:
    text = str(code or "").strip()
    return STATUS_CODES.get(text) or STATUS_WORDS.get(text.lower(), "")


def _words(values: Any) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    seen: dict[str, None] = {}
    for value in values:
        text = " ".join(str(value).split())
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _deadlines(dates: list[datetime.date], model: str) -> tuple[list[str], str]:
    """(deadline_dates, a note for two-stage calls).

    For a two-stage call only the first-stage date is a deadline for new applicants; the
    second stage is for invited applicants, so it is noted in the scope text instead of
    keeping the call in the open list after first-stage submissions have closed.
    """
    ordered = sorted(set(dates))
    if model == "two-stage" and len(ordered) > 1:
        later = ", ".join(d.isoformat() for d in ordered[1:])
        return [ordered[0].isoformat()], f"second stage (invited applicants only): {later}"
    return [d.isoformat() for d in ordered], ""


def _scope_text(
    *,
    call_identifier: str,
    call_title: str,
    deadline_model: str,
    stage_note: str,
    keywords: list[str],
    tags: list[str],
    priorities: list[str],
    record_type: str,
) -> str:
    lines = []
    if call_identifier or call_title:
        lines.append("Call: " + " – ".join(p for p in (call_identifier, call_title) if p))
    if record_type == "8":
        lines.append("Cascade funding: open call of an EU-funded project for third parties")
    if deadline_model:
        lines.append(
            "Deadline model: " + deadline_model + (f"; {stage_note}" if stage_note else "")
        )
    if keywords:
        lines.append("Keywords: " + "; ".join(keywords))
    if tags:
        lines.append("Tags: " + "; ".join(tags))
    if priorities:
        lines.append("Cross-cutting priorities: " + "; ".join(priorities))
    return "\n".join(lines)


def _common_values(
    *,
    identifier: str,
    title: str,
    source: str,
    status: str,
    scope: str,
    opening: datetime.date | None,
    deadlines: list[str],
) -> dict[str, Any]:
    if not identifier:
        raise RecordError("it has no identifier")
    if len(identifier) > IDENTIFIER_MAX:
        raise RecordError(f"its identifier is longer than {IDENTIFIER_MAX} characters")
    if not title:
        raise RecordError("it has no title")
    return {
        "kind": "call",
        "name": title[:NAME_MAX],
        "identifier": identifier,
        "source": source,
        "origin": "international",
        "cover_level": "eu",
        "link": TOPIC_URL.format(identifier=identifier),
        "target_scope": scope,
        "opening_date": opening,
        "deadline_dates": deadlines,
        "source_status": status,
    }


# Search API -----------------------------------------------------------------------------------
def _first(meta: dict, key: str) -> str:
    values = meta.get(key)
    if isinstance(values, list):
        values = values[0] if values else ""
    return " ".join(str(values or "").split())


def _embedded_json(meta: dict, key: str) -> Any:
    """`actions` and `budgetOverview` are JSON text inside a one-element list."""
    text = _raw_first(meta, key).strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise RecordError(f"its {key} is not readable JSON") from None


def _money(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise RecordError(f"budget figure “{value}” is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise RecordError(f"budget figure “{value}” is not an amount")
    return amount


def topic_budget(overview: Any, identifier: str) -> tuple[Decimal | None, dict]:
    """The topic's own budget: the sum of `budgetYearMap` over the actions of
    `budgetTopicActionMap` that belong to this topic ("<identifier> - <type of action>"),
    and its contribution range and expected grants when given."""
    if not isinstance(overview, dict):
        return None, {}
    action_map = overview.get("budgetTopicActionMap") or {}
    if not isinstance(action_map, dict):
        raise RecordError("its budgetOverview has no readable budgetTopicActionMap")
    total: Decimal | None = None
    details: dict = {}
    for entries in action_map.values():
        for entry in entries if isinstance(entries, list) else []:
            action = str(entry.get("action") or "").strip()
            if action != identifier and not action.startswith(identifier + " "):
                continue
            for amount in (entry.get("budgetYearMap") or {}).values():
                total = (total or Decimal(0)) + _money(amount)
            for key in ("minContribution", "maxContribution", "expectedGrants"):
                if entry.get(key) not in (None, ""):
                    details[key] = _money(entry[key])
    if total is not None:
        total = total.quantize(Decimal("0.01"))
    return total, details


def _budget_paragraph(details: dict) -> str:
    parts = []
    low, high = details.get("minContribution"), details.get("maxContribution")
    if low is not None and high is not None and low != high:
        parts.append(f"EU contribution per project between EUR {low:,.0f} and EUR {high:,.0f}")
    elif high is not None or low is not None:
        parts.append(f"EU contribution per project about EUR {(high or low):,.0f}")
    if details.get("expectedGrants") is not None:
        parts.append(f"indicative number of grants: {details['expectedGrants']:,.0f}")
    return ("Budget: " + "; ".join(parts) + ".") if parts else ""


def _search_topic(result: Any, position: int) -> tuple[str, PortalTopic | None]:
    """(record type, topic or None when the type is skipped)."""
    if not isinstance(result, dict) or not isinstance(result.get("metadata"), dict):
        raise RecordError("it has no metadata")
    meta = result["metadata"]
    record_type = _first(meta, "type")
    identifier = _first(meta, "identifier")
    if record_type not in CALL_TYPES:
        return record_type, None
    actions = _embedded_json(meta, "actions")
    action = (
        actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], dict) else {}
    )
    deadline_model = _first(meta, "deadlineModel") or str(
        (action.get("submissionProcedure") or {}).get("abbreviation") or ""
    )
    raw_deadlines = meta.get("deadlineDate") or action.get("deadlineDates") or []
    if isinstance(raw_deadlines, str):
        raw_deadlines = [raw_deadlines]
    deadlines, stage_note = _deadlines([brussels_date(v) for v in raw_deadlines], deadline_model)
    start = _first(meta, "startDate") or str(action.get("plannedOpeningDate") or "")
    programme = _first(meta, "frameworkProgramme")
    values = _common_values(
        identifier=identifier,
        title=_first(meta, "title") or str(result.get("summary") or "").strip(),
        source=PROGRAMMES.get(programme, PORTAL_NAME),
        status=_status(_first(meta, "status")),
        scope=_scope_text(
            call_identifier=_first(meta, "callIdentifier"),
            call_title=_first(meta, "callTitle"),
            deadline_model=deadline_model,
            stage_note=stage_note,
            keywords=_words(meta.get("keywords")),
            tags=_words(meta.get("tags")),
            priorities=_words(meta.get("crossCuttingPriorities")),
            record_type=record_type,
        ),
        opening=brussels_date(start) if start else None,
        deadlines=deadlines,
    )
    budget, details = topic_budget(_embedded_json(meta, "budgetOverview"), identifier)
    description = html_to_text(_raw_first(meta, "descriptionByte"))
    budget_text = _budget_paragraph(details)
    values["description"] = "\n\n".join(p for p in (description, budget_text) if p)
    values["budget_amount"] = budget
    values["budget_currency"] = "EUR" if budget is not None else ""
    language = str(result.get("language") or "").strip().lower()
    return record_type, PortalTopic(position, identifier, language, values)


def _raw_first(meta: dict, key: str) -> str:
    values = meta.get(key)
    if isinstance(values, list):
        values = values[0] if values else ""
    return str(values or "")


def _read_search(pages: list, parsed: PortalFile) -> None:
    by_identifier: dict[str, PortalTopic] = {}
    position = 0
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("results"), list):
            raise PortalFileError("A page of Search API results has no “results” list.")
        for result in page["results"]:
            position += 1
            identifier = ""
            try:
                identifier = (
                    _first((result or {}).get("metadata") or {}, "identifier")
                    if isinstance(result, dict)
                    else ""
                )
                record_type, topic = _search_topic(result, position)
            except UNREADABLE as error:
                parsed.errors.append(RecordProblem(position, identifier, str(error)))
                continue
            if topic is None:
                parsed.skipped[_type_reason(record_type)] += 1
                continue
            kept = by_identifier.get(topic.identifier)
            if kept is None:
                by_identifier[topic.identifier] = topic
                continue
            # The same topic once per language: keep English, else the first one read.
            parsed.skipped["same topic in another language"] += 1
            if topic.language == PREFERRED_LANGUAGE and kept.language != PREFERRED_LANGUAGE:
                topic.position = kept.position
                by_identifier[topic.identifier] = topic
    parsed.records = position
    parsed.topics = list(by_identifier.values())


def _type_reason(record_type: str) -> str:
    if record_type in SKIPPED_TYPES:
        return f"{SKIPPED_TYPES[record_type]} (type {record_type})"
    return f"not a call (type {record_type or 'missing'})"


# Bulk file ------------------------------------------------------------------------------------
def _bulk_topic(item: Any, position: int) -> tuple[str, PortalTopic | None]:
    if not isinstance(item, dict):
        raise RecordError("it is not an object")
    record_type = str(item.get("type", "")).strip()
    if record_type not in CALL_TYPES:
        return record_type, None
    identifier = " ".join(str(item.get("identifier") or "").split())
    status = item.get("status") or {}
    if isinstance(status, dict):
        status_code = status.get("id") or status.get("abbreviation")
    else:
        status_code = status
    programme = item.get("frameworkProgramme") or {}
    if isinstance(programme, dict):
        source = str(programme.get("description") or "").strip() or PROGRAMMES.get(
            str(programme.get("id")), PORTAL_NAME
        )
    else:
        source = PROGRAMMES.get(str(programme), PORTAL_NAME)
    deadline_model = str(item.get("deadlineModel") or "").strip()
    raw_deadlines = item.get("deadlineDatesLong") or []
    if not isinstance(raw_deadlines, list):
        raw_deadlines = [raw_deadlines]
    for value in raw_deadlines:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise RecordError(f"deadline “{value}” is not a time in milliseconds")
    deadlines, stage_note = _deadlines([brussels_date(v) for v in raw_deadlines], deadline_model)
    opening = item.get("plannedOpeningDateLong")
    if opening is not None and (not isinstance(opening, int | float) or isinstance(opening, bool)):
        raise RecordError(f"opening date “{opening}” is not a time in milliseconds")
    values = _common_values(
        identifier=identifier,
        title=" ".join(str(item.get("title") or "").split()),
        source=source,
        status=_status(status_code),
        scope=_scope_text(
            call_identifier=str(item.get("callIdentifier") or "").strip(),
            call_title=" ".join(str(item.get("callTitle") or "").split()),
            deadline_model=deadline_model,
            stage_note=stage_note,
            keywords=_words(item.get("keywords")),
            tags=_words(item.get("tags")),
            priorities=_words(item.get("crossCuttingPriorities")),
            record_type=record_type,
        ),
        opening=brussels_date(opening) if opening is not None else None,
        deadlines=deadlines,
    )
    return record_type, PortalTopic(position, identifier, "", values)


def _read_bulk(data: dict, parsed: PortalFile) -> None:
    funding = data.get("fundingData")
    items = funding.get("GrantTenderObj") if isinstance(funding, dict) else None
    if not isinstance(items, list):
        raise PortalFileError("The bulk file has no “fundingData” → “GrantTenderObj” list.")
    by_identifier: dict[str, PortalTopic] = {}
    for position, item in enumerate(items, start=1):
        identifier = str(item.get("identifier") or "") if isinstance(item, dict) else ""
        try:
            record_type, topic = _bulk_topic(item, position)
        except UNREADABLE as error:
            parsed.errors.append(RecordProblem(position, identifier, str(error)))
            continue
        if topic is None:
            parsed.skipped[_type_reason(record_type)] += 1
        elif topic.identifier in by_identifier:
            parsed.skipped["listed twice in the file"] += 1
        else:
            by_identifier[topic.identifier] = topic
    parsed.records = len(items)
    parsed.topics = list(by_identifier.values())


# Entry point ----------------------------------------------------------------------------------
def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PortalFileError(
            "The file is not text in UTF-8: expected a JSON file from the EU Funding & "
            "Tenders Portal (Search API results or grantsTenders.json)."
        ) from None


def parse(raw: bytes) -> PortalFile:
    """Read a portal file; the format is recognised from its content."""
    if raw[:4] == b"PK\x03\x04":
        raise PortalFileError(
            "This is a spreadsheet or a zip archive, not a portal JSON file. Spreadsheets are "
            "imported on the spreadsheet import page."
        )
    text = _decode(raw)
    stripped = text.lstrip()
    if not stripped:
        raise PortalFileError("The file is empty.")
    if stripped[0] not in "{[":
        raise PortalFileError(
            "This is not JSON: expected Search API results or grantsTenders.json from the EU "
            "Funding & Tenders Portal."
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        at_end = error.pos >= len(text.rstrip()) - 1 or error.msg.startswith("Unterminated")
        if at_end:
            raise PortalFileError(
                "The file ends before its JSON is complete: it was probably cut off while "
                "downloading. Nothing was imported."
            ) from None
        raise PortalFileError(
            f"The file is not valid JSON: {error.msg.lower()} (line {error.lineno}, column "
            f"{error.colno}). Nothing was imported."
        ) from None
    if isinstance(data, dict) and "fundingData" in data:
        parsed = PortalFile("bulk")
        _read_bulk(data, parsed)
    elif isinstance(data, dict) and "results" in data:
        parsed = PortalFile("search")
        _read_search([data], parsed)
    elif (
        isinstance(data, list)
        and data
        and all(isinstance(p, dict) and "results" in p for p in data)
    ):
        parsed = PortalFile("search")
        _read_search(data, parsed)
    else:
        raise PortalFileError(
            "This JSON is not from the EU Funding & Tenders Portal: expected Search API "
            "results (“results”) or the bulk file grantsTenders.json (“fundingData”)."
        )
    return parsed
