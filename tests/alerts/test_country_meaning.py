"""A saved search's `country` keeps what it found once `country` means "open to applicants
from": the migration renames it `origin_country`; a new search uses the new meaning."""

import importlib

from django.apps import apps

from clusterbridge.alerts.models import SavedSearch
from clusterbridge.alerts.sources import search_instruments
from clusterbridge.funding.models import Instrument
from clusterbridge.taxonomy.models import Country

migration = importlib.import_module("clusterbridge.alerts.migrations.0003_country_means_open_to")


def test_stored_queries_are_renamed(users):
    owner = users["member"]
    saved = SavedSearch.objects.create(
        owner=owner, name="LT drones", query="q=drone&country=LT&country=DK&status=open"
    )
    other = SavedSearch.objects.create(owner=owner, name="no country", query="q=drone")
    migration.forwards(apps, None)
    saved.refresh_from_db()
    other.refresh_from_db()
    assert saved.query == "q=drone&origin_country=LT&origin_country=DK&status=open"
    assert other.query == "q=drone"
    migration.backwards(apps, None)
    saved.refresh_from_db()
    assert saved.query == "q=drone&country=LT&country=DK&status=open"


def test_alerts_and_feeds_read_country_as_open_to(db):
    lt = Country.objects.get(code="LT")
    national = Instrument.objects.create(
        name="Wallaby LT call", origin="national", cover_level="national", country=lt
    )
    eu = Instrument.objects.create(name="Wallaby EU call", origin="international", cover_level="eu")
    dk = Instrument.objects.create(
        name="Wallaby DK call",
        origin="national",
        cover_level="national",
        country=Country.objects.get(code="DK"),
    )
    found = set(search_instruments("q=wallaby&country=LT&status=all").values_list("pk", flat=True))
    assert found == {national.pk, eu.pk}
    assert dk.pk not in found
    origin = set(
        search_instruments("q=wallaby&origin_country=LT&status=all").values_list("pk", flat=True)
    )
    assert origin == {national.pk}
