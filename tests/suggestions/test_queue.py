"""The editors' queue: pending suggestions of every record, filtered with the one filter
panel, confirmed or rejected in bulk through the write door, with history; portal keywords
and tags feed the suggestions of imported calls."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.funding import portal_import
from clusterbridge.funding.models import Instrument
from clusterbridge.suggestions import services
from clusterbridge.suggestions.models import FeatureSuggestion
from tests.suggestions.partial import (
    PARTIAL_TEXT,
    read_a_feature_without_terms,
    vouch_for_partial_matches,
)

pytestmark = pytest.mark.django_db

SEARCH = Path(__file__).resolve().parent.parent / "data" / "portal" / "search_results.json"


def make_call(name, text):
    instrument = Instrument(name=name, origin="international", description=text)
    history.save(instrument)
    services.suggest_for(instrument)
    return instrument


@pytest.fixture
def calls():
    return [
        make_call(
            f"Call {n}",
            "Grants to build a prototype with machine learning for hospitals and patients.",
        )
        for n in range(6)
    ]


def pending(instrument):
    return {s.feature.code for s in services.pending_for(instrument)}


def test_the_queue_is_for_editors(client_for, calls):
    assert client_for("member").get("/suggestions/").status_code == 403
    assert client_for("editor").get("/suggestions/").status_code == 200


def test_the_queue_lists_pending_suggestions_with_evidence_in_a_fixed_number_of_queries(
    client_for, calls
):
    client = client_for("editor")
    client.get("/suggestions/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get("/suggestions/", {"category": "T"})
    for n in range(6, 20):
        make_call(f"Call {n}", "Machine learning prototype for hospitals.")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/suggestions/", {"category": "T"})

    assert len(many) == len(few)  # no query per suggestion or per record
    text = response.content.decode()
    assert "AI (ML)" in text and "Found in the text: machine learning" in text
    assert "Health" not in text.split("results-heading")[1].split("</section>")[0]


def test_bulk_confirm_and_reject_go_through_the_write_door_with_history(client_for, calls):
    client = client_for("editor")
    t1 = list(FeatureSuggestion.objects.filter(feature__code="T1"))
    d2 = list(FeatureSuggestion.objects.filter(feature__code="D2"))

    response = client.post(
        "/suggestions/decide/",
        {"decision": "confirm", "suggestion": [s.pk for s in t1]},
        follow=True,
    )
    assert "6 suggestion(s) confirmed." in response.content.decode()
    client.post("/suggestions/decide/", {"decision": "reject", "suggestion": [s.pk for s in d2]})

    for call in calls:
        assert "T1" in set(call.features.values_list("code", flat=True))
        assert "D2" not in set(call.features.values_list("code", flat=True))
        assert not {"T1", "D2"} & pending(call)
        entries = history.history_of(call)
        assert entries.filter(message__startswith="Accepted suggested feature T1").exists()
    assert ObjectChange.objects.filter(action=ObjectChange.Action.REJECT).count() >= 6


def test_a_suggestion_decided_meanwhile_is_reported_and_the_others_go_ahead(client_for, calls):
    client = client_for("editor")
    t1 = list(FeatureSuggestion.objects.filter(feature__code="T1"))
    services.reject(t1[0], None)

    response = client.post(
        "/suggestions/decide/",
        {"decision": "confirm", "suggestion": [s.pk for s in t1]},
        follow=True,
    )

    text = response.content.decode()
    assert "5 suggestion(s) confirmed." in text and "1 not confirmed" in text
    assert "already rejected" in text


def test_members_cannot_decide_in_bulk(client_for, calls):
    t1 = FeatureSuggestion.objects.filter(feature__code="T1").first()
    response = client_for("member").post(
        "/suggestions/decide/", {"decision": "confirm", "suggestion": [t1.pk]}
    )
    assert response.status_code == 403
    t1.refresh_from_db()
    assert t1.is_pending


def test_portal_keywords_and_tags_feed_the_suggestions():
    portal_import.import_calls(SEARCH.read_bytes())

    call = Instrument.objects.get(identifier="HORIZON-CL3-2025-CS-ECCC-01")
    found = {s.feature.code: s for s in services.pending_for(call)}
    assert "T1" in found  # "Keywords: Artificial intelligence; …; Machine learning"
    assert any("artificial intelligence" in words for words in found["T1"].evidence)


def test_facets_count_with_the_other_filters_applied(client_for, calls):
    response = client_for("editor").get("/suggestions/", {"category": "T"})

    facets = {facet.name: facet for facet in response.context["panel"].facets}
    counts = {o.value: o.count for o in facets["category"].options}
    assert counts["T"] == 6 and counts["D"] == 6 and counts["A"] == 6
    kinds = {o.value: o.count for o in facets["kind"].options}
    assert kinds["funding.instrument"] == 6 and kinds["projects.project"] == 0


def test_a_partial_match_the_model_vouched_for_is_stored_and_shown_as_such(client_for, monkeypatch):
    vouch_for_partial_matches(monkeypatch)
    call = make_call("Logins call", PARTIAL_TEXT)
    partial = [s for s in services.pending_for(call) if s.model_probability is not None]
    assert partial and all(s.model_probability == 0.9 and s.evidence for s in partial)
    page = client_for("editor").get("/suggestions/").content.decode()
    assert "a partial match, suggested because the trained model finds the feature likely" in page
    assert "(90 %)" in page


def test_a_feature_no_term_matched_is_stored_and_shown_as_the_models_reading(
    client_for, monkeypatch
):
    read_a_feature_without_terms(monkeypatch)
    call = make_call("Logins call", PARTIAL_TEXT)
    found = {s.feature.code: s for s in services.pending_for(call)}
    assert not found["P9"].term_matched and found["P9"].evidence == ["logins", "accounts"]
    assert found["P9"].model_probability == 0.95
    page = client_for("editor").get("/suggestions/").content.decode()
    assert "No term matched. The words the trained model weighed most: logins, accounts" in page
    assert "(95 %); check the text states it." in page
    assert "confidence 0 %" not in page


def test_the_records_panel_shows_a_feature_no_term_matched_as_the_models_reading(
    client_for, monkeypatch
):
    read_a_feature_without_terms(monkeypatch)
    call = make_call("Logins call", PARTIAL_TEXT)
    page = client_for("editor").get(call.get_absolute_url()).content.decode()
    assert '<td data-label="Confidence">model only</td>' in page
    note = '<small class="muted">no term matched: the words the trained model weighed most;'
    assert f"logins, accounts<br>{note}" in page
