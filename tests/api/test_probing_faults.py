"""Faults a probe of the running site found: each answers as a user would expect now."""

import datetime

import feedparser
import pytest

from clusterbridge.core.parsers import MAX_JSON_DEPTH
from clusterbridge.funding.models import Instrument

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/instruments/?feature=%25",
        "/api/v1/projects/?feature=%25",
        "/api/v1/clusters/?service=%25",
        "/api/v1/clusters/?country=%25",
        "/api/v1/organisations/?country=%25",
        "/api/v1/instruments/?feature=100%25s%25d",
    ],
)
def test_a_percent_sign_in_a_filter_is_a_clear_400(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "%" in str(response.json())


@pytest.mark.parametrize(
    "address",
    ["/funding/?feature=%25", "/clusters/?service=%25", "/organisations/?country=%25"],
)
def test_a_percent_sign_in_a_filter_of_a_page_names_the_unknown_code(client, address):
    response = client.get(address)
    assert response.status_code in (200, 400)
    assert "Unknown" in response.content.decode()


def test_json_nested_fifty_thousand_deep_is_refused_with_400(api_client_for):
    api = api_client_for("editor")
    body = "[" * 50_000 + "]" * 50_000
    response = api.post("/api/v1/instruments/", body, content_type="application/json")
    assert response.status_code == 400
    assert f"deeper than {MAX_JSON_DEPTH}" in response.json()["detail"]
    brackets_in_text = {"name": "[" * 100 + " call", "origin": "international"}
    assert api.post("/api/v1/instruments/", brackets_in_text, format="json").status_code == 201


def test_broken_json_is_a_400_too(api_client_for):
    api = api_client_for("editor")
    for body in ('{"name": ', '{"budget_amount": NaN}'):
        response = api.post("/api/v1/instruments/", body, content_type="application/json")
        assert response.status_code == 400, body


@pytest.fixture
def annotated():
    instrument = Instrument.objects.order_by("pk").first()
    Instrument.objects.filter(pk=instrument.pk).update(notes="Budget doubtful: ask the agency.")
    return instrument


def test_editorial_notes_are_for_editors_only(client, client_for, api_client_for, annotated):
    note = "Budget doubtful"
    detail = f"/api/v1/instruments/{annotated.pk}/"
    for role in ("anonymous", "member"):
        assert "notes" not in api_client_for(role).get(detail).json()
        listed = api_client_for(role).get("/api/v1/instruments/?status=all&page_size=200").json()
        assert all("notes" not in row for row in listed["results"])
        assert note not in client_for(role).get(annotated.get_absolute_url()).content.decode()
    assert api_client_for("editor").get(detail).json()["notes"].startswith(note)
    assert note in client_for("editor").get(annotated.get_absolute_url()).content.decode()


def test_strategy_notes_are_for_editors_only(api_client_for):
    from clusterbridge.funding.models import StrategicDocument

    document = StrategicDocument.objects.order_by("pk").first()
    if document is None:
        pytest.skip("no strategic document in the reference data")
    StrategicDocument.objects.filter(pk=document.pk).update(notes="Internal remark")
    path = f"/api/v1/strategic-documents/{document.pk}/"
    assert "notes" not in api_client_for("anonymous").get(path).json()
    assert api_client_for("editor").get(path).json()["notes"] == "Internal remark"


def test_feeds_survive_records_stored_before_the_input_rules(client):
    """Every write path cleans and bounds values (tests/foundation/test_input_rules.py); a
    record stored around them still leaves both feeds readable."""
    instrument = Instrument.objects.order_by("pk").first()
    Instrument.objects.filter(pk=instrument.pk).update(
        name="Legacy\u0007 bell call",
        created_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
        deadline_dates=["9999-12-31", "2100-06-30"],
        final_deadline=datetime.date(9999, 12, 31),
        opening_date=None,
        archived_at=None,
    )
    feed = client.get("/funding/feed.atom?status=all")
    assert feed.status_code == 200
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo
    assert "Legacy bell call" in {entry.title for entry in parsed.entries}
    calendar = client.get("/funding/deadlines.ics?status=all")
    assert calendar.status_code == 200
    assert b"99991231" not in calendar.content and b"21000630" in calendar.content


@pytest.mark.parametrize(
    ("sent", "accepted"),
    [
        ("2025-11-12T09:30:00+01:00", True),
        ("2025-11-12T08:30:00Z", True),
        ("2025-11-12T09:30:00.250+01:00", True),
        ("2025-11-12T09:30:00+0100", False),
        ("2025-11-12 09:30:00", False),
        ("2025-11-12T09:30:00", False),
    ],
)
def test_date_times_are_written_and_read_as_rfc_3339(api_client_for, sent, accepted):
    api = api_client_for("editor")
    instrument = Instrument.objects.order_by("pk").first()
    response = api.patch(
        f"/api/v1/instruments/{instrument.pk}/", {"last_reviewed_at": sent}, format="json"
    )
    assert (response.status_code == 200) is accepted, response.content[:300]
    if accepted:
        read = datetime.datetime.fromisoformat(response.json()["last_reviewed_at"])
        assert read == datetime.datetime.fromisoformat(sent.replace("Z", "+00:00"))
    else:
        assert "RFC 3339" in response.json()["last_reviewed_at"][0]
