"""Match results as tables for the pages and the CSV / XLSX downloads."""

from collections.abc import Sequence

from clusterbridge.core.spreadsheets import Table
from clusterbridge.matching import engine
from clusterbridge.matching.services import Result, with_instruments


def join(values: Sequence[str]) -> str:
    return ", ".join(v for v in values if v)


def _scope(instrument) -> str:
    if instrument.origin == instrument.Origin.INTERNATIONAL:
        return "International"
    return instrument.country.label if instrument.country else "National (country not recorded)"


def _period(instrument) -> str:
    start, end = instrument.period_start, instrument.period_end
    if not (start or end):
        return ""
    return f"{start.isoformat() if start else '?'} – {end.isoformat() if end else '?'}"


def results_table(results: list[Result], *, start: int = 1) -> Table:
    header = [
        [
            "Rank",
            "Instrument",
            "Score (%)",
            "Fits because",
            "Missing",
            "Next deadline",
            "Status",
            "Why this status",
            "Programme period",
            "For applicants from",
        ]
    ]
    rows = [
        [
            start + n,
            r.instrument.name,
            r.match.percent,
            join(
                [label for _, label in r.shared]
                + [f"{label} ({engine.SUGGESTED_LABEL})" for _, label in r.suggested]
            ),
            join([label for _, label in r.missing]),
            r.match.deadline.isoformat() if r.match.deadline else "",
            r.match.status,
            r.instrument.status_reason(),
            _period(r.instrument),
            _scope(r.instrument),
        ]
        for n, r in enumerate(results)
    ]
    return Table("Matching instruments", header, rows)


def match_matrix(projects: list, profiles: list[engine.Profile], *, top: int) -> Table:
    """Projects (columns; any records with a name and a country) × the instruments among each
    one's best `top` (rows); a cell holds the score in % wherever the pair is eligible and
    shares a feature (seed 001 fig. 3)."""
    best: dict[int, float] = {}
    for matches in engine.rank_many(profiles, limit=top):
        for match in matches:
            best[match.instrument_id] = max(best.get(match.instrument_id, 0), match.score)
    cells = engine.score_table(profiles, list(best))
    results = with_instruments([engine.Match(pk, 0, 0, [], [], None, "open", None) for pk in best])
    results.sort(key=lambda r: (-best[r.match.instrument_id], r.instrument.name))
    header = [
        ["Instrument", "For applicants from", *(p.name for p in projects)],
        ["", "Project country", *(p.country.label if p.country else "" for p in projects)],
    ]
    rows = []
    for result in results:
        pk = result.match.instrument_id
        row = [result.instrument.name, _scope(result.instrument)]
        for position in range(len(projects)):
            match = cells.get((position, pk))
            row.append(match.percent if match else "")
        rows.append(row)
    return Table("Match matrix", header, rows)
