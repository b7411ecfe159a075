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
