"""Answers are private to the cluster's managers and administrators: another cluster's
manager, a signed-in member and an anonymous visitor see nothing of them — not on the pages,
not in the API, not in the exports, not in search. The indicator catalogue is public."""

import json

import pytest
from rest_framework.test import APIClient

from clusterbridge.accounts.models import ApiToken
from tests.benchmarking.conftest import FULL, mobile_heights


@pytest.fixture
def api_for(people):
    def make(role):
        api = APIClient()
        if people[role] is not None:
            _, key = ApiToken.issue(people[role], "tests")
            api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    return make


def pages(assessment):
    base = f"/benchmarking/assessments/{assessment.pk}"
    return [
        f"{base}/",
        f"{base}/blocks/I/",
        f"{base}/report/",
        f"{base}/report.pdf",
        f"{base}/answers.csv",
        f"{base}/answers.xlsx",
        f"/benchmarking/clusters/{assessment.cluster.slug}/",
    ]


@pytest.mark.parametrize("role", ["other_manager", "member"])
def test_other_people_get_not_found(submitted, signed_in, role):
    client = signed_in(role)
    for url in pages(submitted):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/benchmarking/assessments/{submitted.pk}/submit/").status_code == 404
    assert client.post(f"/benchmarking/clusters/{submitted.cluster.slug}/start/").status_code == 404


def test_anonymous_visitors_are_asked_to_sign_in(submitted, signed_in):
    client = signed_in("anonymous")
    for url in pages(submitted):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_administrators_read_the_report(submitted, signed_in, role):
    assert (
        signed_in(role).get(f"/benchmarking/assessments/{submitted.pk}/report/").status_code == 200
    )


def test_another_manager_cannot_post_answers_to_the_block(draft, signed_in):
    response = signed_in("other_manager").post(
        f"/benchmarking/assessments/{draft.pk}/blocks/I/", {"I-07": "1"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert "I-07" not in draft.answers


def test_the_indicator_catalogue_is_public_in_the_api(api_for, db, people):
    response = api_for("anonymous").get("/api/v1/benchmarking/indicators/?block=V")
    assert response.status_code == 200
    rows = response.json()["results"] if "results" in response.json() else response.json()
    assert {row["block"] for row in rows} == {"V"}
    first = rows[0]
    assert {"code", "question", "answer_type", "source", "block"} <= set(first)
    assert first["source"][0]["document"].startswith("002_")
    one = api_for("anonymous").get("/api/v1/benchmarking/indicators/II-01/").json()
    assert one["scoring"] == {
        "kind": "at_least",
        "value": 0.5,
        "source": {"document": "003_488dc8e611df78cd.txt", "lines": [166, 166]},
    }
    bad = api_for("anonymous").get("/api/v1/benchmarking/indicators/?block=VI")
    assert bad.status_code == 400


def test_the_api_lists_only_the_callers_own_assessments(submitted, api_for):
    mine = api_for("manager").get("/api/v1/benchmarking/assessments/").json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    assert [row["id"] for row in rows] == [submitted.pk]
    assert rows[0]["answers"]["I-07"] == 30
    other = api_for("other_manager").get("/api/v1/benchmarking/assessments/").json()
    assert (other["results"] if isinstance(other, dict) else other) == []
    assert (
        api_for("other_manager")
        .get(f"/api/v1/benchmarking/assessments/{submitted.pk}/")
        .status_code
        == 404
    )
    assert api_for("anonymous").get("/api/v1/benchmarking/assessments/").status_code in (401, 403)


def test_answers_through_the_api_are_validated_and_saved(draft, api_for):
    api = api_for("manager")
    url = f"/api/v1/benchmarking/assessments/{draft.pk}/answers/"
    bad = api.post(url, {"answers": {"I-07": "many"}}, format="json")
    assert bad.status_code == 400 and "I-07" in bad.json()
    good = api.post(url, {"answers": {"I-07": 30, "I-09": True}}, format="json")
    assert good.status_code == 200 and good.json()["answers"]["I-09"] is True
    early = api.post(f"/api/v1/benchmarking/assessments/{draft.pk}/submit/")
    assert early.status_code == 400
    assert (
        api_for("other_manager").post(url, {"answers": {"I-07": 1}}, format="json").status_code
        == 404
    )


def test_answers_reach_neither_the_public_cluster_pages_nor_search(submitted, client):
    marker = "A regional innovation award."
    assert marker == FULL["IV-01"]
    cluster = mobile_heights()
    for url in (
        cluster.get_absolute_url(),
        "/clusters/?q=regional+innovation+award",
        "/api/v1/clusters/",
    ):
        assert marker not in client.get(url).content.decode()
    assert marker not in client.get("/clusters/export.csv").content.decode(errors="ignore")


def test_download_my_data_has_the_persons_assessments(submitted, signed_in):
    from clusterbridge.accounts.dashboard import personal_data

    exporter = next(d for d in personal_data() if d.key == "benchmarking")
    data = exporter.export(submitted.submitted_by)
    assert data["assessments"][0]["cluster"] == "Mobile Heights"
    assert data["assessments"][0]["submitted_by_you"] is True
    json.dumps(data)


def test_my_clusterbridge_shows_the_panel_to_managers_only(submitted, signed_in):
    page = signed_in("manager").get("/account/").content.decode()
    assert "Benchmarking" in page and f"/benchmarking/assessments/{submitted.pk}/report/" in page
    assert (
        f"/benchmarking/assessments/{submitted.pk}/"
        not in signed_in("member").get("/account/").content.decode()
    )


def test_managers_download_their_answers(submitted, signed_in):
    response = signed_in("manager").get(f"/benchmarking/assessments/{submitted.pk}/answers.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "I-07,How many cluster participants are clearly committed" in text
    assert "Regularly, in a network of regular contacts" in text
    assert "003_488dc8e611df78cd.txt L166-166" in text
    xlsx = signed_in("manager").get(f"/benchmarking/assessments/{submitted.pk}/answers.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
