"""Statuses that are true (issue "Data people can trust"): no instrument without a known
date is open; programmes past their period, calls the source says are over and calls of a
past work-programme year are closed, each with its reason; unknown dates carry "check at
the source"; search and /match/ show open and forthcoming unless a person adds "unknown"."""

import datetime
import itertools

import pytest
import time_machine
from django.utils import timezone

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument, Status, status_of, work_programme_year
from clusterbridge.funding.services import maintenance_report

pytestmark = pytest.mark.django_db

# The day the walk-through of the issue happened (any day after 2023 gives the same answers).
DAY = datetime.datetime(2026, 11, 29, 12, 0)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(DAY, tick=False):
        yield


def reference(name: str) -> Instrument:
    return Instrument.objects.get(name__startswith=name, is_synthetic=False)


# The records named by the issue ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Horizon 2020", "the programme period ended on 2020-12-31"),
        ("Seventh Framework Programme (FP7)", "the programme period ended on 2013-12-31"),
        ("COSME", "the programme period ended on 2020-12-31"),
        ("Horizon Innovation Action call IA-HORIZON-CL3-2023-CS-01-01", "2023 work programme"),
        ("Horizon Europe call HORIZON-CL3-2023-SSRI-01-02", "23rd of November 2023"),
        ("SecurIT Open Calls", "were completed"),
        ("Cluster facilitated projects for new industrial value chains", "2020 work programme"),
    ],
)
def test_the_records_of_the_issue_are_closed_with_their_reason(client, name, reason):
    instrument = reference(name)
    assert instrument.status_on() == Status.CLOSED
    assert reason in instrument.status_reason()
    body = client.get(f"/api/v1/instruments/{instrument.pk}/").json()
    assert body["status"] == "closed" and reason in body["status_reason"]
    page = client.get(f"/funding/{instrument.pk}/").content.decode()
    assert "status-closed" in page and reason in page


def test_horizon_2020_and_fp7_name_the_source_of_their_period_in_the_notes():
    h2020 = reference("Horizon 2020")
    assert (h2020.period_start, h2020.period_end) == (
        datetime.date(2014, 1, 1),
        datetime.date(2020, 12, 31),
    )
    assert "Regulation (EU) No 1291/2013" in h2020.notes
    fp7 = reference("Seventh Framework Programme (FP7)")
    assert (fp7.period_start.year, fp7.period_end.year) == (2007, 2013)
    assert "1982/2006/EC" in fp7.notes


def test_horizon_europe_runs_until_2027_and_is_open():
    horizon_europe = Instrument.objects.get(name="Horizon Europe")
    assert horizon_europe.status_on() == Status.OPEN
    assert "until 2027-12-31" in horizon_europe.status_reason()


def test_no_instrument_without_a_known_date_is_open():
    """The 60 "open" instruments of the walk-through had no deadline: none is open now
    unless a deadline or a programme period still running says so."""
    on = timezone.localdate()
    open_ones = Instrument.objects.open(on)
    assert open_ones.exists()
    for instrument in open_ones:
        assert (instrument.final_deadline and instrument.final_deadline >= on) or (
            instrument.period_end and instrument.period_end >= on
        ), instrument.name
    undated = Instrument.objects.filter(
        final_deadline__isnull=True, period_end__isnull=True, opening_date__isnull=True
    )
    assert not undated.filter(pk__in=open_ones).exists()
    lithuanian = Instrument.objects.filter(name__contains="SecurIT figure 2, column")
    assert lithuanian.count() == 20
    assert {i.status_on() for i in lithuanian} == {Status.UNKNOWN}


# The rule itself ---------------------------------------------------------------------------
ON = datetime.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, "unknown"),
        ({"kind": "programme"}, "unknown"),
        ({"opening_date": datetime.date(2020, 1, 1)}, "unknown"),
        ({"final_deadline": datetime.date(2026, 7, 1)}, "open"),
        ({"final_deadline": datetime.date(2026, 5, 1)}, "closed"),
        ({"period_end": datetime.date(2027, 12, 31)}, "open"),
        ({"period_end": datetime.date(2020, 12, 31)}, "closed"),
        ({"period_start": datetime.date(2028, 1, 1)}, "forthcoming"),
        ({"opening_date": datetime.date(2026, 9, 1)}, "forthcoming"),
        ({"closed_reason": "The source says so (L1)."}, "closed"),
        (
            {"closed_reason": "Over.", "final_deadline": datetime.date(2026, 7, 1)},
            "closed",
        ),
        ({"kind": "call", "work_programme_year": 2023}, "closed"),
        ({"kind": "call", "work_programme_year": 2026}, "unknown"),
        # A deadline decides over the identifier's year; a programme has no work programme.
        (
            {
                "kind": "call",
                "work_programme_year": 2025,
                "final_deadline": datetime.date(2026, 7, 1),
            },
            "open",
        ),
        ({"kind": "programme", "work_programme_year": 2020}, "unknown"),
    ],
)
def test_the_rule_in_python(facts, expected):
    assert status_of(on=ON, **facts) == expected


def test_the_database_and_python_give_the_same_status_for_every_combination(make_instrument):
    """The rule lives in one module, as database conditions and as a function; both agree."""
    dates = [None, datetime.date(2020, 1, 1), datetime.date(2030, 1, 1)]
    made = []
    for number, (opening, deadline, start, end, kind, identifier, reason) in enumerate(
        itertools.product(
            [None, datetime.date(2026, 9, 1)],
            dates,
            [None, datetime.date(2027, 1, 1)],
            dates,
            ["call", "programme"],
            [None, "HORIZON-CL3-2023-X"],
            ["", "Over (L1)."],
        )
    ):
        if opening and deadline and deadline < opening:
            continue
        if start and end and end < start:
            continue
        instrument = Instrument(
            name=f"Combination {number}",
            origin="international",
            kind=kind,
            identifier=f"{identifier}-{number}" if identifier else None,
            opening_date=opening,
            deadline_dates=[deadline.isoformat()] if deadline else [],
            period_start=start,
            period_end=end,
            closed_reason=reason,
        )
        instrument.prepare_for_save()
        made.append(instrument)
    Instrument.objects.bulk_create(made)
    on = ON
    annotated = dict(
        Instrument.objects.filter(name__startswith="Combination")
        .with_status(on)
        .values_list("name", "status")
    )
    for instrument in Instrument.objects.filter(name__startswith="Combination"):
        assert annotated[instrument.name] == instrument.status_on(on), instrument.name
        for status in Status.values:
            chosen = Instrument.objects.with_statuses([status], on).filter(pk=instrument.pk)
            assert chosen.exists() == (instrument.status_on(on) == status)


@pytest.mark.parametrize(
    ("identifier", "year"),
    [
        ("IA-HORIZON-CL3-2023-CS-01-01", 2023),
        ("HORIZON-CL3-2023-SSRI-01-02", 2023),
        ("H2020-INNOSUP-2020-01-two-stage", 2020),
        ("HORIZON-EUSPA-2022-SPACE-02-54", 2022),
        ("DIGITAL-ECCC-2024-DEPLOY-CYBER-06", 2024),
        ("SOMETHING-WITHOUT-YEAR", None),
        (None, None),
    ],
)
def test_work_programme_year_of_an_identifier(identifier, year):
    assert work_programme_year(identifier) == year


def test_a_call_of_a_past_work_programme_year_closes_on_save(make_instrument):
    call = make_instrument("Old topic", kind="call", identifier="HORIZON-CL4-2021-TWIN-01-01")
    assert call.work_programme_year == 2021
    assert call.status_on() == Status.CLOSED
    assert "2021 work programme" in call.status_reason()


def test_a_period_ending_before_it_starts_is_refused(client_for):
    response = client_for("editor").post(
        "/api/v1/instruments/",
        {
            "name": "Backwards programme",
            "origin": "international",
            "period_start": "2027-01-01",
            "period_end": "2021-12-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "period_end" in response.json()


# Search, badge, matching --------------------------------------------------------------------
@pytest.fixture
def trio(make_instrument):
    common = {"description": "kestrel", "features": ["T1", "G1"]}
    return {
        "open": make_instrument("Kestrel open call", deadline_dates=["2027-03-01"], **common),
        "soon": make_instrument(
            "Kestrel forthcoming call",
            opening_date=datetime.date(2027, 1, 1),
            deadline_dates=["2027-06-01"],
            **common,
        ),
        "unknown": make_instrument(
            "Kestrel undated fund", link="https://example.org/kestrel", **common
        ),
        "closed": make_instrument("Kestrel old call", deadline_dates=["2025-01-01"], **common),
    }


def test_default_search_shows_open_and_forthcoming_and_unknown_is_a_filter_to_add(client, trio):
    def names(query):
        results = client.get(f"/api/v1/instruments/?q=kestrel{query}").json()["results"]
        return {r["name"] for r in results}

    assert names("") == {"Kestrel open call", "Kestrel forthcoming call"}
    assert names("&status=open&status=forthcoming&status=unknown") == {
        "Kestrel open call",
        "Kestrel forthcoming call",
        "Kestrel undated fund",
    }
    assert names("&status=unknown") == {"Kestrel undated fund"}
    assert names("&status=all") == {r.name for r in trio.values()}
    # The page: the facet offers it with its count, ticking it shows the badge.
    page = client.get("/funding/?q=kestrel").content.decode()
    assert 'name="status" value="open" checked' in page
    assert 'name="status" value="forthcoming" checked' in page
    assert 'name="status" value="unknown">' in page
    assert "Check at the source" not in page
    page = client.get(
        "/funding/?q=kestrel&status=open&status=forthcoming&status=unknown"
    ).content.decode()
    assert 'name="status" value="unknown" checked' in page
    assert (
        '<a class="badge check-source" href="https://example.org/kestrel" rel="noopener external"'
        in page
    )
    assert "Status: Status unknown (check at the source)" in page  # its chip


def test_the_detail_page_of_an_undated_record_says_check_at_the_source(client, trio):
    page = client.get(f"/funding/{trio['unknown'].pk}/").content.decode()
    assert "status-unknown" in page and "Check at the source" in page
    assert "no deadline or programme period is recorded" in page


def test_match_shows_open_and_forthcoming_and_unknown_when_asked(client, trio):
    def names(query=""):
        response = client.get(f"/api/v1/match/?feature=T1&feature=G1{query}")
        assert response.status_code == 200, response.content
        return {r["instrument"]["name"] for r in response.json()["results"]}

    assert {"Kestrel open call", "Kestrel forthcoming call"} <= names()
    assert not {"Kestrel undated fund", "Kestrel old call"} & names()
    asked = names("&status=unknown")
    assert "Kestrel undated fund" in asked and "Kestrel old call" not in asked
    page = client.get("/match/?feature=T1&feature=G1&status=open&status=unknown").content.decode()
    assert "Kestrel undated fund" in page and "Check at the source" in page
    assert "Kestrel forthcoming call" not in page


def test_the_maintenance_page_lists_records_never_reviewed(client_for, trio):
    reviewed = trio["open"]
    reviewed.last_reviewed_at = timezone.now()
    history.save(reviewed)
    report = maintenance_report()
    never = {i.name for i in report.never_reviewed}
    assert "Kestrel undated fund" in never and "Kestrel open call" not in never
    assert "Kestrel undated fund" in {i.name for i in report.status_unknown}
    page = client_for("editor").get("/funding/maintenance/").content.decode()
    assert 'id="never-reviewed"' in page and "Kestrel forthcoming call" in page
