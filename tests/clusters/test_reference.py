"""The catalogue holds every cluster of the four source documents, merged where the same
organisation appears in several, each field keeping the document it came from."""

import pytest

from clusterbridge.clusters import reference
from clusterbridge.clusters.models import Cluster, Network, normalise_name

pytestmark = pytest.mark.django_db


def test_it_reads_every_record_of_each_source_and_a_reload_changes_nothing():
    counts = reference.load()
    assert counts["from seed000"] == 106
    assert counts["from seed001"] == 19  # the annex lists 19 rows although its text says 20
    assert counts["from seed002"] == 27  # Annex 1 (18) + Table 9 (10), Mobile Heights in both
    assert counts["from seed003"] == 34
    assert counts["clusters unchanged"] == Cluster.objects.count()
    assert "clusters created" not in counts and "clusters updated" not in counts


def test_no_two_published_clusters_share_a_normalised_name():
    names = [normalise_name(n) for n in Cluster.objects.public().values_list("name", flat=True)]
    assert len(names) == len(set(names))
    assert len(names) == Cluster.objects.public().count() > 150


def test_cluj_it_is_one_cluster_with_fields_from_both_documents():
    cluj = Cluster.objects.get(name="Cluj IT Cluster")
    documents = {p["document"][:3] for p in cluj.provenance}
    assert documents == {"000", "001"}
    assert cluj.members_total == 90
    assert cluj.sources_of("members")[0]["document"].startswith("001")
    assert cluj.sources_of("city")[0]["document"].startswith("001")
    assert [s["document"][:3] for s in cluj.sources_of("founding_year")] == ["000", "001"]
    assert cluj.networks.filter(code="3b-ict").exists()


def test_gaia_merges_its_short_and_long_names():
    gaia = Cluster.objects.get(slug__startswith="gaia")
    assert gaia.name.startswith("GAIA - Association of Knowledge")
    assert "GAIA" in gaia.also_known_as
    assert {p["document"][:3] for p in gaia.provenance} == {"000", "001"}
    assert gaia.networks.filter(code="conetic").exists()
    assert Cluster.objects.filter(name="GAIA").count() == 0


def test_mobile_heights_gathers_four_places_and_keeps_the_label_expiry():
    mobile = Cluster.objects.get(name="Mobile Heights")
    assert {p["document"][:3] for p in mobile.provenance} == {"000", "001", "002"}
    assert mobile.label_level == "gold"
    assert mobile.label_expires.isoformat() == "2026-10-31"
    assert mobile.members_sme == 91  # the later report (seed 002) wins over seed 001's 86
    # Domain words add up across documents (seed 000 then seed 001).
    assert mobile.domains[0] == "connected technologies" and "Digital health" in mobile.domains
    older = [s for s in mobile.sources_of("members") if s["figures"].get("members_sme") == 86]
    assert older and older[0]["document"].startswith("001")


def test_cyber_ireland_keeps_its_former_name():
    cyber = Cluster.objects.get(name="CyberIreland")
    assert cyber.former_names == ["INFO SECURITY IRELAND"]
    assert "Cyber Ireland" in cyber.also_known_as
    assert Cluster.objects.public().filter(name="Cyber Ireland").count() == 0
    assert cyber.website == "https://cyberireland.ie/"


def test_tampere_is_merged_through_the_documented_alias():
    tampere = Cluster.objects.filter(name__icontains="safety and security")
    assert tampere.count() == 1
    assert {p["document"][:3] for p in tampere.get().provenance} == {"001", "003"}


def test_cross_border_cluster_lists_its_countries():
    necc = Cluster.objects.get(name="North European Cybersecurity Cluster")
    assert {c.code for c in necc.all_countries()} >= {"FI", "DE", "DK", "SE"}


def test_classification_from_words_is_suggested_with_the_words_behind_each_code():
    bicc = Cluster.objects.get(name__startswith="BICCnet")
    suggested = {
        c.term.code: c.evidence
        for c in bicc.classifications.suggested().filter(term__vocabulary="technologies")
    }
    assert set(suggested) >= {"blockchain", "artificial-intelligence", "big-data"}
    assert suggested["blockchain"] == ["blockchain"]
    assert not bicc.technologies.exists()  # not a fact until someone confirms it
    assert "information & communication technology (ICT)" in bicc.domains


def test_no_member_count_is_invented():
    # Finnish ECCP clusters are listed by name and country only.
    finnish = Cluster.objects.get(name="Photonics Finland")
    assert finnish.members_total is None and finnish.size_members is None
    assert finnish.website == "" and finnish.description == ""


def test_networks_and_alliance_members():
    alliance = Network.objects.get(code="european-clusters-alliance")
    assert alliance.member_networks.count() == 20
    assert Network.objects.count() == 25
    assert Network.objects.get(code="uk-cyber-security-forum").clusters.count() == 6


def test_service_counts_of_the_labelled_clusters_are_kept_as_the_document_states(client):
    kosice = Cluster.objects.get(name="Košice IT Valley")
    assert kosice.sources_of("services")[0]["counts"] == {
        "total": 5,
        "general": 3,
        "digitalisation": 2,
    }
    assert not kosice.services.exists()  # which services: not readable from the table
    html = client.get(f"/clusters/{kosice.slug}/").content.decode()
    assert "counts 5 services (3 general, 2 digitalisation)" in html
