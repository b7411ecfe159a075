"""The landscape: how many published clusters per country, ecosystem and label, as bar
charts and a map of Europe drawn on the server from shipped outlines
(clusterbridge/data/geo/europe.json — no map tiles, nothing fetched)."""

from collections import Counter
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from clusterbridge.clusters.filtersets import facets
from clusterbridge.clusters.models import Cluster, LabelLevel
from clusterbridge.core.reference import read_json
from clusterbridge.taxonomy.models import Country

# Sequential blues, light to dark (ColorBrewer “Blues”), and grey for no cluster.
SHADES = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_CLUSTER = "#f0f0f0"
CONTEXT = "#fafafa"
# Labels longer than this are shortened on the chart; the full label stays in the link's
# title and in the table under the chart.
LABEL_CHARACTERS = 48
BAR_SHARE = 85  # % of the track the longest bar takes


def _link(**params) -> str:
    return reverse("clusters:directory") + "?" + urlencode(params)


def bar_chart(items: list[dict], parameter: str, title: str, empty_text: str) -> dict:
    """A horizontal bar chart drawn in HTML: each bar's length is a share of the longest
    (a percentage, so the chart fits any screen while its text keeps the page's size),
    and each bar links to the directory filtered by its value. A chart whose counts are
    all zero is `empty` and says `empty_text` instead of drawing zeros."""
    top = max((item["count"] for item in items), default=0)
    bars = [
        dict(
            item,
            percent=round(100 * item["count"] / top, 1) if top else 0,
            # The bar's share of its track; the rest keeps room for the count beside it.
            bar_width=round(BAR_SHARE * item["count"] / top, 1) if top else 0,
            short_label=_shorten(item["label"]),
            url=_link(**{parameter: item["value"]}),
        )
        for item in items
    ]
    return {
        "title": title,
        "bars": bars,
        "parameter": parameter,
        "empty": top == 0,
        "empty_text": empty_text,
        # The table under the chart also counts expired labels: kept when those exist.
        "has_table": any(item.get(k) for item in items for k in ("count", "expired", "unknown")),
    }


def _shorten(label: str) -> str:
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"


# Doubling bands (1, 2–3, 4–7, 8–15, 16+): a few countries with many clusters would
# otherwise leave every other country in the lightest shade.
BANDS = ((1, 1), (2, 3), (4, 7), (8, 15), (16, None))


def _shade(count: int) -> str:
    if not count:
        return NO_CLUSTER
    return SHADES[min(len(SHADES) - 1, count.bit_length() - 1)]


def europe_map(by_country: dict[str, int]) -> dict:
    geometry = read_json("geo/europe.json")
    labels = dict(Country.objects.values_list("code", "label"))
    countries = [
        {
            "code": code,
            "label": labels.get(code, code),
            "paths": paths,
            "count": by_country.get(code, 0),
            "fill": _shade(by_country.get(code, 0)),
            "url": _link(country=code),
        }
        for code, paths in geometry["countries"].items()
    ]
    legend = [
        {"fill": shade, "low": low, "high": high}
        for shade, (low, high) in zip(SHADES, BANDS, strict=True)
    ]
    return {
        "view_box": " ".join(str(v) for v in geometry["view_box"]),
        "countries": countries,
        "context": [p for paths in geometry["context"].values() for p in paths],
        "context_fill": CONTEXT,
        "no_cluster": NO_CLUSTER,
        "legend": legend,
        "source": geometry["source"],
        "licence": geometry["licence"],
    }


def label_counts(queryset) -> list[dict]:
    today = timezone.localdate()
    counts: Counter = Counter()
    for level, expires in queryset.exclude(label_level="").values_list(
        "label_level", "label_expires"
    ):
        state = "unknown" if expires is None else ("valid" if expires >= today else "expired")
        counts[(level, state)] += 1
    return [
        {
            "value": level,
            "label": label,
            "count": counts[(level, "valid")],
            "expired": counts[(level, "expired")],
            "unknown": counts[(level, "unknown")],
        }
        for level, label in reversed(LabelLevel.choices)
    ]


def build() -> dict:
    public = Cluster.objects.public()
    counts = facets(public)
    by_country = sorted(counts["country"], key=lambda item: (-item["count"], item["label"]))
    by_ecosystem = sorted(counts["ecosystem"], key=lambda item: (-item["count"], item["label"]))
    labels = label_counts(public)
    return {
        "total": public.count(),
        "charts": [
            bar_chart(by_country, "country", "Clusters per country", "No published cluster yet."),
            bar_chart(
                by_ecosystem,
                "ecosystem",
                "Clusters per industrial ecosystem",
                "No published cluster is classified by industrial ecosystem yet.",
            ),
            bar_chart(
                labels,
                "label",
                "Clusters with a valid quality label",
                "No published cluster holds a valid quality label.",
            ),
        ],
        "labels": labels,
        "map": europe_map({item["value"]: item["count"] for item in counts["country"]}),
    }
