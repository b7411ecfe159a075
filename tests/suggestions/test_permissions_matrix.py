"""Every write of the suggestions app tried by every role: only those who may change the
record (for a funding instrument: editors and administrators) suggest, accept or reject."""

import pytest
from django.contrib.contenttypes.models import ContentType

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.suggestions import services
from clusterbridge.suggestions.models import FeatureSuggestion
from tests.matrix import ROLES, WriteCase, check_write

pytestmark = pytest.mark.django_db
EDITORS = {"editor", "admin"}


def _call():
    return Instrument.objects.get(name="Zephyr matrix call")


def _prepare_call(users):
    instrument = Instrument(
        name="Zephyr matrix call",
        origin="international",
        description="A prototype drone with machine learning.",
    )
    history.save(instrument)


def _prepare_suggestions(users):
    _prepare_call(users)
    services.suggest_for(_call())


def _suggestion(code):
    return FeatureSuggestion.objects.get(feature__code=code)


def _suggest(client):
    ct = ContentType.objects.get_for_model(Instrument).pk
    return client.post(f"/suggestions/for/{ct}/{_call().pk}/")


CASES = [
    WriteCase(
        "suggest features for a call",
        _suggest,
        lambda: FeatureSuggestion.objects.exists(),
        allowed=EDITORS,
        prepare=_prepare_call,
    ),
    WriteCase(
        "accept a suggested feature",
        lambda c: c.post(f"/suggestions/{_suggestion('T1').pk}/accept/"),
        lambda: _call().features.filter(code="T1").exists(),
        allowed=EDITORS,
        prepare=_prepare_suggestions,
    ),
    WriteCase(
        "reject a suggested feature",
        lambda c: c.post(f"/suggestions/{_suggestion('T13').pk}/reject/"),
        lambda: _suggestion("T13").status == "rejected",
        allowed=EDITORS,
        prepare=_prepare_suggestions,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=repr)
def test_write(case, role, users, client_for):
    check_write(case, role, users, client_for)


def test_accept_answers_with_a_redirect_back_and_a_message(users, client_for):
    _prepare_suggestions(users)
    response = client_for("editor").post(
        f"/suggestions/{_suggestion('T1').pk}/accept/", {"next": "/funding/?q=x"}, follow=False
    )
    assert response.status_code == 302 and response["Location"] == "/funding/?q=x"
    again = client_for("editor").post(
        f"/suggestions/{_suggestion('T1').pk}/accept/", {"next": "/"}, follow=True
    )
    assert "already accepted" in again.content.decode()


def test_records_without_features_cannot_take_suggestions(users, client_for):
    ct = ContentType.objects.get(app_label="auth", model="user").pk
    assert (
        client_for("admin").post(f"/suggestions/for/{ct}/{users['admin'].pk}/").status_code == 404
    )
