"""expire_calls archives closed calls once; generate_instruments makes synthetic records."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.funding.models import Instrument

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_expire_calls_archives_closed_calls_once(make_instrument):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0), tick=False):
        closed = make_instrument("Expired heron call", deadline_dates=["2026-05-31"])
        still_open = make_instrument("Open heron call", deadline_dates=["2026-06-01"])
        continuous = make_instrument("Continuous heron call")
        first = run("expire_calls")
        assert f"archived #{closed.pk} Expired heron call (last deadline 2026-05-31)" in first
        closed.refresh_from_db()
        assert closed.archived_at is not None
        change = history.history_of(closed).first()
        assert change.action == "expire"
        assert change.before["archived_at"] is None and change.after["archived_at"]
        for other in (still_open, continuous):
            other.refresh_from_db()
            assert other.archived_at is None
        second = run("expire_calls")
        assert second.strip() == "0 instrument(s) archived."
        assert history.history_of(closed).filter(action="expire").count() == 1
        # Archived calls remain in the database, searchable among closed ones.
        assert closed.pk in Instrument.objects.closed().values_list("pk", flat=True)


def test_generator_makes_flagged_records_kept_out_of_the_real_catalogue(client):
    real_before = client.get("/api/v1/instruments/?status=all&page_size=1").json()["count"]
    page_before = client.get("/funding/?status=all").context["paginator"].count
    changes_before = ObjectChange.objects.count()
    output = run("generate_instruments", "120", "--seed", "5")
    assert "Generated 120 synthetic instruments" in output
    synthetic = Instrument.objects.filter(is_synthetic=True)
    assert synthetic.count() == 120
    # The real catalogue, its counts and its page are unchanged.
    assert client.get("/api/v1/instruments/?status=all&page_size=1").json()["count"] == real_before
    assert client.get("/funding/?status=all").context["paginator"].count == page_before
    everything = client.get("/api/v1/instruments/?status=all&include_synthetic=1&page_size=1")
    assert everything.json()["count"] == real_before + 120
    # One history entry for the whole batch.
    assert ObjectChange.objects.count() == changes_before + 1
    entry = ObjectChange.objects.first()
    assert entry.after["generated"] == 120 and entry.after["seed"] == 5


def test_generated_records_look_like_real_ones():
    run("generate_instruments", "200", "--seed", "11")
    instruments = list(Instrument.objects.filter(is_synthetic=True).prefetch_related("features"))
    for instrument in instruments:
        codes = [f.code for f in instrument.features.all()]
        assert sum(c.startswith("D") for c in codes) == 1  # one development stage
        assert sum(c.startswith("T") for c in codes) <= 3  # few techniques
        assert any(c.startswith("G") for c in codes)
        assert (instrument.country_id is not None) == (instrument.origin == "national")
        assert instrument.description and instrument.search_text
        assert instrument.deadline_rows.count() == len(instrument.deadline_dates)
    assert any(i.deadline_dates for i in instruments)
    assert any(not i.deadline_dates for i in instruments)
    # Searchable like any other record.
    word = instruments[0].search_text.split()[-1]
    assert Instrument.objects.filter(is_synthetic=True).count() >= 1
    from clusterbridge.core.search import search

    assert search(Instrument.objects.filter(is_synthetic=True), word).exists()


def test_generator_is_repeatable_with_a_seed():
    run("generate_instruments", "20", "--seed", "3")
    first = list(
        Instrument.objects.filter(is_synthetic=True)
        .order_by("pk")
        .values_list("name", "deadline_dates")
    )
    Instrument.all_objects.filter(is_synthetic=True).delete()
    run("generate_instruments", "20", "--seed", "3")
    second = list(
        Instrument.objects.filter(is_synthetic=True)
        .order_by("pk")
        .values_list("name", "deadline_dates")
    )
    assert [n for n, _ in first] == [n for n, _ in second]
