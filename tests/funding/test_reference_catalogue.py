"""The real records of seed 001 in the finder: figure 6 (Danish instruments) and the FRIEND
CCI Eurocluster call, whose 1 August 2024 deadline has passed (§4.1: calls past their due
date leave the search automatically)."""

import datetime

import pytest
import time_machine

from clusterbridge.funding.models import Instrument

pytestmark = pytest.mark.django_db


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def test_national_danish_instruments_as_in_figure_6(client):
    # Their dates are not printed: status unknown, found when a person asks for it.
    found = names(client.get("/api/v1/instruments/?origin=national&country=DK&status=unknown"))
    assert {"Innovation Fund Denmark", "Industrial Fund Denmark"} <= found


def test_detail_lists_the_features_by_category_as_in_figure_7(client):
    fund = Instrument.objects.get(name="Innovation Fund Denmark")
    text = client.get(f"/funding/{fund.pk}/").content.decode()
    assert "Techniques (T)" in text and "Process (P)" in text
    assert "001_64a1a149fb9beb97.txt" in text  # provenance


def test_friend_cci_call_leaves_the_open_search_after_its_deadline(client):
    call = Instrument.objects.get(name="FRIEND CCI Eurocluster")
    assert call.final_deadline == datetime.date(2024, 8, 1)
    with time_machine.travel(datetime.datetime(2024, 7, 31, 12, 0), tick=False):
        assert "FRIEND CCI Eurocluster" in names(client.get("/api/v1/instruments/?q=friend"))
    with time_machine.travel(datetime.datetime(2024, 8, 2, 12, 0), tick=False):
        assert "FRIEND CCI Eurocluster" not in names(client.get("/api/v1/instruments/?q=friend"))
        closed = client.get("/api/v1/instruments/?q=friend&status=closed")
        assert "FRIEND CCI Eurocluster" in names(closed)


def test_the_public_page_counts_only_real_records(client):
    real = Instrument.objects.real().current().count()
    response = client.get("/funding/")
    assert response.context["paginator"].count == real
    assert f"1 – {min(real, 10)} of {real}" in response.content.decode()
