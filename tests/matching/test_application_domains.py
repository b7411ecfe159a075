"""Application domains are the 14 industrial ecosystems: projects and calls (features) and
clusters or organisations (ecosystems) share them, matching uses them, and databases that
held the former seed entries A1–A4 are moved onto the ecosystems."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps

from clusterbridge.matching import engine, services
from clusterbridge.taxonomy.models import Feature, Term
from tests.matching.factories import make_instrument, make_project

pytestmark = pytest.mark.django_db


class _Related(list):
    def all(self):
        return self


def test_a_record_stating_its_ecosystems_is_matched_on_them_as_application_domains():
    health_call = make_instrument("Digital health call", ["A-health", "D2"])
    make_instrument("Agri-food call", ["A-agri-food"])
    cluster = SimpleNamespace(
        features=_Related(),
        ecosystems=_Related([Term.objects.get(vocabulary="ecosystems", code="health")]),
        country_id=None,
        description="",
    )

    profile = services.profile_for(cluster)
    matches = engine.rank(profile)

    assert profile.features == frozenset({"A-health"})
    assert [m.instrument_id for m in matches] == [health_call.pk]
    assert "Fits because: Health" in matches[0].reasons


def test_a_project_and_a_call_share_an_ecosystem_feature():
    call = make_instrument("Construction call", ["A-construction"])
    project = make_project("Site safety", ["A-construction", "T1"])

    matches = engine.rank(services.profile_for(project))

    assert matches[0].instrument_id == call.pk  # an ecosystem outweighs a technique
    assert matches[0].shared == ["A-construction"]


def test_the_migration_moves_the_former_seed_entries_onto_the_ecosystems():
    category = Feature.objects.get(code="A-construction").category
    old = {
        code: Feature.objects.create(code=code, label=label, category=category)
        for code, label in (("A3", "Construction"), ("A4", "Search and rescue"), ("A2", "Env"))
    }
    call = make_instrument("Old call", [])
    call.features.set([old["A3"], old["A4"], old["A2"]])
    migration = importlib.import_module(
        "clusterbridge.taxonomy.migrations.0003_application_domains_are_ecosystems"
    )

    migration.forwards(apps, None)

    assert set(call.features.values_list("code", flat=True)) == {
        "A-construction",
        "A-proximity-social-economy-civil-security",
    }
    assert not Feature.objects.filter(code__in=["A2", "A3", "A4"]).exists()
    assert Feature.all_objects.get(code="A3").deleted_at is not None
