"""Status is derived at query time from the opening date and the last deadline."""
# The cases of issue 11 (programme periods, closing statements, work-programme years,
# unknown dates) are in test_true_statuses.py.

import datetime

import pytest
import time_machine

from clusterbridge.funding.models import Instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(make_instrument):
    return make_instrument(
        "Tern call with two cut-offs",
        kind="call",
        features=["T1"],
        opening_date=datetime.date(2026, 3, 1),
        deadline_dates=["2026-05-20", "2026-04-10"],
    )


@pytest.mark.parametrize(
    ("day", "status", "next_deadline"),
    [
        ("2026-02-28", "forthcoming", "2026-04-10"),
        ("2026-03-01", "open", "2026-04-10"),
        ("2026-04-10", "open", "2026-04-10"),
        ("2026-04-11", "open", "2026-05-20"),  # the first cut-off passed, the call stays open
        ("2026-05-20", "open", "2026-05-20"),  # open all through the last deadline day
        ("2026-05-21", "closed", None),
    ],
)
def test_status_around_the_deadlines(client, call, day, status, next_deadline):
    with time_machine.travel(datetime.datetime.fromisoformat(f"{day}T12:00"), tick=False):
        annotated = Instrument.objects.with_status().get(pk=call.pk)
        assert annotated.status == status
        assert call.status_on() == status
        body = client.get(f"/api/v1/instruments/{call.pk}/").json()
        assert body["status"] == status
        assert body["next_deadline"] == next_deadline
        default = client.get("/api/v1/instruments/?q=tern").json()
        assert (call.pk in [r["id"] for r in default["results"]]) == (
            status in ("open", "forthcoming")
        )
        chosen = client.get(f"/api/v1/instruments/?q=tern&status={status}").json()
        assert [r["id"] for r in chosen["results"]] == [call.pk]


def test_deadlines_are_kept_sorted_with_the_last_one_deciding(call):
    call.refresh_from_db()
    assert call.deadline_dates == ["2026-04-10", "2026-05-20"]
    assert call.final_deadline == datetime.date(2026, 5, 20)
    assert [d.date.isoformat() for d in call.deadline_rows.all()] == ["2026-04-10", "2026-05-20"]


def test_a_continuous_call_without_deadline_or_period_is_unknown_not_open(client, make_instrument):
    continuous = make_instrument(
        "Petrel continuous call",
        kind="call",
        periodicity="continuous",
        opening_date=datetime.date(2020, 1, 1),
    )
    with time_machine.travel(datetime.datetime(2031, 1, 1, 12, 0), tick=False):
        assert client.get("/api/v1/instruments/?q=petrel").json()["results"] == []
        results = client.get("/api/v1/instruments/?q=petrel&status=unknown").json()["results"]
        assert [r["id"] for r in results] == [continuous.pk]
        assert results[0]["status"] == "unknown"


def test_detail_page_shows_days_left_and_passed_deadlines(client, call):
    with time_machine.travel(datetime.datetime(2026, 4, 15, 12, 0), tick=False):
        text = client.get(f"/funding/{call.pk}/").content.decode()
    assert "10 Apr 2026</time> (passed)" in text
    assert "20 May 2026</time> (35 days left)" in text
    assert "status-open" in text
