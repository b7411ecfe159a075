"""Full-text search keeps working when a migration rebuilds a searchable table."""

import pytest
from django.db import connection

from clusterbridge.core import history
from clusterbridge.core.search import ensure_fulltext, search
from clusterbridge.funding.models import Instrument

pytestmark = pytest.mark.django_db


def test_lost_sqlite_triggers_are_recreated_after_migrate():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its generated search column through table changes")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER funding_instrument_fts_ai")  # what a table rebuild does
    ensure_fulltext()
    history.save(Instrument(name="Quetzal robotics call", origin="international"))
    assert [i.name for i in search(Instrument.objects.all(), "quetzal")] == [
        "Quetzal robotics call"
    ]


def test_search_is_accent_blind_and_prefix_based():
    history.save(Instrument(name="Košice digital vouchers", origin="international"))
    found = [i.name for i in search(Instrument.objects.all(), "kosic digit")]
    assert found == ["Košice digital vouchers"]
