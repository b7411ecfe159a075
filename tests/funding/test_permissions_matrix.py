"""Every funding write, tried by every role on the pages and through the API (token):
only editors and administrators change anything."""

import pytest

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument, StrategicDocument
from clusterbridge.taxonomy.models import Country, Feature
from tests.matrix import ROLES, WriteCase, check_write

pytestmark = pytest.mark.django_db

EDITORS = {"editor", "admin"}


def _instrument(name="Matrix call") -> Instrument:
    return Instrument.all_objects.filter(name=name).first()


def _document(name="Matrix strategy") -> StrategicDocument:
    return StrategicDocument.all_objects.filter(name=name).first()


def _prepare(users):
    instrument = Instrument(
        name="Matrix call",
        origin="national",
        country=Country.objects.get(code="LT"),
        deadline_dates=["2026-09-01"],
    )
    history.save(instrument, m2m={"features": [Feature.objects.get(code="T1")]})
    history.save(StrategicDocument(name="Matrix strategy"))


def _prepare_revert(users):
    _prepare(users)
    instrument = _instrument()
    instrument.deadline_dates = ["2026-10-01"]
    history.save(instrument, user=users["editor"])


def _form(**overrides):
    data = {
        "name": "Matrix call",
        "origin": "national",
        "country": Country.objects.get(code="LT").pk,
        "deadline_dates": "2026-09-01",
        "features": [Feature.objects.get(code="T1").pk],
    }
    data.update(overrides)
    return data


PAGE_CASES = [
    WriteCase(
        "create an instrument",
        lambda c: c.post("/funding/new/", _form(name="New matrix call")),
        lambda: _instrument("New matrix call") is not None,
        EDITORS,
    ),
    WriteCase(
        "edit an instrument",
        lambda c: c.post(f"/funding/{_instrument().pk}/edit/", _form(deadline_dates="2027-01-01")),
        lambda: _instrument().deadline_dates == ["2027-01-01"],
        EDITORS,
        _prepare,
    ),
    WriteCase(
        "delete an instrument",
        lambda c: c.post(f"/funding/{_instrument().pk}/delete/"),
        lambda: _instrument().is_deleted,
        EDITORS,
        _prepare,
    ),
    WriteCase(
        "mark an instrument reviewed",
        lambda c: c.post(f"/funding/{_instrument().pk}/reviewed/"),
        lambda: _instrument().last_reviewed_at is not None,
        EDITORS,
        _prepare,
    ),
    WriteCase(
        "create a strategic document",
        lambda c: c.post("/funding/strategies/new/", {"name": "New matrix strategy"}),
        lambda: _document("New matrix strategy") is not None,
        EDITORS,
    ),
    WriteCase(
        "edit a strategic document",
        lambda c: c.post(
            f"/funding/strategies/{_document().pk}/edit/",
            {"name": "Matrix strategy", "period": "2030"},
        ),
        lambda: _document().period == "2030",
        EDITORS,
        _prepare,
    ),
    WriteCase(
        "delete a strategic document",
        lambda c: c.post(f"/funding/strategies/{_document().pk}/delete/"),
        lambda: _document().is_deleted,
        EDITORS,
        _prepare,
    ),
    WriteCase(
        "revert an instrument change",
        lambda c: c.post(f"/history/{history.history_of(_instrument()).first().pk}/revert/"),
        lambda: _instrument().deadline_dates == ["2026-09-01"],
        EDITORS,
        _prepare_revert,
    ),
]

API_CASES = [
    WriteCase(
        "API: create an instrument",
        lambda c: c.post(
            "/api/v1/instruments/",
            {"name": "New matrix call", "origin": "international"},
            format="json",
        ),
        lambda: _instrument("New matrix call") is not None,
        EDITORS,
    ),
    WriteCase(
        "API: change an instrument",
        lambda c: c.patch(
            f"/api/v1/instruments/{_instrument().pk}/",
            {"deadline_dates": ["2027-01-01"]},
            format="json",
        ),
        lambda: _instrument().deadline_dates == ["2027-01-01"],
        EDITORS,
        _prepare,
    ),
    WriteCase(
        "API: delete an instrument",
        lambda c: c.delete(f"/api/v1/instruments/{_instrument().pk}/"),
        lambda: _instrument().is_deleted,
        EDITORS,
        _prepare,
    ),
    WriteCase(
        "API: create a strategic document",
        lambda c: c.post(
            "/api/v1/strategic-documents/", {"name": "New matrix strategy"}, format="json"
        ),
        lambda: _document("New matrix strategy") is not None,
        EDITORS,
    ),
    WriteCase(
        "API: change a strategic document",
        lambda c: c.patch(
            f"/api/v1/strategic-documents/{_document().pk}/", {"period": "2030"}, format="json"
        ),
        lambda: _document().period == "2030",
        EDITORS,
        _prepare,
    ),
    WriteCase(
        "API: delete a strategic document",
        lambda c: c.delete(f"/api/v1/strategic-documents/{_document().pk}/"),
        lambda: _document().is_deleted,
        EDITORS,
        _prepare,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda c: c.name)
def test_page_write_permission(case, role, users, client_for):
    check_write(case, role, users, client_for)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", API_CASES, ids=lambda c: c.name)
def test_api_write_permission(case, role, users, api_client_for):
    check_write(case, role, users, api_client_for)


@pytest.mark.parametrize("role", ROLES)
def test_maintenance_page_is_for_editors(role, client_for):
    status = client_for(role).get("/funding/maintenance/").status_code
    assert status == (200 if role in EDITORS else 302 if role == "anonymous" else 403)
