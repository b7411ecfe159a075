"""The one InstrumentFilterSet behind /funding/ and /api/v1/instruments/: each filter alone,
combined, the defaults (open and forthcoming, real records), ordering and the errors naming
bad codes."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from clusterbridge.funding.filtersets import InstrumentFilterSet
from tests.funding.conftest import result_ids

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
ENDPOINTS = ["/api/v1/instruments/", "/funding/"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0), tick=False):
        yield


@pytest.fixture
def catalogue(make_instrument):
    """Six real instruments and one synthetic, all described with the word 'quokka'."""
    common = {"description": "Support for quokka projects."}
    return {
        "aurora": make_instrument(
            "Aurora drone accelerator",
            features=["T1", "T5", "D2"],
            country="LT",
            kind="call",
            opening_date=datetime.date(2026, 1, 1),
            deadline_dates=["2026-07-01"],
            budget_amount=500_000,
            budget_currency="EUR",
            **common,
        ),
        "borealis": make_instrument(
            "Borealis AI vouchers",
            features=["T1", "G3"],
            country="DK",
            kind="call",
            deadline_dates=["2026-09-15"],
            budget_amount=50_000,
            budget_currency="EUR",
            **common,
        ),
        "cirrus": make_instrument(
            "Cirrus cluster programme",
            features=["T5", "G3"],
            kind="programme",
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2027, 12, 31),
            **common,
        ),
        "fog": make_instrument(
            "Fog programme of unknown dates", features=["T5"], kind="programme", **common
        ),
        "delta": make_instrument(
            "Delta closed call",
            features=["T1", "T5", "D2"],
            country="LT",
            kind="call",
            deadline_dates=["2026-03-01"],
            **common,
        ),
        "echo": make_instrument(
            "Echo forthcoming call",
            features=["T1"],
            country="LT",
            kind="call",
            opening_date=datetime.date(2026, 8, 1),
            deadline_dates=["2026-10-01"],
            **common,
        ),
        "synthetic": make_instrument(
            "Synthetic aurora drones",
            features=["T1", "T5", "D2"],
            country="LT",
            kind="call",
            deadline_dates=["2026-07-01"],
            is_synthetic=True,
            **common,
        ),
    }


def found(client, endpoint, query, catalogue) -> set[str]:
    response = client.get(f"{endpoint}?{query}&page_size=100")
    assert response.status_code == 200, response.content[:500]
    ids = result_ids(response)
    if endpoint == "/funding/":
        # The page takes its total from the facet groups: it must agree with the rows.
        assert response.context["paginator"].count == len(ids)
    return {name for name, instrument in catalogue.items() if instrument.pk in ids}


CASES = [
    ("", {"aurora", "borealis", "cirrus", "echo"}),
    ("q=aurora", {"aurora"}),
    ("q=AURORA+accel", {"aurora"}),
    ("q=aurora&include_synthetic=1", {"aurora", "synthetic"}),
    ("q=aurora&include_synthetic=true", {"aurora", "synthetic"}),
    ("q=aurora&include_synthetic=0", {"aurora"}),
    ("q=aurora&include_synthetic=false", {"aurora"}),
    ("origin=international", {"cirrus"}),
    ("origin=national", {"aurora", "borealis", "echo"}),
    # country: open to applicants from it (its own and the international instruments).
    ("country=LT", {"aurora", "echo", "cirrus"}),
    ("country=lt&country=DK", {"aurora", "borealis", "echo", "cirrus"}),
    # origin_country: only the instruments recorded with that country.
    ("origin_country=LT", {"aurora", "echo"}),
    ("origin_country=lt&origin_country=DK", {"aurora", "borealis", "echo"}),
    ("feature=T1&feature=T5", {"aurora"}),
    ("feature=T1,T5", {"aurora"}),
    ("feature=T1&feature=T5&feature_mode=any", {"aurora", "borealis", "cirrus", "echo"}),
    ("kind=programme", {"cirrus"}),
    ("kind=call", {"aurora", "borealis", "echo"}),
    ("status=open", {"aurora", "borealis", "cirrus"}),
    ("status=closed", {"delta"}),
    ("status=forthcoming", {"echo"}),
    ("status=unknown", {"fog"}),
    ("status=open&status=unknown", {"aurora", "borealis", "cirrus", "fog"}),
    (
        "status=open&status=forthcoming&status=unknown",
        {"aurora", "borealis", "cirrus", "echo", "fog"},
    ),
    ("status=all", {"aurora", "borealis", "cirrus", "delta", "echo", "fog"}),
    ("status=all&status=open", {"aurora", "borealis", "cirrus", "delta", "echo", "fog"}),
    ("deadline_after=2026-08-01&deadline_before=2026-12-31&status=all", {"borealis", "echo"}),
    ("deadline_before=2026-06-30&status=all", {"delta"}),
    ("deadline_after=2026-06-15", {"aurora", "borealis", "echo"}),
    ("budget_min=100000", {"aurora"}),
    ("budget_max=100000", {"borealis"}),
    ("q=quokka&country=LT&feature=T1&feature=D2&status=all", {"aurora", "delta"}),
    (
        "q=quokka&country=LT&feature=T1&feature=D2&status=all&include_synthetic=1",
        {"aurora", "delta", "synthetic"},
    ),
    ("origin=national&kind=call&budget_max=1000000&feature=T1", {"aurora", "borealis"}),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("query", "expected"), CASES, ids=[c[0] or "defaults" for c in CASES])
def test_each_filter_alone_and_combined(client, catalogue, endpoint, query, expected):
    assert found(client, endpoint, query, catalogue) == expected


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_ordering(client, catalogue, endpoint):
    def names(ordering):
        response = client.get(f"{endpoint}?q=quokka&status=all&ordering={ordering}")
        ids = (
            [r["id"] for r in response.json()["results"]]
            if "api" in endpoint
            else [i.pk for i in response.context["page"].object_list]
        )
        by_id = {i.pk: name for name, i in catalogue.items()}
        return [by_id[pk] for pk in ids]

    assert names("name") == ["aurora", "borealis", "cirrus", "delta", "echo", "fog"]
    assert names("-name") == ["fog", "echo", "delta", "cirrus", "borealis", "aurora"]
    # Soonest last deadline first; instruments without deadline last.
    assert names("deadline") == ["delta", "aurora", "borealis", "echo", "cirrus", "fog"]


def test_relevance_ranks_better_matches_first(client, make_instrument):
    weak = make_instrument(
        "Generic fund",
        description="wombat mentioned once among many "
        "other words about support for enterprises in the region",
        deadline_dates=["2026-12-01"],
    )
    strong = make_instrument(
        "Wombat wombat programme", description="wombat wombat wombat", deadline_dates=["2026-12-01"]
    )
    response = client.get("/api/v1/instruments/?q=wombat&ordering=relevance")
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [strong.pk, weak.pk]
    assert (
        response.json()["results"][0]["search_rank"] >= response.json()["results"][1]["search_rank"]
    )


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("feature=T1&feature=ZZ9", ["feature", "ZZ9"]),
        ("feature=Q1,Q2", ["feature", "Q1", "Q2"]),
        ("country=XX", ["country", "XX"]),
        ("country=LT&country=QQ", ["country", "QQ"]),
        ("status=finished", ["status", "finished"]),
        ("origin=galactic", ["origin", "galactic"]),
        ("deadline_after=tomorrow", ["deadline_after"]),
    ],
)
def test_api_answers_400_naming_the_bad_value(client, query, named):
    response = client.get(f"/api/v1/instruments/?{query}")
    assert response.status_code == 400
    body = response.content.decode()
    for word in named:
        assert word in body


def test_page_shows_the_error_and_no_results(client, catalogue):
    response = client.get("/funding/?feature=ZZ9&country=LT")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Unknown feature code(s): ZZ9." in text
    assert response.context["paginator"].count == 0


def test_query_lives_in_the_url_and_the_form_keeps_it(client, catalogue):
    response = client.get(
        "/funding/?q=quokka&feature=T1&feature=T5&country=LT&status=all&ordering=name&page_size=20"
    )
    text = response.content.decode()
    assert 'value="quokka"' in text
    assert 'name="feature" value="T1" checked' in text
    assert 'name="feature" value="T5" checked' in text
    assert 'name="country" value="LT" checked' in text
    assert '<option value="name" selected>' in text
    assert '<option value="20" selected>' in text
    assert '<form method="get"' in text


def test_results_show_deadline_days_left_and_matching_features(client, catalogue):
    response = client.get("/funding/?q=aurora&feature=T5")
    text = response.content.decode()
    assert "1 – 1 of 1" in text
    assert "Aurora drone accelerator" in text
    assert "30 days left" in text  # 1 July 2026 seen on 1 June 2026
    # Features are named by their labels, those the query asked for marked as matching.
    assert '<li class="matched">Laser' in text
    matched = [
        item["feature"].code
        for item in response.context["page"].object_list[0].feature_list
        if item["matched"]
    ]
    assert matched == ["T5"]


def test_pagination_one_to_ten_of_n(client, make_instrument):
    for number in range(23):
        make_instrument(
            f"Numbat call {number:02d}", description="numbat", deadline_dates=["2026-12-01"]
        )
    response = client.get("/funding/?q=numbat&ordering=name")
    assert "1 – 10 of 23" in response.content.decode()
    response = client.get("/funding/?q=numbat&ordering=name&page=3")
    assert "21 – 23 of 23" in response.content.decode()
    assert [i.name for i in response.context["page"].object_list][0] == "Numbat call 20"
    response = client.get("/funding/?q=numbat&page_size=50")
    assert "1 – 23 of 23" in response.content.decode()
    api = client.get("/api/v1/instruments/?q=numbat&page_size=5&page=2").json()
    assert api["count"] == 23 and len(api["results"]) == 5


def test_real_catalogue_counts_leave_synthetic_records_out(client, catalogue):
    real = client.get("/api/v1/instruments/?status=all&page_size=1").json()["count"]
    everything = client.get(
        "/api/v1/instruments/?status=all&include_synthetic=1&page_size=1"
    ).json()["count"]
    assert everything == real + 1


# Facets -------------------------------------------------------------------------------------
def facets(query: str):
    filterset = InstrumentFilterSet(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    return filterset, filterset.facet_counts()


def test_facet_counts_beside_each_value(catalogue):
    _, counts = facets("q=quokka")
    assert counts["status"]["open"] == 3
    assert counts["status"]["closed"] == 1
    assert counts["status"]["forthcoming"] == 1
    assert counts["status"]["unknown"] == 1
    assert counts["status"]["all"] == 6
    # The other facets count the default statuses (open and forthcoming).
    assert counts["origin"] == {"national": 3, "international": 1}
    # Ticking a country finds its own instruments and the international one (cirrus).
    assert counts["country"]["LT"] == 3 and counts["country"]["DK"] == 2
    assert counts["kind"] == {"call": 3, "programme": 1}
    assert counts["feature"]["T1"] == 3 and counts["feature"]["T5"] == 2
    assert counts["feature"]["G3"] == 2 and counts["feature"]["D2"] == 1


def test_multi_select_facets_count_with_the_other_filters(catalogue):
    _, counts = facets("q=quokka&country=LT")
    # Ticking LT does not hide the other countries' counts (they would widen the results)...
    assert counts["country"]["DK"] == 2
    # ...but narrows every other facet: LT's own instruments and the international ones.
    assert counts["origin"] == {"national": 2, "international": 1}
    assert counts["status"]["closed"] == 1 and counts["status"]["forthcoming"] == 1
    assert counts["status"]["unknown"] == 1  # fog: international, dates unknown
    assert counts["feature"]["T5"] == 2


def test_feature_counts_follow_the_feature_mode(catalogue):
    _, counts = facets("q=quokka&feature=T1")
    assert counts["feature"]["T5"] == 1  # all: ticking T5 too leaves aurora
    assert counts["feature"]["G3"] == 1  # borealis
    any_mode = "q=quokka&feature=T1&feature_mode=any"
    filterset, counts = facets(any_mode)
    # Any: ticking G3 too widens the results to instruments with T1 or G3.
    widened, _ = facets(any_mode + "&feature=G3")
    assert counts["feature"]["G3"] == widened.qs.count() > filterset.qs.count()
    assert counts["feature"]["T1"] == filterset.qs.count()


@pytest.mark.parametrize("facet", ["origin", "country", "kind", "status", "feature"])
def test_each_count_is_what_ticking_the_value_gives(catalogue, facet):
    base = "q=quokka&feature=T1"
    _, counts = facets(base)
    assert counts[facet]
    for value, count in counts[facet].items():
        if value in (None, ""):
            continue
        query = (
            f"{base}&{facet}={value}"
            if facet != "status"
            else f"q=quokka&feature=T1&status={value}"
        )
        filterset = InstrumentFilterSet(QueryDict(query))
        assert filterset.qs.count() == count, (facet, value)


def test_page_shows_the_counts(client, catalogue):
    text = client.get("/funding/?q=quokka").content.decode()
    assert (
        'name="status" value="closed"> Closed <span class="count" aria-label="1 result">(1)' in text
    )
    assert 'value="national"> National <span class="count" aria-label="3 results">(3)' in text
    assert (
        'name="status" value="unknown"> Unknown (check at the source) '
        '<span class="count" aria-label="1 result">(1)' in text
    )


# Query count --------------------------------------------------------------------------------
def count_queries(client, url) -> int:
    # The first request after a write rebuilds this process's search index; what a page
    # costs is measured on the next one.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_query_count_is_constant(client, make_instrument, endpoint):
    for number in range(3):
        make_instrument(
            f"Kiwi call {number}",
            features=["T1", "T2"],
            country="LT",
            description="kiwi",
            deadline_dates=["2026-12-01"],
        )
    few = count_queries(client, f"{endpoint}?q=kiwi&feature=T1&feature=T2&country=LT")
    for number in range(25):
        make_instrument(
            f"Kiwi more {number}",
            features=["T1", "T2", "G1", "D1"],
            country=["LT", "DK", "FI"][number % 3],
            description="kiwi",
            deadline_dates=["2026-12-01"],
        )
    many = count_queries(
        client,
        f"{endpoint}?q=kiwi&feature=T1&feature=T2&country=LT&country=DK&country=FI&page_size=50",
    )
    assert few == many
    assert many <= 15
