"""Editors add, change and delete instruments and strategic documents from the site and the
API; both refuse inconsistent records with messages naming the field; all is in history."""

import datetime

import pytest
import time_machine

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.funding.models import Instrument, StrategicDocument
from clusterbridge.taxonomy.models import Country, Feature

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "Gannet innovation call",
        "origin": "national",
        "kind": "call",
        "country": Country.objects.get(code="LT").pk,
        "link": "https://example.org/gannet",
        "opening_date": "2026-01-10",
        "deadline_dates": "2026-09-30\n2026-06-30",
        "features": [Feature.objects.get(code=c).pk for c in ("T1", "D2")],
        "description": "Gannet support",
        "budget_currency": "eur",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_editor_creates_an_instrument_with_features_and_deadlines(client_for):
    response = client_for("editor").post("/funding/new/", form_data())
    instrument = Instrument.objects.get(name="Gannet innovation call")
    assert response.status_code == 302 and response["Location"] == f"/funding/{instrument.pk}/"
    assert instrument.deadline_dates == ["2026-06-30", "2026-09-30"]
    assert instrument.budget_currency == "EUR"
    assert sorted(instrument.features.values_list("code", flat=True)) == ["D2", "T1"]
    change = history.history_of(instrument).get()
    assert change.action == "create" and change.user.username == "erin"
    assert change.after["features"] == ["D2", "T1"]


def test_the_form_groups_feature_checkboxes_by_category(client_for):
    text = client_for("editor").get("/funding/new/").content.decode()
    for legend in ("Techniques (T)", "Process (P)", "General (G)"):
        assert legend.split(" (")[0] in text
    assert text.count('<fieldset class="feature-group">') == 5
    assert 'type="checkbox" name="features"' in text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"opening_date": "2026-07-01"},
            "deadline_dates",
            "Deadline 2026-06-30 is before the opening date 2026-07-01.",
        ),
        ({"country": ""}, "country", "A national or regional instrument needs its country."),
        (
            {"origin": "international", "cover_level": "regional", "country": ""},
            "country",
            "A national or regional instrument needs its country.",
        ),
        ({"link": "not a link"}, "link", "Enter a valid URL."),
        ({"deadline_dates": "2026-06-31"}, "deadline_dates", "“2026-06-31” is not a date"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_form_refuses_inconsistent_records_with_field_errors(client_for, overrides, field, message):
    before = Instrument.all_objects.count()
    response = client_for("editor").post("/funding/new/", form_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in e for e in errors[field])
    assert message in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert Instrument.all_objects.count() == before


def test_an_edit_is_recorded_and_can_be_reverted(client_for, make_instrument):
    instrument = make_instrument(
        "Skua call", country="LT", deadline_dates=["2026-09-01"], features=["T1"]
    )
    editor = client_for("editor")
    response = editor.post(
        f"/funding/{instrument.pk}/edit/",
        form_data(
            name="Skua call",
            deadline_dates="2026-12-01",
            features=[Feature.objects.get(code="G3").pk],
        ),
    )
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.deadline_dates == ["2026-12-01"]
    change = history.history_of(instrument).first()
    assert change.action == "update"
    assert {f: (a, b) for f, a, b in change.diff()}["deadline_dates"] == (
        ["2026-09-01"],
        ["2026-12-01"],
    )
    # The history panel offers the revert to editors.
    page = editor.get(f"/funding/{instrument.pk}/").content.decode()
    assert f"/history/{change.pk}/revert/" in page
    assert editor.post(f"/history/{change.pk}/revert/").status_code == 302
    instrument.refresh_from_db()
    assert instrument.deadline_dates == ["2026-09-01"]
    assert instrument.final_deadline == datetime.date(2026, 9, 1)
    assert list(instrument.features.values_list("code", flat=True)) == ["T1"]
    assert [d.date for d in instrument.deadline_rows.all()] == [datetime.date(2026, 9, 1)]
    assert history.history_of(instrument).first().action == "revert"


def test_history_is_shown_to_editors_only(client_for, make_instrument):
    instrument = make_instrument("Shag call", country="LT")
    assert "History" in client_for("editor").get(f"/funding/{instrument.pk}/").content.decode()
    for role in ("anonymous", "member"):
        page = client_for(role).get(f"/funding/{instrument.pk}/").content.decode()
        assert 'id="history-heading"' not in page
        assert "/edit/" not in page


def test_delete_is_soft_and_leaves_the_search(client_for, make_instrument):
    instrument = make_instrument("Puffin call", country="LT", description="puffin")
    editor = client_for("editor")
    assert (
        "Delete “Puffin call”?" in editor.get(f"/funding/{instrument.pk}/delete/").content.decode()
    )
    assert editor.post(f"/funding/{instrument.pk}/delete/").status_code == 302
    stored = Instrument.all_objects.get(pk=instrument.pk)
    assert stored.deleted_at is not None
    assert history.history_of(stored).first().action == "delete"
    assert editor.get("/api/v1/instruments/?q=puffin").json()["count"] == 0
    assert editor.get(f"/funding/{instrument.pk}/").status_code == 404


def test_strategic_document_lifecycle(client_for):
    editor = client_for("editor")
    data = {
        "name": "Baltic resilience strategy",
        "issuer": "Council",
        "link": "https://example.org/strategy",
        "period": "2021–2027",
        "priorities": [Feature.objects.get(code="G3").pk],
    }
    assert editor.post("/funding/strategies/new/", data).status_code == 302
    document = StrategicDocument.objects.get(name="Baltic resilience strategy")
    assert list(document.priorities.values_list("code", flat=True)) == ["G3"]
    page = client_for("anonymous").get(f"/funding/strategies/{document.pk}/").content.decode()
    assert "Baltic resilience strategy" in page and "G3" in page
    assert (
        "Baltic resilience strategy"
        in client_for("anonymous").get("/funding/strategies/").content.decode()
    )
    response = editor.post(f"/funding/strategies/{document.pk}/edit/", {**data, "link": "nope"})
    assert "Enter a valid URL." in response.content.decode()
    editor.post(f"/funding/strategies/{document.pk}/edit/", {**data, "period": "2024–2030"})
    document.refresh_from_db()
    assert document.period == "2024–2030"
    editor.post(f"/funding/strategies/{document.pk}/delete/")
    assert StrategicDocument.all_objects.get(pk=document.pk).deleted_at is not None
    assert [c.action for c in history.history_of(document)] == ["delete", "update", "create"]


def test_reference_strategies_are_listed_with_their_provenance(client):
    document = (
        StrategicDocument.objects.filter(provenance__isnull=False).exclude(provenance=[]).first()
    )
    text = client.get(f"/funding/strategies/{document.pk}/").content.decode()
    assert document.provenance[0]["document"] in text


# API ---------------------------------------------------------------------------------------
def api_data(**overrides):
    data = {
        "name": "Fulmar call",
        "origin": "national",
        "country": "LT",
        "kind": "call",
        "opening_date": "2026-01-10",
        "deadline_dates": ["2026-09-30", "2026-06-30"],
        "features": ["T1", "D2"],
        "link": "https://example.org/fulmar",
    }
    data.update(overrides)
    return data


def test_api_creates_updates_and_deletes_through_history(api_client_for):
    api = api_client_for("editor")
    response = api.post("/api/v1/instruments/", api_data(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["deadline_dates"] == ["2026-06-30", "2026-09-30"]
    assert body["features"] == ["T1", "D2"] or sorted(body["features"]) == ["D2", "T1"]
    instrument = Instrument.objects.get(pk=body["id"])
    response = api.patch(
        f"/api/v1/instruments/{instrument.pk}/",
        {"deadline_dates": ["2026-11-30"], "features": ["G3"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    instrument.refresh_from_db()
    assert instrument.final_deadline == datetime.date(2026, 11, 30)
    assert list(instrument.features.values_list("code", flat=True)) == ["G3"]
    assert api.delete(f"/api/v1/instruments/{instrument.pk}/").status_code == 204
    assert Instrument.all_objects.get(pk=instrument.pk).is_deleted
    actions = [c.action for c in history.history_of(instrument)]
    assert actions == ["delete", "update", "create"]
    assert history.history_of(instrument).last().user.username == "erin"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"opening_date": "2026-07-01"},
            "deadline_dates",
            "Deadline 2026-06-30 is before the opening date 2026-07-01.",
        ),
        ({"country": None}, "country", "A national or regional instrument needs its country."),
        ({"link": "not a link"}, "link", "Enter a valid URL."),
        ({"features": ["T1", "ZZ9"]}, "features", "Unknown code: ZZ9."),
        ({"country": "XX"}, "country", "Unknown code: XX."),
        ({"deadline_dates": ["someday"]}, "deadline_dates", "Date has wrong format"),
        ({"origin": "galactic"}, "origin", "not a valid choice"),
    ],
)
def test_api_answers_400_naming_the_problem(api_client_for, overrides, field, message):
    before = ObjectChange.objects.count()
    response = api_client_for("editor").post(
        "/api/v1/instruments/", api_data(**overrides), format="json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert field in errors and message in str(errors[field])
    assert not Instrument.all_objects.filter(name="Fulmar call").exists()
    assert ObjectChange.objects.count() == before


def test_api_edits_a_closed_instrument_by_its_id(api_client_for, make_instrument):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0), tick=False):
        closed = make_instrument("Closed gull call", country="LT", deadline_dates=["2026-01-01"])
        api = api_client_for("editor")
        assert api.get(f"/api/v1/instruments/{closed.pk}/").status_code == 200
        response = api.patch(
            f"/api/v1/instruments/{closed.pk}/", {"deadline_dates": ["2026-12-01"]}, format="json"
        )
        assert response.status_code == 200 and response.json()["status"] == "open"


def test_api_strategic_documents(api_client_for):
    api = api_client_for("editor")
    response = api.post(
        "/api/v1/strategic-documents/",
        {"name": "Cormorant strategy", "priorities": ["G3", "T1"], "country": "FI"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = api.post(
        "/api/v1/strategic-documents/", {"name": "X", "priorities": ["NOPE"]}, format="json"
    )
    assert response.status_code == 400 and "NOPE" in str(response.json()["priorities"])


def test_strategic_documents_are_filtered_alike_on_the_page_and_in_the_api(client):
    lithuanian = set(
        StrategicDocument.objects.filter(country__code="LT", is_synthetic=False).values_list(
            "name", flat=True
        )
    )
    assert lithuanian
    api = client.get("/api/v1/strategic-documents/", {"country": "LT", "page_size": 100}).json()
    assert {d["name"] for d in api["results"]} == lithuanian
    page = client.get("/funding/strategies/", {"country": "LT"})
    assert {d.name for d in page.context["documents"]} == lithuanian
    html = page.content.decode()
    assert "Country: Lithuania" in html and f"{len(lithuanian)} document" in html
    response = client.get("/api/v1/strategic-documents/", {"priority": "QQ9"})
    assert response.status_code == 400 and "QQ9" in str(response.json())
