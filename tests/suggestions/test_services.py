"""Suggestions stored for a record, accepted into its features or rejected, with history."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import RequestFactory

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.suggestions import services
from clusterbridge.suggestions.models import FeatureSuggestion
from clusterbridge.taxonomy.models import Feature

pytestmark = pytest.mark.django_db

DESCRIPTION = (
    "Grants for SMEs that build a prototype of a drone using machine learning "
    "and artificial intelligence."
)


@pytest.fixture
def call():
    instrument = Instrument(
        name="Zephyr drone call", origin="international", description=DESCRIPTION
    )
    history.save(instrument, m2m={"features": list(Feature.objects.filter(code="T13"))})
    return instrument


def suggested(call):
    return {s.feature.code: s for s in services.pending_for(call)}


def test_suggest_for_stores_new_features_with_their_evidence(call, users):
    created = services.suggest_for(call, user=users["editor"])
    found = suggested(call)
    assert {s.feature.code for s in created} == set(found) == {"T1", "D2"}  # T13 already assigned
    assert (
        "machine learning" in found["T1"].evidence
        and "artificial intelligence" in found["T1"].evidence
    )
    assert 0.5 <= found["T1"].score < 1
    assert history.history_of(found["T1"]).filter(action="create", user=users["editor"]).exists()


def test_suggesting_again_does_not_duplicate(call, users):
    services.suggest_for(call, user=users["editor"])
    assert services.suggest_for(call, user=users["editor"]) == []
    assert FeatureSuggestion.objects.count() == 2


def test_accept_adds_the_feature_through_the_history(call, users):
    services.suggest_for(call, user=users["editor"])
    services.accept(suggested(call)["T1"], users["editor"])
    assert set(call.features.values_list("code", flat=True)) == {"T1", "T13"}
    change = history.history_of(call).first()
    assert change.user == users["editor"] and "T1" in change.after["features"]
    assert "machine learning" in change.message
    decided = FeatureSuggestion.objects.get(feature__code="T1")
    assert decided.status == "accepted" and decided.decided_by == users["editor"]
    assert "T1" not in suggested(call)


def test_reject_keeps_the_record_and_is_not_suggested_again(call, users):
    services.suggest_for(call, user=users["editor"])
    services.reject(suggested(call)["D2"], users["admin"])
    assert set(call.features.values_list("code", flat=True)) == {"T13"}
    assert FeatureSuggestion.objects.get(feature__code="D2").status == "rejected"
    services.suggest_for(call, user=users["editor"])
    assert "D2" not in suggested(call)


def test_a_decided_suggestion_cannot_be_decided_again(call, users):
    services.suggest_for(call, user=users["editor"])
    suggestion = suggested(call)["T1"]
    services.reject(suggestion, users["editor"])
    with pytest.raises(ValidationError, match="already rejected"):
        services.accept(suggestion, users["editor"])
    assert "T1" not in call.features.values_list("code", flat=True)


def test_only_those_who_may_change_the_record_decide(call, users):
    services.suggest_for(call, user=users["editor"])
    with pytest.raises(PermissionDenied):
        services.accept(suggested(call)["T1"], users["member"])
    with pytest.raises(PermissionDenied):
        services.suggest_for(call, user=users["member"])


def test_panel_shows_buttons_only_to_those_who_may_change(call, users):
    services.suggest_for(call, user=users["editor"])
    template = Template("{% load suggestion_tags %}{% suggestions_panel object %}")

    def render(role):
        request = RequestFactory().get("/funding/1/")
        request.user = users[role] or AnonymousUser()
        return template.render(Context({"request": request, "object": call}))

    editor_html = render("editor")
    assert "T1 AI (ML)" in editor_html and "machine learning" in editor_html
    assert "Accept T1" in editor_html and "Reject D2" in editor_html
    assert "Suggest features from the description" in editor_html
    ct = ContentType.objects.get_for_model(Instrument).pk
    assert f'action="/suggestions/for/{ct}/{call.pk}/"' in editor_html
    # Suggestions are editorial: people who may not change the record don't see them.
    assert "Suggested features" not in render("member")
    assert "Suggested features" not in render("anonymous")


def test_a_deleted_record_takes_no_decision(call, users):
    from django.core.exceptions import ValidationError

    from clusterbridge.core import history

    services.suggest_for(call, user=users["editor"])
    suggestion = services.pending_for(call).first()
    history.soft_delete(call, user=users["editor"])
    with pytest.raises(ValidationError, match="no longer exists"):
        services.accept(suggestion, users["editor"])
    call.refresh_from_db()
    assert suggestion.feature not in call.features.all()


def test_a_malformed_record_id_is_a_404(client_for):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Instrument).pk
    assert client_for("admin").post(f"/suggestions/for/{ct}/abc/").status_code == 404


def test_a_feature_the_record_name_states_survives_the_model_veto(monkeypatch):
    """The trained model may drop a fully-worded feature it finds very unlikely in the whole
    text; one the record's name states is kept, as the name is the record's own summary."""
    from clusterbridge.suggestions import engine

    class Doubtful:
        codes = ["T10"]

        def probabilities(self, text, codes):
            return dict.fromkeys(codes, 0.01)

    monkeypatch.setattr(engine, "feature_model", lambda: Doubtful())
    about = (
        "A partnership of clusters from different countries that supported forty projects "
        "with grants for demonstration, prototypes or feasibility studies for industrial "
        "applications such as predictive maintenance, logistics and track and trace."
    )
    named = Instrument(name="Internet of Things for industry", origin="international")
    named.description = about
    history.save(named)
    unnamed = Instrument(name="Partnership support", origin="international")
    unnamed.description = about + " Each project connects machines through the Internet of Things."
    history.save(unnamed)
    services.suggest_for(named)
    services.suggest_for(unnamed)
    assert "T10" in suggested(named)
    assert "T10" not in suggested(unnamed)  # only the description says it: the veto holds
