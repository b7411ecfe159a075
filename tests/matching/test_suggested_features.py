"""Features suggested from an instrument's text take part in matching at half weight and are
named "suggested, not confirmed" in every explanation, until an editor decides them."""

import pytest

from clusterbridge.matching import engine, services
from clusterbridge.matching.tables import results_table
from clusterbridge.suggestions import services as suggestions
from tests.matching.factories import make_instrument
from tests.suggestions.partial import (
    PARTIAL_TEXT,
    read_a_feature_without_terms,
    vouch_for_partial_matches,
)

pytestmark = pytest.mark.django_db

LABEL = "(suggested, not confirmed)"


@pytest.fixture
def calls():
    confirmed = make_instrument("Prototype call", ["D2", "A-health"])
    suggested = make_instrument("Hospital call", ["A-health"])
    (suggestion,) = [
        s
        for s in suggestions.suggest_for(suggested, text="Grants to build a working prototype.")
        if s.feature.code == "D2"
    ]
    return confirmed, suggested, suggestion


def ranked(codes):
    profile = engine.Profile(frozenset(codes))
    only = [c.pk for c in CALLS]
    return engine.rank(profile, instruments=only)


CALLS: list = []


@pytest.fixture(autouse=True)
def _remember(calls):
    CALLS[:] = calls[:2]
    yield
    CALLS.clear()


def test_a_suggested_feature_counts_at_half_weight_and_is_labelled(calls):
    confirmed, suggested, _ = calls

    matches = ranked({"D2", "A-health"})

    assert [m.instrument_id for m in matches] == [confirmed.pk, suggested.pk]
    assert matches[0].percent == 100 and matches[0].suggested == []
    # A-health 2 points confirmed + D2 3 points × 0.5 = 3.5 of 5.
    assert matches[1].percent == 70
    assert matches[1].shared == ["A-health"] and matches[1].suggested == ["D2"]
    assert matches[1].reasons[0] == f"Fits because: Health, Prototype {LABEL}"


def test_the_label_is_in_the_page_text_the_api_and_the_download(calls, client):
    _, suggested, _ = calls
    results = services.with_instruments(ranked({"D2"}))

    assert results[-1].explanation == f"Fits because: Prototype {LABEL}"
    assert f"Prototype {LABEL}" in results_table(results).rows[-1][3]
    page = client.get("/match/", {"feature": "D2"}).content.decode()
    assert f"Fits because: Prototype {LABEL}" in page
    api = client.get("/api/v1/match/", {"feature": "D2", "page_size": 100})
    rows = {row["instrument"]["id"]: row for row in api.json()["results"]}
    assert rows[suggested.pk]["suggested"] == [{"code": "D2", "label": "Prototype"}]
    assert LABEL in rows[suggested.pk]["explanation"]


def test_a_rejected_suggestion_stops_counting_and_a_confirmed_one_counts_in_full(calls, users):
    confirmed, suggested, suggestion = calls

    suggestions.reject(suggestion, users["editor"])
    assert [m.instrument_id for m in ranked({"D2"})] == [confirmed.pk]

    other = make_instrument("Another hospital call", ["A-health"])
    (pending,) = [
        s for s in suggestions.suggest_for(other, text="prototype") if s.feature.code == "D2"
    ]
    suggestions.accept(pending, users["editor"])
    CALLS.append(other)
    by_id = {m.instrument_id: m for m in ranked({"D2"})}
    assert by_id[other.pk].percent == 100 and by_id[other.pk].suggested == []


def test_match_page_suggests_features_from_the_description_as_checkboxes_to_tick(client):
    response = client.get(
        "/match/",
        {
            "description": "Our AI uses machine learning to detect intrusions in hospital "
            "networks; we need funding to build a prototype.",
            "suggest": "1",
        },
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Suggested from your description" in text
    assert '<input type="checkbox" name="feature" value="T1" id="suggested-T1">' in text
    assert '<input type="checkbox" name="feature" value="D2" id="suggested-D2">' in text
    assert 'value="A-health" id="suggested-A-health"' in text
    assert "(from: machine learning" in text or "(from: ai" in text
    assert "matching instrument" not in text  # nothing ticked yet: no results


def test_a_partial_match_is_offered_with_a_word_to_check_it(client, monkeypatch):
    vouch_for_partial_matches(monkeypatch)
    text = client.get("/match/", {"description": PARTIAL_TEXT, "suggest": "1"}).content.decode()
    assert "a partial match: check it fits)" in text


def test_a_feature_no_term_matched_is_offered_as_the_models_reading(client, monkeypatch):
    read_a_feature_without_terms(monkeypatch)
    text = client.get("/match/", {"description": PARTIAL_TEXT, "suggest": "1"}).content.decode()
    assert 'value="P9" id="suggested-P9"' in text
    assert "(from: logins, accounts — no term matched, the model read it in these words" in text


def test_a_ticked_suggestion_is_searched_and_no_longer_suggested(client, calls):
    response = client.get(
        "/match/",
        {"description": "A prototype for hospitals", "feature": ["D2"]},
    )

    text = response.content.decode()
    assert 'id="suggested-D2"' not in text  # ticked: searched, not suggested again
    assert 'value="A-health" id="suggested-A-health"' in text
    assert "matching instrument" in text


def test_without_a_description_the_suggest_button_asks_for_one(client):
    text = client.get("/match/", {"suggest": "1"}).content.decode()
    assert "Write a few sentences about your solution first." in text
