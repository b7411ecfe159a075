"""/api/v1/events/<slug>/profile/: my own matchmaking profile, read and written through the
profile's service (as the page), with ETag / If-Match, errors that say what was wrong, and
only for a person with a confirmed seat."""

import pytest
from rest_framework.test import APIClient

from clusterbridge.core.history import history_of
from clusterbridge.events import matchmaking, services
from clusterbridge.events.models import Participant
from tests.events.conftest import ANSWERS

pytestmark = pytest.mark.django_db


def _api(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


@pytest.fixture
def me(event, users):
    registration = services.register_for(event, users["member"], answers=ANSWERS)
    return matchmaking.participant_of(event, users["member"]) or matchmaking.join_matchmaking(
        registration, users["member"]
    )


def url(event) -> str:
    return f"/api/v1/events/{event.slug}/profile/"


def test_read_and_change_my_profile_with_versions(event, users, me):
    api = _api(users["member"])
    response = api.get(url(event))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == me.pk and body["version"] == me.version
    assert response["ETag"] == f'"{me.version}"'
    assert [s["id"] for s in body["slots"]] == list(event.slots.values_list("pk", flat=True))
    etag = response["ETag"]
    slot = body["slots"][1]["id"]
    changed = api.patch(
        url(event),
        {"offers": "Wind turbine inspections", "seek_features": ["T1"], "available_slots": [slot]},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["seek_features"] == ["T1"]
    assert changed.json()["available_slots"] == [slot]
    assert changed["ETag"] == f'"{me.version + 1}"'
    me.refresh_from_db()
    assert me.offers == "Wind turbine inspections"
    entry = history_of(me).latest("pk")
    assert entry.user == users["member"] and entry.after["seek_features"] == ["T1"]
    # The ETag read before the change is stale now: 412, nothing written.
    stale = api.patch(url(event), {"offers": "Old"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["current_version"] == me.version
    put = api.put(
        url(event),
        {"display_name": "Member (press)", "offers": "Articles", "allow_reschedule": False},
        format="json",
        HTTP_IF_MATCH=changed["ETag"],
    )
    assert put.status_code == 200, put.json()
    me.refresh_from_db()
    assert (me.display_name, me.offers, me.allow_reschedule) == (
        "Member (press)",
        "Articles",
        False,
    )


def test_bad_input_says_what_was_wrong_and_changes_nothing(event, users, me, manager):
    other = services.events.create(
        manager,
        {
            **{k: getattr(event, k) for k in ("title", "kind", "venue", "start", "end")},
            "organiser_cluster": event.organiser_cluster,
            "tables": 1,
        },
    ).obj
    services.set_sessions(
        other, manager, [(other.start, other.start + (event.end - event.start) / 8)]
    )
    foreign_slot = other.slots.first().pk
    version = me.version
    api = _api(users["member"])
    cases = [
        ({"seek_features": ["NOPE"]}, "seek_features", "Unknown code: NOPE."),
        ({"available_slots": [foreign_slot]}, "available_slots", "Not a meeting slot"),
        ({"available_slots": ["x"]}, "available_slots", "by its id"),
        ({"offers": "x" * 2001}, "offers", "2000"),
        ({"display_name": ""}, "display_name", "blank"),
    ]
    for data, field, words in cases:
        response = api.patch(url(event), data, format="json")
        assert response.status_code == 400, (data, response.status_code)
        assert words in str(response.json()[field]), response.json()
    # PUT needs the whole profile.
    response = api.put(url(event), {"offers": "x"}, format="json")
    assert response.status_code == 400 and "display_name" in response.json()
    me.refresh_from_db()
    assert me.version == version


def test_who_may_read_and_write_a_profile(event, users, registered, manager):
    ann = registered("ann")
    # Anonymous: refused.
    assert _api().get(url(event)).status_code in (401, 403)
    assert _api().patch(url(event), {"offers": "x"}, format="json").status_code in (401, 403)
    # Signed in but not registered.
    response = _api(users["member"]).get(url(event))
    assert response.status_code == 403 and "not registered" in response.json()["detail"]
    # On the waiting list.
    services.events.update(event, manager, {"capacity": 1})
    services.register_for(event, users["member"], answers=ANSWERS)
    for method in ("get", "patch", "put"):
        response = getattr(_api(users["member"]), method)(url(event), {}, format="json")
        assert response.status_code == 403 and "waiting list" in response.json()["detail"]
    assert not Participant.objects.filter(user=users["member"]).exists()
    # Another person's profile: the route is always one's own, and the participants list
    # is read-only; ann's profile does not change.
    version = ann.version
    api = _api(users["member"])
    assert api.patch(f"/api/v1/events/{event.slug}/participants/", {}).status_code == 405
    ann_api = _api(ann.user)
    assert ann_api.get(url(event)).json()["id"] == ann.pk
    ann.refresh_from_db()
    assert ann.version == version
    # An event without matchmaking.
    from tests.events.conftest import event_values

    webinar = services.events.create(
        manager, event_values(title="Webinar", kind="webinar", tables=0)
    ).obj
    assert ann_api.get(f"/api/v1/events/{webinar.slug}/profile/").status_code == 404


def test_a_confirmed_person_without_a_profile_makes_it_with_put(event, users):
    registration = services.register_for(event, users["member"], answers=ANSWERS)
    Participant.all_objects.filter(registration=registration).delete()
    api = _api(users["member"])
    missing = api.get(url(event))
    assert missing.status_code == 404 and "PUT" in missing.json()["detail"]
    assert not Participant.all_objects.exists()
    assert api.patch(url(event), {"offers": "x"}, format="json").status_code == 404
    made = api.put(
        url(event),
        {"display_name": "Member", "offers": "Articles", "seek_features": ["T1"]},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made["ETag"] == '"1"'
    profile = matchmaking.participant_of(event, users["member"])
    assert profile.offers == "Articles"
    assert [f.code for f in profile.seek_features.all()] == ["T1"]
