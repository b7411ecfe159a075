"""Readers of the two formats in which Eurostat publishes its tables — the bulk TSV (first
cell `dim1,dim2,…,geo\\time` or `…,geo\\TIME_PERIOD`, one column per period, each cell a
value and its flags: `1234 `, `: `, `: c`, `567 p`) and SDMX-CSV (one observation per line:
`DATAFLOW,LAST UPDATE,freq,nace_r2,…,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG`, codes optionally
written `code:label`).

Pure functions with no Django import. A cell that is `:` (not available) or flagged `c`
(confidential) has no value — `None`, never zero — and keeps its flags. Every problem is a
`RowError` with the line and the column, as the spreadsheet imports report them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

GEO = "geo"
INDUSTRY_DIMENSIONS = ("nace_r2",)
# The Eurostat flags (its "Flags and special values" legend); unknown letters are refused.
FLAGS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}
CONFIDENTIAL = "c"

_CELL = re.compile(r"^(?P<value>:|[-+]?\d+(?:\.\d+)?)(?:\s*(?P<flags>[a-z]+))?$")
_GEO_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9_]{0,10}$")
_YEAR = re.compile(r"^(?P<year>\d{4})(?:-A1)?$")
_CODED = re.compile(r"^(?P<code>[A-Za-z0-9_\-]+):(?P<label>.*)$")


class EurostatFileError(ValueError):
    """The file is in neither format (its header is not one Eurostat writes)."""


@dataclass(frozen=True)
class Observation:
    series: str  # the other dimensions, e.g. "freq=A,indic_sb=V16110"
    geo: str
    industry: str
    period: int
    value: float | None
    flags: str
    line: int

    @property
    def confidential(self) -> bool:
        return CONFIDENTIAL in self.flags


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class ParsedFile:
    format: str  # "tsv" or "sdmx-csv"
    observations: list[Observation] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dataset_code: str = ""
    geo_labels: dict[str, str] = field(default_factory=dict)
    industry_labels: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.observations)


def parse(raw: bytes) -> ParsedFile:
    """Read a Eurostat TSV or SDMX-CSV file (recognised by its header)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EurostatFileError("The file is not UTF-8 text.") from error
    first = text.split("\n", 1)[0]
    if "\t" in first and "\\" in first.split("\t", 1)[0]:
        parsed = parse_tsv(text)
    elif "OBS_VALUE" in first and "TIME_PERIOD" in first:
        parsed = parse_sdmx_csv(text)
    else:
        raise EurostatFileError(
            "This is neither a Eurostat TSV file (first cell like “nace_r2,geo\\time”) nor "
            "SDMX-CSV (columns TIME_PERIOD and OBS_VALUE)."
        )
    _check_duplicates(parsed)
    if not parsed.observations and not parsed.errors:
        parsed.errors.append(RowError(1, "-", "The file holds no observation."))
    return parsed


def _cell(text: str, line: int, column: str, errors: list[RowError]):
    """`(value, flags)` of a TSV cell, or None after recording the error."""
    cleaned = text.strip()
    match = _CELL.match(cleaned)
    if match is None:
        errors.append(RowError(line, column, f"“{cleaned}” is not a number with flags."))
        return None
    flags = match["flags"] or ""
    unknown = sorted(set(flags) - set(FLAGS))
    if unknown:
        errors.append(RowError(line, column, f"Unknown flag “{''.join(unknown)}”."))
        return None
    raw_value = match["value"]
    value = None if raw_value == ":" or CONFIDENTIAL in flags else float(raw_value)
    if value is not None and value < 0:
        errors.append(RowError(line, column, "A count of persons cannot be negative."))
        return None
    return value, flags


def _series_key(dimensions: list[str], codes: list[str]) -> str:
    return ",".join(f"{d}={c}" for d, c in zip(dimensions, codes, strict=True))


def _split_dimensions(names: list[str], line: int, errors: list[RowError]):
    lowered = [n.strip().lower() for n in names]
    if GEO not in lowered:
        errors.append(RowError(line, "header", "No geo dimension."))
        return None
    industry = next((d for d in INDUSTRY_DIMENSIONS if d in lowered), None)
    if industry is None:
        errors.append(
            RowError(line, "header", "No industry dimension (nace_r2) — not a table by industry.")
        )
        return None
    return lowered, lowered.index(GEO), lowered.index(industry)


def _check_code(geo: str, line: int, errors: list[RowError]) -> bool:
    if not _GEO_CODE.match(geo):
        errors.append(RowError(line, GEO, f"“{geo}” is not a NUTS or country code."))
        return False
    return True


def parse_tsv(text: str) -> ParsedFile:
    parsed = ParsedFile(format="tsv")
    lines = text.splitlines()
    header = lines[0].split("\t")
    first, _, _time = header[0].partition("\\")
    found = _split_dimensions(first.split(","), 1, parsed.errors)
    if found is None:
        return parsed
    dimensions, geo_at, industry_at = found
    periods: list[int | None] = []
    for name in header[1:]:
        match = _YEAR.match(name.strip())
        if match is None:
            parsed.errors.append(RowError(1, name.strip(), "Not an annual period (e.g. 2021)."))
        periods.append(int(match["year"]) if match else None)
    if parsed.errors:
        return parsed
    others = [i for i in range(len(dimensions)) if i not in (geo_at, industry_at)]
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        codes = [c.strip() for c in cells[0].split(",")]
        if len(codes) != len(dimensions):
            parsed.errors.append(
                RowError(number, header[0], f"{len(codes)} codes for {len(dimensions)} dimensions.")
            )
            continue
        if len(cells) != len(header):
            parsed.errors.append(
                RowError(number, "-", f"{len(cells) - 1} values for {len(periods)} periods.")
            )
            continue
        geo, industry = codes[geo_at], codes[industry_at]
        if not _check_code(geo, number, parsed.errors):
            continue
        series = _series_key([dimensions[i] for i in others], [codes[i] for i in others])
        for period, cell in zip(periods, cells[1:], strict=True):
            read = _cell(cell, number, str(period), parsed.errors)
            if read is not None:
                parsed.observations.append(
                    Observation(series, geo, industry, period, read[0], read[1], number)
                )
    return parsed


def _coded(value: str) -> tuple[str, str]:
    match = _CODED.match(value.strip())
    return (match["code"], match["label"].strip()) if match else (value.strip(), "")


def parse_sdmx_csv(text: str) -> ParsedFile:
    parsed = ParsedFile(format="sdmx-csv")
    reader = csv.reader(io.StringIO(text))
    header = [_coded(name)[0] for name in next(reader)]
    skip = {"DATAFLOW", "LAST UPDATE", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"}
    names = [n for n in header if n not in skip]
    found = _split_dimensions(names, 1, parsed.errors)
    if found is None:
        return parsed
    index = {name: header.index(name) for name in header}
    dimensions = [n.lower() for n in names]
    geo_name = names[found[1]]
    industry_name = names[found[2]]
    others = [n for n in names if n not in (geo_name, industry_name)]
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            parsed.errors.append(
                RowError(number, "-", f"{len(row)} cells where the header has {len(header)}.")
            )
            continue
        if not parsed.dataset_code and "DATAFLOW" in index:
            # "ESTAT:SBS_R_NUTS06_R2(1.0)" → "sbs_r_nuts06_r2"
            flow = row[index["DATAFLOW"]].split(":")[-1].split("(")[0]
            parsed.dataset_code = flow.lower()
        geo, geo_label = _coded(row[index[geo_name]])
        industry, industry_label = _coded(row[index[industry_name]])
        if geo_label:
            parsed.geo_labels[geo] = geo_label
        if industry_label:
            parsed.industry_labels[industry] = industry_label
        if not _check_code(geo, number, parsed.errors):
            continue
        period_text = _coded(row[index["TIME_PERIOD"]])[0]
        match = _YEAR.match(period_text)
        if match is None:
            parsed.errors.append(
                RowError(number, "TIME_PERIOD", f"“{period_text}” is not an annual period.")
            )
            continue
        value_text = row[index["OBS_VALUE"]].strip() or ":"
        flags_text = _coded(row[index["OBS_FLAG"]])[0] if "OBS_FLAG" in index else ""
        if "CONF_STATUS" in index and _coded(row[index["CONF_STATUS"]])[0] == "C":
            flags_text += CONFIDENTIAL
        read = _cell(f"{value_text} {flags_text}", number, "OBS_VALUE", parsed.errors)
        if read is None:
            continue
        series = _series_key(
            [n.lower() for n in others], [_coded(row[index[n]])[0] for n in others]
        )
        parsed.observations.append(
            Observation(series, geo, industry, int(match["year"]), read[0], read[1], number)
        )
    del dimensions
    return parsed


def _check_duplicates(parsed: ParsedFile) -> None:
    seen: dict[tuple, int] = {}
    for obs in parsed.observations:
        key = (obs.series, obs.geo, obs.industry, obs.period)
        if key in seen:
            parsed.errors.append(
                RowError(
                    obs.line,
                    str(obs.period),
                    f"{obs.geo} {obs.industry} {obs.period} is also on line {seen[key]}.",
                )
            )
        else:
            seen[key] = obs.line


def nuts_level(geo: str) -> int | None:
    """0 for a country (AT), 1–3 for NUTS 1–3 (AT1, AT11, AT111); None for aggregates."""
    if "_" in geo or not _GEO_CODE.match(geo) or len(geo) > 5:
        return None
    return len(geo) - 2


def industry_level(code: str) -> str | None:
    """ "section" for A–U, "division" for C10 (a letter and two digits); None for
    aggregates such as B-N_S95_X_K or C10-C12, which the analysis leaves out."""
    if re.fullmatch(r"[A-U]", code):
        return "section"
    if re.fullmatch(r"[A-U]\d{2}", code):
        return "division"
    return None
