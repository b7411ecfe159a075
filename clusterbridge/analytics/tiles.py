"""A schematic map: one square tile per NUTS 2 region, grouped by country, shaded by location
quotient — drawn on the server as SVG. It is NOT geography: no NUTS 2 outlines could be
shipped (see docs/decisions.md), so the tiles say only which regions there are and how
specialised each is; the ranked table under it holds every number."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from clusterbridge.analytics.specialisation import LQ_THRESHOLD, Result

# Diverging bands around 1 (ColorBrewer "RdBu", blue for above 1); grey for no value.
BANDS = (
    (None, 0.8, "#f4a582", "below 0.8"),
    (0.8, 1.25, "#f7f7f7", "0.8 – 1.25"),
    (1.25, LQ_THRESHOLD, "#92c5de", f"1.25 – {LQ_THRESHOLD}"),
    (LQ_THRESHOLD, 2.0, "#4393c3", f"above {LQ_THRESHOLD} – 2"),
    (2.0, None, "#2166ac", "2 or more"),
)
NO_VALUE = "#d9d9d9"
WIDTH = 360  # viewBox units; the SVG is shown at about this many pixels on a phone
TILE = 48
GAP = 3
PER_ROW = 7
LABEL_HEIGHT = 20


def shade(lq: float | None) -> str:
    if lq is None:
        return NO_VALUE
    for low, high, colour, _label in BANDS:
        if (low is None or lq >= low) and (high is None or lq < high):
            return colour
    return BANDS[-1][2]  # pragma: no cover


def dark(colour: str) -> bool:
    return colour in ("#4393c3", "#2166ac")


@dataclass
class Tile:
    geo: str
    label: str
    x: int
    y: int
    fill: str
    text_fill: str
    lq_text: str
    title: str
    url: str
    node: bool


def layout(results: list[Result], labels: dict[str, str], country_labels: dict[str, str], url_of):
    by_country: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_country[result.geo[:2]].append(result)
    y = 0
    countries, tiles = [], []
    for country in sorted(by_country, key=lambda c: country_labels.get(c, c)):
        countries.append(
            {"code": country, "label": country_labels.get(country, country), "y": y + 15}
        )
        y += LABEL_HEIGHT
        regions = sorted(by_country[country], key=lambda r: r.geo)
        for index, result in enumerate(regions):
            column, row = index % PER_ROW, index // PER_ROW
            fill = shade(result.lq)
            lq_text = f"{result.lq:.2f}" if result.lq is not None else (result.status or "–")[:4]
            name = labels.get(result.geo, "")
            tiles.append(
                Tile(
                    geo=result.geo,
                    label=name,
                    x=column * (TILE + GAP),
                    y=y + row * (TILE + GAP),
                    fill=fill,
                    text_fill="#ffffff" if dark(fill) else "#1a1a1a",
                    lq_text=lq_text,
                    title=f"{result.geo}{' ' + name if name else ''}: LQ "
                    + (f"{result.lq:.2f}" if result.lq is not None else result.status),
                    url=url_of(result.geo),
                    node=result.is_node,
                )
            )
        y += ((len(regions) - 1) // PER_ROW + 1) * (TILE + GAP) + 6
    return {
        "width": WIDTH,
        "height": max(y, 1),
        "tile": TILE,
        "countries": countries,
        "tiles": tiles,
        "legend": [{"fill": colour, "label": label} for _l, _h, colour, label in BANDS],
        "no_value": NO_VALUE,
    }
