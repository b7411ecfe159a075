"""The specialisation analysis of one imported dataset: which series (employment), year and
NACE level it uses, the ecosystem mapping, and the results as rows for pages, API and
downloads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from clusterbridge.analytics import specialisation
from clusterbridge.analytics.eurostat import industry_level, nuts_level
from clusterbridge.analytics.models import RegionalDataset, RegionalValue
from clusterbridge.core.reference import read_json

MAPPING_FILE = "analytics/nace_ecosystems.json"
# Series codes known to count persons employed: sbs_r_nuts06_r2's V16110 ("Persons
# employed - number"). Another series is used only when the dataset has no such one.
EMPLOYMENT_SERIES_CODES = ("indic_sb=V16110",)


@cache
def mapping() -> dict:
    return read_json(MAPPING_FILE)


def ecosystem_groups(level: str) -> dict[str, list[str]]:
    key = "divisions" if level == "division" else "sections"
    return {eco: [entry["code"] for entry in entries] for eco, entries in mapping()[key].items()}


def mapping_doubts(level: str) -> dict[str, str]:
    key = "divisions" if level == "division" else "sections"
    return {
        entry["code"]: entry["doubt"]
        for entries in mapping()[key].values()
        for entry in entries
        if entry.get("doubt")
    }


def default_series(dataset: RegionalDataset) -> str:
    series = list(dataset.series or [])
    for candidate in series:
        if any(code in candidate for code in EMPLOYMENT_SERIES_CODES):
            return candidate
    return series[0] if series else ""


@dataclass
class Choice:
    dataset: RegionalDataset
    series: str
    period: int
    level: str  # "division" or "section"


def choose(dataset: RegionalDataset, series: str = "", period: str | int = "") -> Choice:
    series = series if series in (dataset.series or []) else default_series(dataset)
    periods = sorted(dataset.periods or [])
    try:
        year = int(period)
    except (TypeError, ValueError):
        year = 0
    if year not in periods:
        year = periods[-1] if periods else 0
    industries = set(
        RegionalValue.objects.filter(dataset=dataset, series=series, period=year)
        .values_list("industry", flat=True)
        .distinct()
    )
    level = "division" if any(industry_level(i) == "division" for i in industries) else "section"
    return Choice(dataset, series, year, level)


def cells(choice: Choice) -> list[specialisation.Cell]:
    """The NUTS 2 cells of the chosen series, year and NACE level."""
    rows = RegionalValue.objects.filter(
        dataset=choice.dataset, series=choice.series, period=choice.period
    ).values_list("geo", "industry", "value", "flags")
    return [
        specialisation.Cell(geo, industry, value, flags)
        for geo, industry, value, flags in rows
        if nuts_level(geo) == 2 and industry_level(industry) == choice.level
    ]


def analyse(choice: Choice, *, by_ecosystem: bool = False) -> specialisation.Analysis:
    groups = ecosystem_groups(choice.level) if by_ecosystem else None
    return specialisation.analyse(cells(choice), groups)


def latest_dataset() -> RegionalDataset | None:
    return RegionalDataset.objects.real().order_by("-imported_at", "code").first()


_ANALYSES: dict[tuple, object] = {}


def cached_analysis(choice: Choice, *, by_ecosystem: bool):
    """The analysis of a dataset version, kept in this process (a re-import adds a version)."""
    key = (choice.dataset.pk, choice.dataset.version, choice.series, choice.period, by_ecosystem)
    if key not in _ANALYSES:
        if len(_ANALYSES) > 16:
            _ANALYSES.clear()
        _ANALYSES[key] = analyse(choice, by_ecosystem=by_ecosystem)
    return _ANALYSES[key]


def region_of(country_code: str, region_text: str, dataset: RegionalDataset) -> str | None:
    """The NUTS 2 code whose name (from the dataset's labels) a cluster's region names."""
    from clusterbridge.core.search import fold

    wanted = fold(region_text or "").strip()
    if not wanted or not country_code:
        return None
    for geo, label in (dataset.geo_labels or {}).items():
        if nuts_level(geo) != 2 or not geo.startswith(country_code):
            continue
        name = fold(label)
        if name and (name in wanted or wanted in name):
            return geo
    return None
