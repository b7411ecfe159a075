"""Location quotients and specialisation nodes (seed 002 L370–377, L700), pure Python.

For region r and industry i, with E the employment counts of one period:

    LQ(r, i) = (E[r, i] / E[r]) / (E[i] / E)

E[r] is the region's employment over the industries of the analysis, E[i] the industry's
employment over all the regions of the analysis (the reference area: "all regions and
countries considered in the analysis", seed 002 L700), E their total. Seed 002 L375–376:

- industry-relevant node: LQ > 1.5 and the industry > 1 % of total employment in the
  reference area (E[i] / E > 0.01);
- region-relevant node: LQ > 1.5 and the industry > 1 % of the region's own employment
  (E[r, i] / E[r] > 0.01).

A confidential (`c`) or missing (`:`) cell has no value: its LQ is not computed (never taken
as zero), and the totals are sums of the known values, each saying how many cells they
leave out. docs/analytics.md states these rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LQ_THRESHOLD = 1.5
SHARE_THRESHOLD = 0.01


@dataclass(frozen=True)
class Cell:
    geo: str
    industry: str
    value: float | None
    flags: str = ""


@dataclass
class Result:
    geo: str
    industry: str
    employment: float | None
    flags: str
    region_total: float
    industry_total: float
    reference_total: float
    lq: float | None
    share_of_region: float | None
    industry_share_of_reference: float | None
    industry_node: bool
    region_node: bool
    left_out: int = 0  # unknown cells inside an aggregate (ecosystem) value

    @property
    def confidential(self) -> bool:
        return "c" in self.flags

    @property
    def is_node(self) -> bool:
        return self.industry_node or self.region_node

    @property
    def status(self) -> str:
        if self.employment is None:
            return "confidential" if self.confidential else "not available"
        return ""


@dataclass
class Analysis:
    results: list[Result] = field(default_factory=list)
    region_totals: dict[str, float] = field(default_factory=dict)
    industry_totals: dict[str, float] = field(default_factory=dict)
    reference_total: float = 0.0
    unknown_cells: int = 0

    def for_industry(self, industry: str) -> list[Result]:
        return [r for r in self.results if r.industry == industry]

    def for_region(self, geo: str) -> list[Result]:
        return [r for r in self.results if r.geo == geo]

    def nodes(self) -> list[Result]:
        return [r for r in self.results if r.is_node]


def _aggregate(cells: Iterable[Cell], groups: Mapping[str, Iterable[str]] | None):
    """Cells by (geo, group): a group's value is the sum of its known cells; flags are the
    union; the count of unknown cells it leaves out is kept."""
    if groups is None:
        return {(c.geo, c.industry): (c.value, c.flags, 0) for c in cells}
    member_of: dict[str, list[str]] = defaultdict(list)
    for group, members in groups.items():
        for member in members:
            member_of[member].append(group)
    out: dict[tuple[str, str], list] = {}
    for cell in cells:
        for group in member_of.get(cell.industry, ()):
            entry = out.setdefault((cell.geo, group), [None, set(), 0])
            if cell.value is None:
                entry[2] += 1
            else:
                entry[0] = (entry[0] or 0.0) + cell.value
            entry[1].update(cell.flags)
    return {key: (v, "".join(sorted(f)), n) for key, (v, f, n) in out.items()}


def analyse(cells: Iterable[Cell], groups: Mapping[str, Iterable[str]] | None = None) -> Analysis:
    """LQs and nodes of every (region, industry) cell; with `groups` (ecosystem → industry
    codes) the same for each group, its employment the sum of its industries'. Region and
    reference totals are always over the industries themselves, not the groups."""
    cells = list(cells)
    analysis = Analysis()
    region_totals: dict[str, float] = defaultdict(float)
    for cell in cells:
        if cell.value is None:
            analysis.unknown_cells += 1
        else:
            region_totals[cell.geo] += cell.value
    values = _aggregate(cells, groups)
    industry_totals: dict[str, float] = defaultdict(float)
    for (_geo, industry), (value, _flags, _n) in values.items():
        if value is not None:
            industry_totals[industry] += value
    reference = sum(region_totals.values())
    analysis.region_totals = dict(region_totals)
    analysis.industry_totals = dict(industry_totals)
    analysis.reference_total = reference
    for (geo, industry), (value, flags, left_out) in sorted(values.items()):
        region_total = region_totals.get(geo, 0.0)
        industry_total = industry_totals.get(industry, 0.0)
        industry_share = industry_total / reference if reference else None
        lq = share = None
        if value is not None and region_total and industry_share:
            share = value / region_total
            lq = share / industry_share
        above = lq is not None and lq > LQ_THRESHOLD
        analysis.results.append(
            Result(
                geo=geo,
                industry=industry,
                employment=value,
                flags=flags,
                region_total=region_total,
                industry_total=industry_total,
                reference_total=reference,
                lq=lq,
                share_of_region=share,
                industry_share_of_reference=industry_share,
                industry_node=above
                and industry_share is not None
                and industry_share > SHARE_THRESHOLD,
                region_node=above and share is not None and share > SHARE_THRESHOLD,
                left_out=left_out,
            )
        )
    return analysis
