"""Validation lives in one place (the models, reached through the services): the forms and
the API refuse the same values with the same messages, control characters are cleaned and
dates stay within 1900–2100 on every path, so no output (Atom, iCalendar) breaks."""

from datetime import date

import feedparser
import pytest

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument

pytestmark = pytest.mark.django_db

TWO_MEGABYTES = "a" * 2_000_000


def _form_errors(response, field: str) -> list[str]:
    assert response.status_code in (200, 400), response.status_code
    return response.context["form"].errors[field]


def _api_errors(response, field: str) -> list[str]:
    assert response.status_code == 400, response.content[:300]
    return response.json()[field]


def _instrument_form(**values) -> dict:
    return {"name": "Rule-checked call", "origin": "international", **values}


def _instrument_api(**values) -> dict:
    return {"name": "Rule-checked call", "origin": "international", **values}


@pytest.mark.parametrize(
    ("field", "form_value", "api_value"),
    [
        ("budget_amount", "-5", "-5"),
        ("description", TWO_MEGABYTES, TWO_MEGABYTES),
        ("opening_date", "1850-01-01", "1850-01-01"),
        ("deadline_dates", "9999-12-31", ["9999-12-31"]),
    ],
)
def test_instrument_form_and_api_refuse_with_the_same_message(
    client_for, api_client_for, field, form_value, api_value
):
    form = client_for("editor").post("/funding/new/", _instrument_form(**{field: form_value}))
    api = api_client_for("editor").post(
        "/api/v1/instruments/", _instrument_api(**{field: api_value}), format="json"
    )
    assert _form_errors(form, field) == _api_errors(api, field)
    assert not Instrument.all_objects.filter(name="Rule-checked call").exists()


def test_the_messages_say_what_is_wrong(api_client_for):
    api = api_client_for("editor")
    cases = {
        "budget_amount": ("-5", "greater than or equal to 0"),
        "description": (TWO_MEGABYTES, "at most 50,000 characters (it has 2,000,000)"),
        "deadline_dates": (["9999-12-31"], "between 1900-01-01 and 2100-12-31"),
    }
    for field, (value, words) in cases.items():
        response = api.post(
            "/api/v1/instruments/", _instrument_api(**{field: value}), format="json"
        )
        assert words in " ".join(_api_errors(response, field)), field


def test_cluster_founding_year_is_refused_alike_by_form_and_api(client_for, api_client_for):
    from tests.clusters.helpers import new_cluster_data

    form = client_for("member").post("/clusters/register/", new_cluster_data(founding_year="99999"))
    api = api_client_for("member").post(
        "/api/v1/clusters/",
        {"name": "Adriatic Drone Cluster", "founding_year": 99999},
        format="json",
    )
    assert _form_errors(form, "founding_year") == _api_errors(api, "founding_year")
    assert "Enter a year between 1800 and 2100." in _api_errors(api, "founding_year")


def test_cluster_description_is_capped_alike(client_for, api_client_for):
    from tests.clusters.helpers import new_cluster_data

    form = client_for("member").post(
        "/clusters/register/", new_cluster_data(description=TWO_MEGABYTES)
    )
    api = api_client_for("member").post(
        "/api/v1/clusters/",
        {"name": "Adriatic Drone Cluster", "description": TWO_MEGABYTES},
        format="json",
    )
    assert _form_errors(form, "description") == _api_errors(api, "description")


def test_reusing_the_identifier_of_a_deleted_instrument_is_a_field_error(
    client_for, api_client_for, users
):
    old = Instrument(name="Deleted heron call", origin="international", identifier="HERON-1")
    history.save(old, user=users["editor"])
    history.soft_delete(old, user=users["editor"])
    api = api_client_for("editor").post(
        "/api/v1/instruments/", _instrument_api(identifier="HERON-1"), format="json"
    )
    form = client_for("editor").post("/funding/new/", _instrument_form(identifier="HERON-1"))
    message = _api_errors(api, "identifier")
    assert message == _form_errors(form, "identifier")
    assert "deleted" in message[0] and "restore it from the trash" in message[0]
    # Editing another record to take it is refused the same way.
    other = Instrument.objects.create(name="Live heron call", origin="international")
    patch = api_client_for("editor").patch(
        f"/api/v1/instruments/{other.pk}/", {"identifier": "HERON-1"}, format="json"
    )
    assert _api_errors(patch, "identifier") == message


def test_control_characters_are_cleaned_and_the_feed_stays_valid(
    client, client_for, api_client_for
):
    api = api_client_for("editor").post(
        "/api/v1/instruments/",
        # A deadline ahead: the feed lists current calls, and a call of unknown dates is not one.
        _instrument_api(
            name="Bell\u0007 call",
            description="Line\x0bfeed\x1b",
            deadline_dates=[f"{date.today().year + 1}-06-30"],
        ),
        format="json",
    )
    assert api.status_code == 201
    assert api.json()["name"] == "Bell call"
    client_for("editor").post("/funding/new/", _instrument_form(name="Form\u0007 bell call"))
    assert Instrument.objects.filter(name="Form bell call").exists()
    created = Instrument.objects.get(name="Bell call")
    assert created.description == "Linefeed"
    feed = client.get("/funding/feed.atom")
    assert feed.status_code == 200
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo
    assert "Bell call" in {entry.title for entry in parsed.entries}


def test_no_deadline_beyond_2100_reaches_the_calendar(client, api_client_for):
    api = api_client_for("editor")
    far = api.post(
        "/api/v1/instruments/", _instrument_api(deadline_dates=["2100-12-31"]), format="json"
    )
    assert far.status_code == 201
    too_far = api.patch(
        f"/api/v1/instruments/{far.json()['id']}/",
        {"deadline_dates": ["9999-12-31"]},
        format="json",
    )
    assert too_far.status_code == 400
    calendar = client.get("/funding/deadlines.ics")
    assert calendar.status_code == 200 and b"20991231" not in calendar.content
    assert b"21001231" in calendar.content


def test_spreadsheet_imports_follow_the_same_rules(users):
    from clusterbridge.interop.sheet_import import import_sheet

    refused = import_sheet(
        "instruments",
        b"name,origin,deadline_dates,budget_amount\nFar call,international,9999-12-31,-5\n",
        user=users["editor"],
    )
    problems = {(p.column, p.message) for p in refused.errors}
    assert ("deadline_dates", "Enter a date between 1900-01-01 and 2100-12-31.") in problems
    assert ("budget_amount", "Ensure this value is greater than or equal to 0.") in problems
    assert not Instrument.all_objects.filter(name="Far call").exists()

    cleaned = import_sheet(
        "instruments",
        "name,origin\nBell\u0007 sheet call,international\n".encode(),
        user=users["editor"],
    )
    assert cleaned.ok and Instrument.objects.filter(name="Bell sheet call").exists()
