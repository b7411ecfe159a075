"""The specialisation pages and API: the empty state, the schematic map, the ranked table
with its source, the region page, downloads, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_without_data_the_pages_say_how_to_get_it_and_show_no_number(client):
    html = client.get("/analytics/specialisation/").content.decode()
    assert "No regional statistics are imported yet" in html
    assert "clusterbridge fetch_regional sbs_r_nuts06_r2" in html
    assert "LQ by region" not in html
    body = client.get("/api/v1/analytics/specialisation/").json()
    assert body["dataset"] is None and body["results"] == []
    assert "No regional statistics are imported yet" in client.get("/analytics/").content.decode()


def test_the_map_and_table_of_an_industry_cite_the_dataset(client, imported):
    html = client.get("/analytics/specialisation/?industry=C10&period=2021").content.decode()
    assert "C10: LQ by region" in html
    assert "A schematic map, not geography" in html
    assert 'aria-label="AT11: LQ 2.51"' in html
    assert 'aria-label="AT12: LQ 1.23"' in html
    assert "Eurostat dataset sbs_r_nuts06_r2 (file sbs_r_nuts06_r2.tsv), imported" in html
    assert "industry-relevant" in html and "region-relevant" in html
    # Ranked: AT11 (2.51) before AT12 (1.25) before BE10 (0.42).
    assert html.index(">AT11</a>") < html.index(">AT12</a>") < html.index(">BE10</a>")


def test_a_confidential_cell_is_shown_as_such(client, imported):
    html = client.get("/analytics/specialisation/?industry=C26").content.decode()
    assert 'aria-label="AT12: LQ confidential"' in html


def test_the_ecosystem_view_sums_its_divisions_and_names_the_mapping(client, imported):
    html = client.get("/analytics/specialisation/?ecosystem=agri-food").content.decode()
    assert "Agri-Food: LQ by region" in html
    assert "NOT the European Commission" in html
    assert 'aria-label="AT11: LQ 2.51"' in html


def test_api_returns_the_same_rows_and_rules(client, imported):
    body = client.get("/api/v1/analytics/specialisation/?industry=C30&nodes=on").json()
    assert body["rules"] == {"lq_threshold": 1.5, "share_threshold": 0.01}
    assert body["period"] == 2021 and body["level"] == "division"
    assert [(r["geo"], r["industry_node"], r["region_node"]) for r in body["results"]] == [
        ("AT12", False, True)
    ]
    assert body["results"][0]["lq"] == pytest.approx(1005 / 205, abs=1e-4)
    datasets = client.get("/api/v1/analytics/datasets/").json()
    assert datasets["results"][0]["code"] == "sbs_r_nuts06_r2"


def test_downloads_carry_the_source_line(client, imported):
    response = client.get("/analytics/specialisation/?industry=C10&format=csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].strip('"').startswith("Source: Eurostat dataset sbs_r_nuts06_r2")
    assert "AT11" in text
    xlsx = client.get("/analytics/specialisation/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_region_page_lists_its_nodes_and_its_cells_without_value(client, imported):
    html = client.get("/analytics/regions/AT12/").content.decode()
    assert "C30: LQ 4.90" in html
    assert "C26 (confidential)" in html
    assert "No open national or regional call of this country is on ClusterBridge." in html or (
        "Open calls in Austria" in html
    )
    assert "/funding/?country=AT" in html
    assert client.get("/analytics/regions/ZZ99/").status_code == 404


def test_the_page_makes_a_fixed_number_of_queries(client, imported):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/analytics/specialisation/?industry=C10").status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_the_region_page_makes_a_fixed_number_of_queries(
    client, imported, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get("/analytics/regions/AT11/").status_code == 200
