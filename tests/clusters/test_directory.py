"""The directory page and the API list share one FilterSet: the same parameters give the
same clusters; facet counts sit beside each value; only published real clusters show."""

import io

import pytest
import time_machine

from clusterbridge.clusters.models import Cluster, Status
from clusterbridge.core import history
from tests.api.helpers import THROTTLE_QUERIES

pytestmark = pytest.mark.django_db


def slugs(api_client, query: str) -> set[str]:
    response = api_client.get(f"/api/v1/clusters/?page_size=200&{query}")
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["results"]}


def page_names(client, query: str) -> str:
    response = client.get(f"/clusters/?{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def api(api_client_for):
    return api_client_for("anonymous")


def test_country_filter_includes_cross_border_clusters(api):
    german = slugs(api, "country=DE")
    assert "north-european-cybersecurity-cluster" in german  # based in FI, also in DE
    assert all(
        Cluster.objects.get(slug=s).country.code == "DE"
        for s in german
        if s != "north-european-cybersecurity-cluster"
    )
    assert len(german) == Cluster.objects.public().filter(country__code="DE").count() + 1


def test_each_facet_filters_alone(api):
    # Facets count stated (or confirmed) classifications only: Mobile Heights' "Digital
    # health" is a suggestion, Kuopio Health's name states its ecosystem.
    ecosystem = slugs(api, "ecosystem=health")
    assert {"kuopio-health-co-op", "oia-ouluhealth"} <= ecosystem
    assert "mobile-heights" not in ecosystem
    assert all(
        Cluster.objects.get(slug=s).ecosystems.filter(code="health").exists() for s in ecosystem
    )
    technology = slugs(api, "technology=photonics")
    assert "photonics-finland" in technology
    sector = slugs(api, "sector=water-management")
    assert len(sector) == 3 and all(
        Cluster.objects.get(slug=s).sectors.filter(code="water-management").exists() for s in sector
    )
    network = slugs(api, "network=uk-cyber-security-forum")
    assert len(network) == 6
    region = slugs(api, "region=bavaria")
    assert region and all(Cluster.objects.get(slug=s).region == "Bavaria" for s in region)
    domain = slugs(api, "domain=railway technologies")
    assert domain == {"ditecfer"}


def test_filters_combine_with_and(api):
    digital = slugs(api, "ecosystem=electronics")
    french = slugs(api, "country=ES")
    both = slugs(api, "country=ES&ecosystem=electronics")
    assert both == digital & french and both
    # Several values of one filter widen it (OR).
    assert slugs(api, "country=ES&country=DE") == french | slugs(api, "country=DE")


def test_size_classes_use_the_total_or_the_sum_of_the_parts(api):
    cluj = Cluster.objects.get(name="Cluj IT Cluster")  # members_total 90
    mobile = Cluster.objects.get(slug="mobile-heights")  # 91 SMEs + 13 large + 4 research
    assert mobile.members_total is None and mobile.size_members == 108
    assert cluj.slug in slugs(api, "size=51-100")
    assert mobile.slug in slugs(api, "size=101-250")
    big = slugs(api, "size=251%2B")
    assert big and all(Cluster.objects.get(slug=s).size_members > 250 for s in big)
    assert slugs(api, "size=1-50&size=51-100") == slugs(api, "size=1-50") | slugs(
        api, "size=51-100"
    )


def test_full_text_search_ignores_accents_and_finds_former_names(api):
    assert "cyberireland" in slugs(api, "q=info security ireland")
    assert "kosice-it-valley" in slugs(api, "q=Košice")


def test_ordering_by_size_and_founding_year(api):
    response = api.get("/api/v1/clusters/?ordering=-size&page_size=5").json()["results"]
    sizes = [item["size"] for item in response]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] >= 1000
    years = [
        i["founding_year"]
        for i in api.get("/api/v1/clusters/?ordering=founding_year&size=51-100").json()["results"]
        if i["founding_year"]
    ]
    assert years == sorted(years)


def test_unknown_codes_are_named_in_the_error(api, client):
    response = api.get("/api/v1/clusters/?ecosystem=space-mining&country=FR")
    assert response.status_code == 400
    assert "space-mining" in str(response.json())
    page = client.get("/clusters/?ecosystem=space-mining")
    assert "Unknown ecosystems code(s): space-mining" in page.content.decode()


def test_facet_counts_are_shown_beside_each_value(client):
    html = page_names(client, "country=FI")
    finnish = Cluster.objects.public().filter(country__code="FI").count()
    assert f'Finland <span class="count" aria-label="{finnish} results">({finnish})</span>' in html
    health = Cluster.objects.public().filter(country__code="FI", ecosystems__code="health").count()
    assert health == 2
    assert 'Health <span class="count" aria-label="2 results">(2)</span>' in html
    assert f"1 – {min(finnish, 20)} of {finnish} clusters" in html


def test_pending_withdrawn_deleted_and_synthetic_clusters_are_not_public(api, client, users):
    hidden = []
    for name, status, synthetic in (
        ("Pending Cluster Zeta", Status.PENDING, False),
        ("Withdrawn Cluster Zeta", Status.WITHDRAWN, False),
        ("Synthetic Cluster Zeta", Status.PUBLISHED, True),
    ):
        cluster = Cluster(name=name, status=status, is_synthetic=synthetic)
        history.save(cluster, user=users["admin"])
        hidden.append(cluster)
    deleted = Cluster.objects.get(slug="mobile-heights")
    history.soft_delete(deleted, user=users["admin"])
    found = slugs(api, "q=zeta") | slugs(api, "")
    assert not found & {c.slug for c in hidden} and deleted.slug not in found
    assert "Zeta" not in page_names(client, "q=zeta")
    for cluster in hidden + [deleted]:
        assert client.get(f"/clusters/{cluster.slug}/").status_code == 404
        assert api.get(f"/api/v1/clusters/{cluster.slug}/").status_code == 404


def test_pagination_keeps_the_query_in_the_links(client):
    html = page_names(client, "priority=A.2&page=2")
    assert 'href="?priority=A.2&amp;page=3"' in html or 'href="?priority=A.2&amp;page=1"' in html
    assert "Page 2 of" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "country=DE&ecosystem=digital",
        "q=cyber",
        "page=4",
        "sector=security&size=1-50&label=gold&ordering=-size",
        "domain=cyber&network=uk-cyber-security-forum",
    ],
)
def test_directory_query_count_does_not_grow_with_results(
    client, query, django_assert_max_num_queries
):
    with django_assert_max_num_queries(22):
        assert client.get(f"/clusters/?{query}").status_code == 200


def test_api_list_query_count_is_constant(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(9 + THROTTLE_QUERIES):
        assert api.get("/api/v1/clusters/?page_size=200").status_code == 200


# Labels ------------------------------------------------------------------------------------
@time_machine.travel("2026-06-01 12:00 +0000", tick=False)
def test_a_label_before_its_expiry_is_valid_and_filtered(api, client):
    assert "mobile-heights" in slugs(api, "label=gold")
    assert "digitallead" not in slugs(api, "label=gold")  # expired 31 August 2024
    html = client.get("/clusters/mobile-heights/").content.decode()
    assert "Gold label — valid until 31 Oct 2026" in html


@time_machine.travel("2026-11-01 12:00 +0000", tick=False)
def test_an_expired_label_is_shown_as_expired_and_not_filtered(api, client):
    assert "mobile-heights" not in slugs(api, "label=gold")
    html = client.get("/clusters/mobile-heights/").content.decode()
    assert "Gold label — expired 31 Oct 2026" in html
    detail = api.get("/api/v1/clusters/mobile-heights/").json()
    assert detail["label"] == {
        "level": "gold",
        "issued": None,
        "expires": "2026-10-31",
        "validity": "expired",
    }


def test_a_label_without_a_stated_expiry_is_not_counted_as_valid(api, client):
    minalogic = Cluster.objects.get(name="Minalogic")
    assert minalogic.label_level == "gold" and minalogic.label_expires is None
    assert "minalogic" not in slugs(api, "label=gold")
    assert "expiry date not stated" in client.get("/clusters/minalogic/").content.decode()


def test_generated_synthetic_clusters_stay_out_of_the_directory(api, client):
    from django.core.management import call_command

    before = api.get("/api/v1/clusters/").json()["count"]
    call_command("generate_clusters", count=25, stdout=io.StringIO())
    assert Cluster.objects.filter(is_synthetic=True).count() == 25
    assert api.get("/api/v1/clusters/").json()["count"] == before
    assert f"of {before} clusters" in client.get("/clusters/").content.decode()


def test_the_api_schema_documents_the_directory_parameters(client):
    schema = client.get("/api/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/clusters/"]["get"]["parameters"]}
    assert parameters >= {
        "q",
        "country",
        "region",
        "sector",
        "ecosystem",
        "technology",
        "domain",
        "service",
        "label",
        "network",
        "size",
        "ordering",
        "page",
    }


def test_each_frequent_domain_count_is_what_clicking_it_gives(client, api):
    panel = client.get("/clusters/").context["panel"]
    values = next(f for f in panel.facets if f.name == "domain").options
    assert values, "the reference clusters state domains"
    for value in values:
        found = slugs(api, f"domain={value.value}")
        assert len(found) == value.count, value
    # A short word does not match inside other words ("it" in "security").
    assert slugs(api, "domain=it") <= slugs(api, "q=it")
