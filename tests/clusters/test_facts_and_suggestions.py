"""Facts as the source states them, suggestions as suggestions (issue "Data people can
trust"): a classification stated by a source is a fact with its line; one inferred from words
is a suggestion with its evidence, shown only to editors and the cluster's managers, counted
nowhere until confirmed. Conflicting member figures stay side by side per source, and no
write path stores fewer members in total than SME members."""

import pytest
from django.db import IntegrityError, transaction
from django.utils.html import escape

from clusterbridge.clusters.filtersets import ClusterFilterSet, facets
from clusterbridge.clusters.models import Classification, Cluster
from clusterbridge.core import history

pytestmark = pytest.mark.django_db


def slugs(client, query: str) -> set[str]:
    body = client.get(f"/api/v1/clusters/?{query}&page_size=500").json()
    return {row["slug"] for row in body["results"]}


def cluster(name: str) -> Cluster:
    return Cluster.objects.get(name__startswith=name)


def facts(record: Cluster, vocabulary: str) -> set[str]:
    return set(getattr(record, vocabulary).values_list("code", flat=True))


def suggested(record: Cluster, vocabulary: str) -> dict[str, list]:
    return {
        c.term.code: c.evidence
        for c in record.classifications.suggested().filter(term__vocabulary=vocabulary)
    }


# The examples of the issue ------------------------------------------------------------------
def test_ni_cyber_is_not_filed_under_the_sectors_its_members_serve(client):
    ni_cyber = cluster("NI Cyber")
    assert not facts(ni_cyber, "sectors") & {"financial-services", "law"}
    assert not facts(ni_cyber, "ecosystems") & {"health", "aerospace-defence"}
    # They stay as suggestions, with the words behind them, for a person to decide.
    assert suggested(ni_cyber, "sectors")["financial-services"] == [
        "finance",
        "banking",
        "insurance",
    ]
    assert "healthcare" in suggested(ni_cyber, "ecosystems")["health"]
    assert ni_cyber.slug not in slugs(client, "sector=financial-services")
    assert ni_cyber.slug not in slugs(client, "ecosystem=health")


def test_latvian_it_cluster_is_not_agri_food(client):
    latvian = cluster("Latvian IT Cluster")
    assert "agri-food" not in facts(latvian, "ecosystems")
    assert "agri-food" in suggested(latvian, "ecosystems")
    assert latvian.slug not in slugs(client, "ecosystem=agri-food")


def test_agri_food_finds_the_food_clusters_of_north_and_south_savo(client):
    found = slugs(client, "ecosystem=agri-food")
    assert {
        cluster("Agri-Food Cluster North Savo").slug,
        cluster("South Savo Food Cluster").slug,
    } <= found
    south = cluster("South Savo Food Cluster").classifications.get(
        term__code="agri-food", term__vocabulary="ecosystems"
    )
    assert south.state == "stated"
    assert south.provenance == [{"document": "003_488dc8e611df78cd.txt", "lines": [276, 276]}]
    north = cluster("Agri-Food Cluster North Savo")
    assert north.sources_of("ecosystems")[0]["lines"] == [247, 247]


def test_health_finds_kuopio_health_and_ouluhealth_and_only_stated_health(client):
    found = slugs(client, "ecosystem=health")
    assert {cluster("Kuopio Health").slug, cluster("OIA/ OuluHealth").slug} <= found
    for slug in found:
        classification = Classification.objects.get(
            cluster__slug=slug, term__vocabulary="ecosystems", term__code="health"
        )
        assert classification.is_fact, slug
    assert "mobile-heights" not in found  # "Digital health" only suggests it


def test_the_finnish_clusters_are_classified_from_what_seed_003_says():
    finnish = Cluster.objects.public().filter(country__code="FI", provenance__icontains="003_")
    classified = finnish.filter(classifications__state="stated").distinct()
    assert classified.count() >= 15
    for record in classified:
        for c in record.classifications.filter(state="stated"):
            assert any(p["document"].startswith("003") for p in c.provenance) or any(
                p["document"].startswith(("001", "002")) for p in c.provenance
            )
    # A name that says nothing of a sector classifies nothing: never guessed.
    assert not cluster("Memory Campus").classifications.exists()
    assert not cluster("ITS Finland").sectors.exists()


def test_facets_count_only_stated_or_confirmed_classifications():
    counts = {f["value"]: f["count"] for f in facets(Cluster.objects.public())["ecosystem"]}
    stated_health = (
        Classification.objects.facts()
        .filter(term__vocabulary="ecosystems", term__code="health", cluster__status="published")
        .filter(cluster__is_synthetic=False, cluster__deleted_at__isnull=True)
        .count()
    )
    assert counts["health"] == stated_health == 2
    assert (
        ClusterFilterSet({"ecosystem": ["health"]}, queryset=Cluster.objects.public()).qs.count()
        == 2
    )


# Confirming and rejecting --------------------------------------------------------------------
def test_the_public_profile_shows_stated_facts_with_their_line_and_no_suggestion(client):
    page = client.get(f"/clusters/{cluster('South Savo Food Cluster').slug}/").content.decode()
    assert "stated by the source" in page and "Food Cluster" in page
    ni_page = client.get(f"/clusters/{cluster('NI Cyber').slug}/").content.decode()
    assert "Suggested, not confirmed" not in ni_page and "Financial services" not in ni_page


def test_a_manager_confirms_a_suggestion_and_it_counts(client_for, managed, users):
    health = managed.classifications.get(term__vocabulary="ecosystems", term__code="health")
    assert health.state == "suggested"
    mona = client_for("manager")
    page = mona.get(f"/clusters/{managed.slug}/").content.decode()
    assert "Suggested, not confirmed" in page and "“Digital health”" in page
    # Someone who does not manage the cluster may not decide.
    bob = client_for("member")
    url = f"/clusters/{managed.slug}/classifications/{health.pk}/confirm/"
    assert bob.post(url).status_code == 403
    assert mona.post(url).status_code == 302
    health.refresh_from_db()
    assert health.state == "confirmed" and health.decided_by == users["manager"]
    assert "health" in facts(managed, "ecosystems")
    anonymous = client_for("anonymous")
    assert managed.slug in slugs(anonymous, "ecosystem=health")
    # Confirmed in the history of the cluster and of the classification.
    assert history.history_of(managed).filter(message__contains="confirmed").exists()
    assert history.history_of(health).exists()


def test_an_editor_rejects_a_suggestion_and_a_reload_does_not_bring_it_back(client_for):
    from clusterbridge.clusters.reference import load

    ni_cyber = cluster("NI Cyber")
    law = ni_cyber.classifications.get(term__vocabulary="sectors", term__code="law")
    response = client_for("editor").post(
        f"/clusters/{ni_cyber.slug}/classifications/{law.pk}/reject/"
    )
    assert response.status_code == 302
    load()
    law.refresh_from_db()
    assert law.state == "rejected" and "law" not in facts(ni_cyber, "sectors")


# Member figures ------------------------------------------------------------------------------
def test_mobile_heights_keeps_each_sources_sme_count_side_by_side(client):
    mobile = cluster("Mobile Heights")
    by_source = {
        (s["document"][:3], s["lines"][0]): s["figures"] for s in mobile.sources_of("members")
    }
    assert by_source[("001", 1177)] == {"members_sme": 86}
    assert by_source[("002", 2080)]["members_sme"] == 91
    page = client.get("/clusters/mobile-heights/").content.decode()
    assert "86 SMEs" in page and "91 SMEs" in page


def test_gaia_never_shows_one_sources_total_beside_anothers_sme_count(client):
    gaia = cluster("GAIA")
    assert gaia.members_total is None or gaia.members_total >= gaia.members_sme
    figures = [s["figures"] for s in gaia.sources_of("members")]
    assert {"members_total": 260} in figures and {"members_sme": 306} in figures
    page = client.get(f"/clusters/{gaia.slug}/").content.decode()
    assert "260 in total" in page and "306 SMEs" in page


def test_members_total_below_sme_members_is_refused_on_every_write_path(
    client_for, api_client_for, users
):
    mobile = cluster("Mobile Heights")
    # The API (administrator: no review step).
    response = api_client_for("admin").patch(
        f"/api/v1/clusters/{mobile.slug}/", {"members_total": 10}, format="json"
    )
    assert response.status_code == 400 and "members_total" in response.json()
    # The edit page.
    page = client_for("admin").post(
        f"/clusters/{mobile.slug}/edit/",
        {"name": mobile.name, "country": "SE", "members_total": "10", "members_sme": "91"},
    )
    assert page.status_code == 200 and "cannot be below" in page.content.decode()
    # Commands, reference loads and any other direct save: the database refuses it.
    mobile.members_total = 10
    with pytest.raises(IntegrityError), transaction.atomic():
        history.save(mobile)
    mobile.refresh_from_db()
    assert mobile.members_total is None


# Priority section ----------------------------------------------------------------------------
def test_the_priority_section_of_seed_000_is_on_profiles_and_a_facet(client):
    gaia = cluster("GAIA")
    assert gaia.priority_section == "A.1"
    page = client.get(f"/clusters/{gaia.slug}/").content.decode()
    assert "A.1 In the catalogue, identified as priority" in page
    a1 = slugs(client, "priority=A.1")
    assert (
        gaia.slug in a1
        and len(a1) == Cluster.objects.public().filter(priority_section="A.1").count()
    )
    directory = client.get("/clusters/").content.decode()
    assert 'name="priority" value="A.1"' in directory
    assert {c.priority_section for c in Cluster.objects.public()} >= {"A.1", "A.2", "A.3", "A.4"}


# European Clusters Alliance members ----------------------------------------------------------
def test_the_twenty_alliance_members_have_network_pages_findable_by_name(client):
    alliance = client.get("/clusters/networks/european-clusters-alliance/")
    assert alliance.status_code == 200
    members = list(alliance.context["member_networks"])
    assert len(members) == 20
    for member in members:
        page = client.get(member.get_absolute_url())
        assert page.status_code == 200 and escape(member.name) in page.content.decode()
    # By name, on the networks page and from the directory's search.
    found = client.get("/clusters/networks/?q=klasterlt")
    assert [n.code for n in found.context["networks"]] == ["lt-klasterlt"]
    accents = client.get("/clusters/networks/?q=Francaise")
    assert "Association Française des Pôles de Compétitivité" in accents.content.decode()
    directory = client.get("/clusters/?q=Polish+Clusters").content.decode()
    assert 'href="/clusters/networks/pl-polish-clusters-association/"' in directory
    kinds = client.get("/clusters/networks/?kind=alliance")
    assert [n.code for n in kinds.context["networks"]] == ["european-clusters-alliance"]


def test_network_and_profile_pages_use_a_bounded_number_of_queries(
    client, client_for, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get("/clusters/networks/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/clusters/networks/european-clusters-alliance/").status_code == 200
    editor = client_for("editor")
    editor.get("/clusters/ni-cyber/")  # sessions and caches warmed
    with django_assert_max_num_queries(30):
        page = editor.get("/clusters/ni-cyber/")
    assert page.content.decode().count("Confirm</button>") == 9
