"""/match/: the public "find funding for my solution" page, its downloads, and the match
matrix of projects × instruments."""

import pytest

from clusterbridge.projects.models import Project
from tests.matching.factories import make_instrument, make_project
from tests.projects.test_exports import parse_csv, parse_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return {
        "eu": make_instrument(
            "European prototype call", ["T1", "D2", "P12"], deadlines=["2099-05-01"]
        ),
        "lt": make_instrument(
            "Lithuanian export aid", ["G1"], origin="national", cover_level="national", country="LT"
        ),
        "closed": make_instrument(
            "Expired prototype call", ["T1", "D2", "P12", "G1"], deadlines=["2020-01-01"]
        ),
    }


def test_the_page_ranks_with_reasons_at_a_shareable_address(client, catalogue):
    query = "feature=T1&feature=D2&feature=P12&feature=G1&country=FR"
    response = client.get(f"/match/?{query}")
    text = response.content.decode()
    assert response.status_code == 200
    assert "European prototype call" in text
    assert "Fits because: AI (ML), Cybersecurity, Prototype; missing: Export support" in text
    assert "Expired prototype call" not in text
    assert "Lithuanian export aid" not in text  # national, and the applicant is French
    # The same address gives the same page: the ticked boxes and country come back.
    assert 'value="T1" id="feature-T1" checked' in text
    assert '<option value="FR" selected>' in text


def test_the_applicants_country_brings_its_national_instruments(client, catalogue):
    text = client.get("/match/?feature=G1&country=LT").content.decode()
    assert "Lithuanian export aid" in text


def test_unknown_codes_are_named_and_nothing_is_ranked(client, catalogue):
    response = client.get("/match/?feature=T1&feature=X77&country=QQ")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Unknown feature code(s): X77." in text
    assert "Unknown country code(s): QQ." in text
    assert "European prototype call" not in text


@pytest.mark.parametrize("parse,fmt", [(parse_csv, "csv"), (parse_xlsx, "xlsx")])
def test_the_results_download_parses_back(client, catalogue, parse, fmt):
    rows = parse(
        client.get("/match/", {"feature": ["T1", "D2", "G1"], "country": "LT", "format": fmt})
    )
    assert rows[0][:3] == ["Rank", "Instrument", "Score (%)"]
    body = {row[1]: row for row in rows[1:]}
    european = body["European prototype call"]
    assert int(european[0]) == 1 and int(european[2]) == 57
    assert european[3] == "AI (ML), Prototype" and european[4] == "Export support"
    assert european[5] == "2099-05-01"
    column = {name: n for n, name in enumerate(rows[0])}
    assert european[column["Why this status"]] == "Open: next deadline 2099-05-01."
    lithuanian = body["Lithuanian export aid"]
    assert lithuanian[column["For applicants from"]] == "Lithuania"
    # A programme open by its period says so, and the period is a column of its own.
    assert lithuanian[column["Why this status"]] == (
        "Open: the programme period runs until 2099-12-31."
    )
    assert lithuanian[column["Programme period"]] == "? – 2099-12-31"
    assert "Expired prototype call" not in body


def test_the_match_page_query_count_is_constant(client, django_assert_max_num_queries):
    make_instrument("Call", ["T1", "D2"], deadlines=["2099-01-01"])
    client.get("/match/?feature=T1&feature=D2")  # builds the index
    with django_assert_max_num_queries(10):
        client.get("/match/?feature=T1&feature=D2")  # from the index
    for n in range(30):
        make_instrument(f"Call {n}", ["T1", "D2"], deadlines=["2099-01-01"])
    client.get("/match/?feature=T1")  # rebuilds the index
    with django_assert_max_num_queries(10):
        response = client.get("/match/?feature=T1&feature=D2")
    assert response.content.decode().count('class="result"') == 20


@pytest.mark.parametrize("parse,fmt", [(parse_csv, "csv"), (parse_xlsx, "xlsx")])
def test_the_match_matrix_of_chosen_projects_parses_back(client, users, catalogue, parse, fmt):
    mine = make_project("Lithuanian exporter", ["G1", "T1"], country="LT")
    diac = Project.objects.get(name="DIAC")
    rows = parse(
        client.get("/match/matrix/", {"project": [mine.pk, diac.pk], "top": 20, "format": fmt})
    )
    assert rows[0][2:] == ["Lithuanian exporter", "DIAC"]
    body = {row[0]: row[2:] for row in rows[2:]}
    # Lithuanian exporter: G1 weighs 3 and T1 weighs 1 of its 4 points.
    assert int(body["Lithuanian export aid"][0]) == 75
    assert int(body["European prototype call"][0]) == 25
    # DIAC has no country: the LT instrument is still scored, with its restriction explained.
    assert body["Lithuanian export aid"][1] != ""
    assert "Expired prototype call" not in body


def test_the_match_matrix_page_defaults_to_public_projects_with_features(client, users):
    make_project("Hidden", ["T1"], owner=users["member"], visibility="private")
    response = client.get("/match/matrix/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "DIAC" in text and "Hidden" not in text and "SYLVIA" not in text


def test_the_match_matrix_refuses_projects_the_user_may_not_see(client, users):
    hidden = make_project("Hidden", ["T1"], owner=users["member"], visibility="private")
    response = client.get("/match/matrix/", {"project": hidden.pk})
    assert response.status_code == 400
    assert "Hidden" not in response.content.decode()


def test_match_matrix_and_project_page_query_counts_do_not_grow(
    client, users, django_assert_max_num_queries
):
    diac = Project.objects.get(name="DIAC")
    client.get("/match/matrix/")  # builds the index
    with django_assert_max_num_queries(10):
        client.get("/match/matrix/")
    with django_assert_max_num_queries(14):
        client.get(f"/projects/{diac.pk}/")
    for n in range(20):
        make_instrument(f"Crypto call {n}", ["T3", "G1"], deadlines=["2099-01-01"])
        make_project(f"Crypto project {n}", ["T3", "G1", "D2"])
    client.get("/match/matrix/")  # rebuilds the index
    with django_assert_max_num_queries(10):
        response = client.get("/match/matrix/")
    assert "Crypto project 19" in response.content.decode()
    with django_assert_max_num_queries(14):
        response = client.get(f"/projects/{diac.pk}/")
    assert "Crypto call" in response.content.decode()


def test_the_description_is_kept_in_the_shareable_address(client, catalogue):
    text = client.get("/match/?feature=T1&description=Drone+mapping+of+slopes").content.decode()
    assert "Drone mapping of slopes</textarea>" in text
