"""The landscape: counts per country, ecosystem and label as linked bars, and a map of
Europe drawn from the shipped outlines, each country linking to the filtered directory."""

import re

import pytest

from clusterbridge.clusters.models import Cluster

pytestmark = pytest.mark.django_db


@pytest.fixture
def html(client):
    response = client.get("/clusters/landscape/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_country_on_the_map_links_to_the_directory(html):
    german = Cluster.objects.public().filter(country__code="DE").count() + 1  # + cross-border NECC
    assert f'<a href="/clusters/?country=DE" aria-label="Germany: {german} clusters">' in html
    assert '<a href="/clusters/?country=IS" aria-label="Iceland: 0 clusters">' in html
    assert len(re.findall(r'<a href="/clusters/\?country=', html)) >= 44 * 2  # map + bars
    assert "<svg viewBox=" in html and "tile" not in html.lower()


def _fill(html, country):
    pattern = (
        rf'aria-label="{country}: \d+ clusters?"><title>[^<]*</title><path d="[^"]*" fill="(#\w+)"'
    )
    return re.search(pattern, html)[1]


def test_countries_are_shaded_by_count(html):
    # Finland has the most clusters (seed 003 lists 34 ECCP clusters there).
    assert _fill(html, "Finland") == "#08519c"
    assert _fill(html, "Sweden") == "#6baed6"  # 6 clusters: the 4–7 band
    assert "16 or more" in html
    assert _fill(html, "Iceland") == "#f0f0f0"


def test_bars_per_ecosystem_and_label_link_to_the_filter(html):
    digital = Cluster.objects.public().filter(ecosystems__code="digital").count()
    assert f'<a href="/clusters/?ecosystem=digital" aria-label="Digital: {digital}">' in html
    assert '<a href="/clusters/?label=gold"' in html
    assert "Clusters per industrial ecosystem as a table" in html


def test_synthetic_clusters_are_not_counted(client, users):
    from clusterbridge.core import history

    before = client.get("/clusters/landscape/").content.decode()
    history.save(
        Cluster(
            name="Synthetic Iceland Cluster",
            status="published",
            is_synthetic=True,
            country_id=Cluster.objects.get(slug="mobile-heights").country_id,
        )
    )
    assert client.get("/clusters/landscape/").content.decode().count("Sweden:") == before.count(
        "Sweden:"
    )
    assert (
        re.search(r"Sweden: (\d+)", before)[1]
        == re.search(r"Sweden: (\d+)", client.get("/clusters/landscape/").content.decode())[1]
    )


def test_an_empty_chart_says_so_instead_of_drawing_zeros():
    from clusterbridge.clusters.landscape import bar_chart

    items = [{"value": "gold", "label": "Gold", "count": 0, "expired": 2, "unknown": 0}]
    chart = bar_chart(items, "label", "Clusters with a valid quality label", "None is valid.")
    assert chart["empty"] and chart["has_table"]  # the expired ones stay in the table
    chart = bar_chart([], "ecosystem", "Clusters per ecosystem", "Nothing yet.")
    assert chart["empty"] and not chart["has_table"]


def test_empty_label_chart_on_the_page(client):
    Cluster.objects.update(label_level="")
    html = client.get("/clusters/landscape/").content.decode()
    assert '<p class="chart-empty">No published cluster holds a valid quality label.</p>' in html
    assert 'href="/clusters/?label=gold"' not in html


def test_bars_are_html_text_with_long_labels_shortened_and_given_in_full():
    from clusterbridge.clusters.landscape import bar_chart

    long = "Proximity, Social Economy & Civil Security and a great many other words besides"
    chart = bar_chart(
        [
            {"value": "a", "label": "Digital", "count": 50},
            {"value": "b", "label": long, "count": 5},
        ],
        "ecosystem",
        "Per ecosystem",
        "",
    )
    digital, other = chart["bars"]
    assert digital["percent"] == 100 and other["percent"] == 10
    assert digital["bar_width"] == 85 and other["bar_width"] == 8.5
    assert other["short_label"].endswith("…") and len(other["short_label"]) <= 48
    assert long.startswith(other["short_label"][:-1])


def test_chart_labels_are_text_with_the_full_label_as_title(html):
    assert '<ol class="bar-chart">' in html and "<text " not in html
    assert '<span class="bar-label">Digital</span>' in html
    assert '<svg class="bar" width="85.0%" aria-hidden="true"' in html
