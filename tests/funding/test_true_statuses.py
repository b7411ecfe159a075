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
    assert "Status: Unknown (check at the source)" in page  # its chip


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


# Records incomplete at source ---------------------------------------------------------------
LITHUANIAN = "Lithuanian national instruments of SecurIT figure 2 (names truncated in the source)"


def test_the_twenty_lithuanian_columns_are_flagged_and_never_completed_by_guessing():
    columns = Instrument.objects.filter(name__contains="(SecurIT figure 2, column")
    assert columns.count() == 20
    assert all(c.incomplete_at_source and c.source_group == LITHUANIAN for c in columns)
    # Names stay as printed: truncated with an ellipsis, never completed.
    assert all("…" in c.name for c in columns)


def test_public_search_groups_them_under_one_programme_entry(client):
    response = client.get("/funding/?status=unknown&country=LT&page_size=100")
    cards = list(response.context["page"].object_list)
    grouped = [c for c in cards if c.incomplete_at_source]
    assert len(grouped) == 1 and grouped[0].group_size == 20
    page = response.content.decode()
    assert page.count(LITHUANIAN) == 1 and "Startas/Ino…" not in page
    assert "20 records whose names the source truncates" in page
    # The entry lists its records, each as printed.
    listed = client.get(grouped[0].group_url + "&page_size=100")
    assert len(listed.context["page"].object_list) == 20
    assert "Startas/Ino… (SecurIT figure 2, column 3)" in listed.content.decode()
    # The API lists every record, flagged, with its programme entry.
    body = client.get("/api/v1/instruments/?status=unknown&country=LT&page_size=100").json()
    flagged = [r for r in body["results"] if r["incomplete_at_source"]]
    assert len(flagged) == 20 and {r["source_group"] for r in flagged} == {LITHUANIAN}


def test_incomplete_records_rank_after_complete_ones_in_search_and_matching(
    client, make_instrument
):
    common = {"features": ["G3", "G5", "G9", "G13"], "country": "LT", "description": "heron"}
    truncated = make_instrument(
        "Heron… (truncated)",
        incomplete_at_source=True,
        deadline_dates=["2027-05-01"],
        **common,
    )
    complete = make_instrument("Heron complete call", deadline_dates=["2027-09-01"], **common)
    names = [r["name"] for r in client.get("/api/v1/instruments/?q=heron").json()["results"]]
    assert names == [complete.name, truncated.name]  # though its deadline is nearer
    body = client.get("/api/v1/match/?feature=G3&feature=G5&country=LT").json()
    ranked = [r["instrument"]["id"] for r in body["results"]]
    assert ranked.index(complete.pk) < ranked.index(truncated.pk)
    last = next(r for r in body["results"] if r["instrument"]["id"] == truncated.pk)
    assert last["incomplete_at_source"] is True
    assert any("Incomplete at source" in reason for reason in last["reasons"])


# Portal imports: identifier variants, preview, probable duplicates ---------------------------
def _portal_file(*topics) -> bytes:
    """A Search API page built from the first English topic of the recorded page, once per
    (identifier, title)."""
    import copy
    import json
    from pathlib import Path

    recorded = json.loads(
        (
            Path(__file__).resolve().parent.parent / "data" / "portal" / "search_results.json"
        ).read_text()
    )
    model = next(r for r in recorded["results"] if r["language"] == "en")
    results = []
    for identifier, title in topics:
        result = copy.deepcopy(model)
        result["reference"] = identifier + "enCOMPETITIVE_CALL"
        result["content"] = identifier
        result["metadata"]["identifier"] = [identifier]
        result["metadata"]["title"] = [title]
        results.append(result)
    return json.dumps({**recorded, "totalResults": len(results), "results": results}).encode()


def test_a_portal_import_recognises_identifier_variants_and_warns_of_duplicates(client_for):
    from clusterbridge.funding import portal_import

    printed = Instrument.objects.get(identifier="IA-HORIZON-CL3-2023-CS-01-01")
    raw = _portal_file(
        ("HORIZON-CL3-2023-CS-01-01", "Secure and resilient digital infrastructures"),
        ("HORIZON-CL3-2027-NEW-01-01", "A brand new call"),
        (
            "HORIZON-CL3-2027-DUP-01-01",
            "Copernicus downstream applications and the European Data Economy",
        ),
    )
    preview = portal_import.import_calls(raw, dry_run=True)
    assert preview.identifier_variants == [
        ("HORIZON-CL3-2023-CS-01-01", "IA-HORIZON-CL3-2023-CS-01-01")
    ]
    assert preview.created == 2 and preview.updated == 1
    new = {r["identifier"]: r for r in preview.new_records}
    assert new["HORIZON-CL3-2027-NEW-01-01"]["name"] == "A brand new call"
    assert new["HORIZON-CL3-2027-NEW-01-01"]["status"] in {"open", "closed", "forthcoming"}
    assert [d["identifier"] for d in preview.probable_duplicates] == ["HORIZON-CL3-2027-DUP-01-01"]
    assert preview.probable_duplicates[0]["existing"] == "HORIZON-EUSPA-2022-SPACE-02-54"
    # The page shows all of it before the commit.
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client_for("editor").post(
        "/import/calls/", {"file": SimpleUploadedFile("page.json", raw)}
    )
    html = page.content.decode()
    assert "Probable duplicates (1)" in html and "A brand new call" in html
    assert "HORIZON-CL3-2023-CS-01-01 is IA-HORIZON-CL3-2023-CS-01-01 here" in html
    # Committing updates the printed record instead of creating a second one.
    portal_import.import_calls(raw)
    printed.refresh_from_db()
    assert printed.identifier == "IA-HORIZON-CL3-2023-CS-01-01"
    assert printed.name == "Secure and resilient digital infrastructures"
    assert not Instrument.objects.filter(identifier="HORIZON-CL3-2023-CS-01-01").exists()
