"""My ClusterBridge (my registrations, my agenda), download my data, labelled pages, and
who may open which page."""

import json

import pytest
from django.test import Client

from clusterbridge.events import matchmaking, services
from tests.events.conftest import ANSWERS
from tests.foundation.test_accessibility import check

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(event, registered, users):
    """bob (member) registered with a profile; ann asked him and he accepted."""
    ann = registered("ann")
    registration = services.register_for(event, users["member"], answers=ANSWERS)
    bob = matchmaking.join_matchmaking(registration, users["member"])
    meeting = matchmaking.accept(matchmaking.send_request(ann, bob, ann.user, "Hi"), bob.user)
    return ann, bob, meeting


def test_my_clusterbridge_shows_registrations_and_next_meetings(client_for, event, journey):
    ann, bob, meeting = journey
    html = client_for("member").get("/account/").content.decode()
    assert "My events" in html and event.title in html
    assert ann.display_name in html and f"table {meeting.table}" in html
    assert f"/events/{event.slug}/agenda/" in html


def test_download_my_data_has_registrations_profiles_and_meetings(
    client_for, users, event, journey
):
    from clusterbridge.events.account import personal_data

    data = personal_data(users["member"])
    json.dumps(data)
    assert data["registrations"][0]["answers"] == ANSWERS
    assert data["matchmaking_profiles"][0]["display_name"] == journey[1].display_name
    assert data["meeting_requests"][0]["message"] == "Hi"
    assert data["meeting_requests"][0]["sent"] is False


PAGES = [
    ("anonymous", "/events/"),
    ("anonymous", "/events/?when=past&kind=webinar"),
    ("anonymous", "{event}"),
    ("member", "{event}"),
    ("member", "{event}participants/"),
    ("member", "{event}participants/?country=SE"),
    ("member", "{event}participants/{ann}/"),
    ("member", "{event}profile/"),
    ("member", "{event}requests/"),
    ("member", "{event}agenda/"),
    ("manager", "/events/new/"),
    ("manager", "{event}edit/"),
    ("manager", "{event}dashboard/"),
    ("manager", "{event}delete/"),
    ("member", "/account/"),
]


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_pages_are_labelled(client_for, event, journey, role, url):
    url = url.format(event=event.get_absolute_url(), ann=journey[0].pk)
    response = client_for(role).get(url)
    assert response.status_code == 200, url
    check(response.content.decode(), url)


FORBIDDEN = [
    # (role, url, status): organisers' pages and other people's matchmaking.
    ("member", "{event}edit/", 403),
    ("member", "{event}dashboard/", 403),
    ("member", "/events/new/", 403),
    ("editor", "{event}participants/", 403),  # not registered
    ("editor", "{event}agenda/", 403),
    ("editor", "{event}agenda.ics", 403),
    ("anonymous", "{event}agenda/", 302),
    ("anonymous", "{event}participants/", 302),
]


@pytest.mark.parametrize(("role", "url", "status"), FORBIDDEN)
def test_who_may_open_what(client_for, event, journey, role, url, status):
    url = url.format(event=event.get_absolute_url())
    assert client_for(role).get(url).status_code == status


def test_editor_sees_every_event_dashboard_and_another_manager_none(event, journey, users):
    from clusterbridge.accounts.roles import CLUSTER_MANAGER_GROUP
    from tests.conftest import make_user

    editor = Client()
    editor.force_login(users["editor"])
    assert editor.get(f"{event.get_absolute_url()}dashboard/").status_code == 200
    other = Client()
    other.force_login(make_user("max", groups=[CLUSTER_MANAGER_GROUP]))
    assert other.get(f"{event.get_absolute_url()}dashboard/").status_code == 403
    assert other.post(f"{event.get_absolute_url()}optimise/").status_code == 403


def test_agenda_query_count(client_for, event, journey, registered, django_assert_max_num_queries):
    _, bob, _ = journey
    for name in ("cat", "dan", "eve"):
        other = registered(name)
        matchmaking.accept(matchmaking.send_request(other, bob, other.user), bob.user)
    client = client_for("member")
    with django_assert_max_num_queries(14):
        assert client.get(f"{event.get_absolute_url()}agenda/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"{event.get_absolute_url()}requests/").status_code == 200
    organiser = client_for("manager")
    with django_assert_max_num_queries(20):
        assert organiser.get(f"{event.get_absolute_url()}dashboard/").status_code == 200
