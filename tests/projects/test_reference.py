"""The SecurIT projects of seed 001 (Figure 1, Annex 2) are loaded with their features."""

import pytest

from clusterbridge.core.history import history_of
from clusterbridge.core.models import ObjectChange
from clusterbridge.projects import reference
from clusterbridge.projects.models import Project
from clusterbridge.taxonomy.models import Feature

pytestmark = pytest.mark.django_db


def codes(name):
    return {f.code for f in Project.objects.get(name=name).features.all()}


def test_both_open_calls_are_loaded_public_with_provenance():
    assert Project.objects.filter(call="SecurIT Open call 1").count() == 21
    assert Project.objects.filter(call="SecurIT Open call 2").count() == 21
    for project in Project.objects.all():
        assert project.is_public
        assert project.provenance and project.provenance[0]["document"].startswith("001_")
        assert history_of(project).filter(action=ObjectChange.Action.LOAD).exists()


def test_open_call_1_projects_have_the_features_annex_2_marks():
    assert codes("DIAC") == {"T2", "T3", "T9", "T10", "T11", "P14", "G1", "G3", "A-construction"}
    assert codes("ShowID") >= {"T3", "T11", "P14"}
    assert codes("CyberSec2SME") == {"P12", "G3"}
    assert {"T5", "T6", "T7", "D1"} <= codes("SECURVERSE")
    securverse = Project.objects.get(name="SECURVERSE")
    assert any("remote resur" in doubt for doubt in securverse.source_doubts)
    project = Project.objects.get(name="C-SHIELD")
    assert project.stage == "demonstrator"
    assert project.supporting_cluster == "L3CE"
    assert "0-SHIELD" in project.name_variants
    assert any("P2 (Planning)" in doubt for doubt in project.source_doubts)


CIVIL_SECURITY = "A-proximity-social-economy-civil-security"


def test_application_domains_are_the_industrial_ecosystems_the_seed_entries_map_onto():
    assert CIVIL_SECURITY in codes("Digital Fore")  # "search and rescue"
    assert "A-construction" in codes("Helia")
    # "environmental protection" names no ecosystem: not mapped, kept as a note.
    assert not {c for c in codes("C-SHIELD") if c.startswith("A")}
    shield = Project.objects.get(name="C-SHIELD")
    assert any("environmental protection" in doubt for doubt in shield.source_doubts)
    domains = Feature.objects.filter(category__code="A")
    assert domains.count() == 14
    found, notes = reference.application_domain_features(["Search and rescue"], domains)
    assert [f.code for f in found] == [CIVIL_SECURITY] and notes == []
    with pytest.raises(ValueError, match="not in the mapping file"):
        reference.application_domain_features(["agriculture"], domains)


def test_open_call_2_projects_have_names_and_countries_as_printed_and_no_features():
    sylvia = Project.objects.get(name="SYLVIA")
    assert sylvia.country.code == "FR"
    assert Project.objects.get(name="RoBriNet").country.code == "DK"
    assert not Project.objects.filter(name__in=["SYLVIACARE", "ReBriNet"]).exists()
    assert Project.objects.get(name="ERMINE").country is None
    assert not Project.objects.filter(call="SecurIT Open call 2", features__isnull=False).exists()


def test_reloading_keeps_what_people_changed(users):
    from clusterbridge.core import history

    project = Project.objects.get(name="IDEAS")
    project.description = "Described by its owner."
    history.save(project, user=users["admin"])
    counts = reference.load()
    assert counts.get("created", 0) == 0
    assert Project.objects.get(name="IDEAS").description == "Described by its owner."
