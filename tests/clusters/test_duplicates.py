"""Duplicate detection in the catalogue: merge candidates for editors (near-identical names,
same website, same country and city) merged with history."""

import pytest
from django.core.exceptions import PermissionDenied

from clusterbridge.clusters.duplicates import merge, merge_candidates
from clusterbridge.clusters.models import Cluster
from clusterbridge.core import history

pytestmark = pytest.mark.django_db


def pair_names(candidates) -> dict[frozenset, list[str]]:
    return {frozenset({c.first.name, c.second.name}): c.reasons for c in candidates}


def test_the_estonian_defence_clusters_are_offered_as_merge_candidates():
    pairs = pair_names(merge_candidates())
    key = frozenset(
        {
            "Estonian Defence Industry Association",
            "Estonian Defence & Security Industry Innovation Cluster",
        }
    )
    assert key in pairs and pairs[key] == ["one name's distinctive words are all in the other"]
    # Regional clusters whose names differ by a place are not duplicates.
    assert (
        frozenset({"North East Cyber Security Cluster", "North West Cyber Security Cluster"})
        not in pairs
    )


def test_same_website_and_same_city_are_candidates(users):
    a = Cluster(name="Quokka Robotics Cluster", website="https://www.quokka.example/", city="Turku")
    b = Cluster(name="Marsupial Automation Network", website="https://quokka.example/about")
    c = Cluster(name="Wombat Systems", city="turku")
    for record in (a, b, c):
        record.status = "published"
        record.country_id = Cluster.objects.filter(country__code="FI").first().country_id
        history.save(record, user=users["admin"])
    pairs = pair_names(merge_candidates())
    assert pairs[frozenset({a.name, b.name})] == ["same website (quokka.example)"]
    assert pairs[frozenset({a.name, c.name})] == ["same country and city (Turku)"]


def test_an_editor_merges_with_history_and_the_other_goes_to_the_trash(client_for, users):
    keep = Cluster.objects.get(name="Estonian Defence Industry Association")
    other = Cluster.objects.get(name="Estonian Defence & Security Industry Innovation Cluster")
    assert client_for("member").get("/clusters/duplicates/").status_code == 403
    editor = client_for("editor")
    page = editor.get("/clusters/duplicates/").content.decode()
    assert "Estonian Defence &amp; Security Industry Innovation Cluster" in page
    response = editor.post("/clusters/duplicates/", {"keep": keep.slug, "other": other.slug})
    assert response.status_code == 302
    keep.refresh_from_db()
    assert other.name in keep.also_known_as
    assert {p["document"] for p in other.provenance} <= {p["document"] for p in keep.provenance}
    assert not Cluster.objects.filter(pk=other.pk).exists()  # in the trash
    trashed = Cluster.all_objects.get(pk=other.pk)
    entry = history.history_of(trashed).first()
    assert entry.action == "delete" and entry.user == users["editor"]
    assert keep.name in entry.message
    assert history.history_of(keep).filter(message__contains="Merged").exists()
    # No longer offered.
    names = pair_names(merge_candidates())
    assert not any(other.name in pair for pair in names)


def test_merging_needs_an_editor(users):
    keep, other = Cluster.objects.all()[:2]
    with pytest.raises(PermissionDenied):
        merge(keep, other, users["member"])


def test_the_reference_catalogue_offers_few_candidates_each_with_a_reason():
    candidates = merge_candidates()
    for c in candidates:
        print(c.first.name, "|", c.second.name, "|", c.reasons)
    assert 0 < len(candidates) < 20 and all(c.reasons for c in candidates)
