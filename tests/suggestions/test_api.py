"""POST /api/v1/suggest-features/: public, throttled, explains every feature."""

import pytest

from tests.suggestions.partial import (
    PARTIAL_TEXT,
    read_a_feature_without_terms,
    vouch_for_partial_matches,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/suggest-features/"


def test_it_suggests_features_with_labels_scores_and_evidence(client):
    response = client.post(
        URL,
        {"text": "A machine learning prototype for cybersecurity."},
        content_type="application/json",
    )
    assert response.status_code == 200
    features = {f["code"]: f for f in response.json()["features"]}
    assert {"T1", "D2", "P12"} <= set(features)
    assert features["T1"] == {
        "code": "T1",
        "label": "AI (ML)",
        "score": features["T1"]["score"],
        "evidence": ["machine learning"],
        "term_matched": True,
        "model_probability": None,  # the words alone suggest it
    }
    assert 0.5 <= features["T1"]["score"] < 1


def test_a_partial_match_the_model_vouched_for_says_so(client, monkeypatch):
    vouch_for_partial_matches(monkeypatch)
    response = client.post(
        URL, {"text": PARTIAL_TEXT, "language": "en"}, content_type="application/json"
    )
    partial = [f for f in response.json()["features"] if f["model_probability"] is not None]
    assert partial and all(f["model_probability"] == 0.9 and f["evidence"] for f in partial)
    assert all(f["score"] < 0.5 for f in partial)


def test_a_feature_no_term_matched_says_so_and_shows_the_models_words(client, monkeypatch):
    read_a_feature_without_terms(monkeypatch)
    response = client.post(
        URL, {"text": PARTIAL_TEXT, "language": "en"}, content_type="application/json"
    )
    features = {f["code"]: f for f in response.json()["features"]}
    assert features["P9"]["term_matched"] is False and features["P9"]["score"] == 0
    assert features["P9"]["evidence"] == ["logins", "accounts"]
    assert features["P9"]["model_probability"] == 0.95
    assert all(f["term_matched"] for code, f in features.items() if code != "P9")


def test_language_can_be_given(client):
    response = client.post(
        URL, {"text": "ai progetti", "language": "it"}, content_type="application/json"
    )
    assert response.json() == {"features": []}


@pytest.mark.parametrize(
    "body, message",
    [
        ({"text": ""}, "text is empty"),
        ({}, "required"),
        ({"text": "x" * 20_001}, "at most 20,000 characters"),
        ({"text": "drones", "language": "xx"}, "not a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, body, message):
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert message in str(response.json())


def test_anonymous_callers_are_throttled(client):
    for _ in range(60):
        assert (
            client.post(URL, {"text": "drones"}, content_type="application/json").status_code == 200
        )
    response = client.post(URL, {"text": "drones"}, content_type="application/json")
    assert response.status_code == 429


def test_signed_in_callers_use_their_token(api_client_for):
    api = api_client_for("member")
    assert api.post(URL, {"text": "Drones with LiDAR"}, format="json").status_code == 200
