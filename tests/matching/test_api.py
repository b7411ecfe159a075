"""GET /api/v1/match/ and GET /api/v1/projects/<id>/matches/."""

import pytest

from clusterbridge.projects.models import Project
from tests.matching.factories import make_instrument, make_project

pytestmark = pytest.mark.django_db


def test_match_returns_ranked_instruments_with_score_and_explanation(client):
    first = make_instrument("Stage fund", ["D2"], deadlines=["2099-02-01"])
    make_instrument("Technique fund", ["T1"], deadlines=["2099-01-01"])
    make_instrument("French fund", ["D2"], origin="national", country="FR")
    response = client.get("/api/v1/match/?feature=T1&feature=D2&country=LT")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    top = data["results"][0]
    assert top["rank"] == 1
    assert top["instrument"]["id"] == first.pk and top["instrument"]["name"] == "Stage fund"
    assert top["score"] == 0.75
    assert top["shared"] == [{"code": "D2", "label": "Prototype"}]
    assert top["missing"] == [{"code": "T1", "label": "AI (ML)"}]
    assert top["deadline"] == "2099-02-01"
    assert top["explanation"] == "Fits because: Prototype; missing: AI (ML)"
    assert [r["instrument"]["name"] for r in data["results"]] == ["Stage fund", "Technique fund"]


def test_match_pages_through_the_ranking(client):
    for n in range(5):
        make_instrument(f"Fund {n}", ["D2"], deadlines=[f"2099-01-0{n + 1}"])
    data = client.get("/api/v1/match/?feature=D2&page=2&page_size=2").json()
    assert data["count"] >= 5
    assert [r["rank"] for r in data["results"]] == [3, 4]
    assert [r["instrument"]["name"] for r in data["results"]] == ["Fund 2", "Fund 3"]


@pytest.mark.parametrize(
    "query,errors",
    [
        ("feature=T1&feature=ZZ&country=LT", {"feature": ["Unknown feature code(s): ZZ."]}),
        ("feature=T1&country=XX", {"country": ["Unknown country code(s): XX."]}),
        ("feature=T1&country=LT&country=FR", {"country": ["Give one country."]}),
        ("country=LT", {"feature": ["Give at least one feature code."]}),
        ("feature=T1&page=two", {"page": "page and page_size must be whole numbers."}),
    ],
)
def test_match_rejects_bad_input_naming_it(client, query, errors):
    response = client.get(f"/api/v1/match/?{query}")
    assert response.status_code == 400
    assert response.json() == errors


def test_project_matches_use_the_projects_features_and_country(client, users):
    make_instrument("German fund", ["T1"], origin="national", country="DE")
    make_instrument("Open fund", ["T1"])
    project = make_project("Berlin AI", ["T1"], country="DE", owner=users["member"])
    names = [
        r["instrument"]["name"]
        for r in client.get(f"/api/v1/projects/{project.pk}/matches/").json()["results"]
    ]
    assert "German fund" in names and "Open fund" in names
    french = make_project("Paris AI", ["T1"], country="FR", owner=users["member"])
    names = [
        r["instrument"]["name"]
        for r in client.get(f"/api/v1/projects/{french.pk}/matches/").json()["results"]
    ]
    assert "German fund" not in names and "Open fund" in names


def test_reference_project_matches(client):
    project = Project.objects.get(name="ARSP")
    data = client.get(f"/api/v1/projects/{project.pk}/matches/").json()
    assert data["profile"]["features"] == sorted(f.code for f in project.features.all())
    for result in data["results"]:
        assert result["shared"] and result["score"] > 0
