"""The event list with its facets and feed, the event page, organisers' writes with history,
registration with questions, capacity, waiting list and reminders."""

import datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterbridge.accounts.roles import CLUSTER_MANAGER_GROUP
from clusterbridge.core.history import history_of
from clusterbridge.events import services
from clusterbridge.events.models import Event, Registration
from clusterbridge.notifications.models import Notification
from tests.conftest import make_user
from tests.events.conftest import ANSWERS, event_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def webinar(manager):
    return services.events.create(
        manager,
        event_values(
            title="Funding info webinar",
            kind="webinar",
            venue="",
            city="",
            country=None,
            tables=0,
            online_url="https://webinar.example.org/info",
            questions="",
            ecosystems=[],
        ),
    ).obj


@pytest.fixture
def past(manager):
    start = timezone.now() - datetime.timedelta(days=10)
    return services.events.create(
        manager,
        event_values(
            title="Last year's conference",
            kind="conference",
            start=start,
            end=start + datetime.timedelta(hours=5),
            tables=0,
        ),
    ).obj


def test_list_shows_upcoming_events_with_facets_and_the_api_filters_alike(
    client, event, webinar, past
):
    page = client.get("/events/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Wind energy brokerage" in html and "Funding info webinar" in html
    assert "Last year" not in html
    assert "Brokerage / matchmaking event" in html  # kind facet, labelled
    online = client.get("/events/?attendance=online").content.decode()
    assert "Funding info webinar" in online and "Wind energy brokerage" not in online
    assert "Last year" in client.get("/events/?when=past").content.decode()
    sweden = client.get("/events/?country=SE&kind=brokerage").content.decode()
    assert "Wind energy brokerage" in sweden and "webinar" not in sweden.split("results-heading")[1]
    api = client.get("/api/v1/events/?attendance=onsite").json()
    assert [e["title"] for e in api["results"]] == ["Wind energy brokerage"]
    assert client.get("/api/v1/events/?when=past").json()["results"][0]["kind"] == "conference"
    eco = client.get("/api/v1/events/?ecosystem=renewable-energy").json()["results"]
    assert [e["title"] for e in eco] == ["Wind energy brokerage"]


def test_unknown_codes_are_errors_not_empty_lists(client, event):
    assert client.get("/events/?country=XX").status_code == 400
    assert client.get("/api/v1/events/?country=XX").status_code == 400


def test_list_page_query_count_does_not_grow_with_events(
    client, manager, django_assert_max_num_queries
):
    for n in range(15):
        services.events.create(manager, event_values(title=f"Event {n}"))
    with django_assert_max_num_queries(14):
        assert client.get("/events/").status_code == 200


def test_feed_and_event_ics_parse_back(client, event, webinar):
    feed = icalendar.Calendar.from_ical(client.get("/events/feed.ics").content)
    titles = [str(c["summary"]) for c in feed.walk("VEVENT")]
    assert titles == ["Wind energy brokerage", "Funding info webinar"]
    one = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}/event.ics").content)
    entry = one.walk("VEVENT")[0]
    assert entry["dtstart"].dt == event.start
    assert "Malmö" in str(entry["location"])


def test_detail_shows_times_in_the_event_time_zone(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    local = event.start.astimezone(event.tz)
    assert f"{local:%H:%M}" in html and "Europe/Stockholm" in html


def test_a_cluster_manager_creates_an_event_through_the_page_in_local_time_dst_safe(
    client_for, manager
):
    client = client_for("manager")
    response = client.post(
        "/events/new/",
        {
            "title": "Summer-time info day",
            "kind": "info-day",
            "organiser_cluster": "",
            "venue": "Town hall",
            "time_zone": "Europe/Brussels",
            # Brussels moves to summer time on 29 March 2026 at 02:00.
            "start": "2026-03-29T09:00",
            "end": "2026-03-29T12:00",
            "max_pending_requests": 10,
            "meeting_minutes": 30,
            "tables": 0,
        },
    )
    assert response.status_code == 400  # a manager must name the cluster they manage
    from clusterbridge.clusters.models import Cluster

    cluster = Cluster.objects.get(slug="mobile-heights")
    response = client.post(
        "/events/new/",
        {
            "title": "Summer-time info day",
            "kind": "info-day",
            "organiser_cluster": cluster.pk,
            "venue": "Town hall",
            "time_zone": "Europe/Brussels",
            "start": "2026-03-29T09:00",
            "end": "2026-03-29T12:00",
            "max_pending_requests": 10,
            "meeting_minutes": 30,
            "tables": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title="Summer-time info day")
    assert event.start == datetime.datetime(2026, 3, 29, 7, 0, tzinfo=datetime.UTC)  # CEST
    assert history_of(event).get().action == "create"
    response = client.post(
        f"/events/{event.slug}/edit/",
        {
            "title": "Summer-time info day",
            "kind": "info-day",
            "organiser_cluster": cluster.pk,
            "venue": "Town hall",
            "time_zone": "Europe/Brussels",
            "start": "2026-03-28T09:00",
            "end": "2026-03-28T12:00",
            "max_pending_requests": 10,
            "meeting_minutes": 30,
            "tables": 0,
            "version": event.version,
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.start == datetime.datetime(2026, 3, 28, 8, 0, tzinfo=datetime.UTC)  # CET
    assert history_of(event).count() == 2


def test_bad_input_leaves_nothing_changed(manager):
    with pytest.raises(ValidationError) as error:
        services.events.create(
            manager, event_values(end=timezone.now() - datetime.timedelta(days=400))
        )
    assert "end" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.events.create(manager, event_values(venue="", online_url=""))
    with pytest.raises(ValidationError):
        services.events.create(manager, event_values(time_zone="Mars/Olympus"))
    assert not Event.objects.exists()


def test_permissions_of_event_writes(users, manager, event):
    other_manager = make_user("max", groups=[CLUSTER_MANAGER_GROUP])
    for user in (users["member"], other_manager):
        with pytest.raises(PermissionDenied):
            services.events.update(event, user, {"title": "Hijacked"})
    with pytest.raises(ValidationError):
        # Another cluster's manager cannot organise for Mobile Heights.
        services.events.create(other_manager, event_values())
    with pytest.raises(PermissionDenied):
        services.events.create(users["member"], event_values())
    services.events.update(event, users["editor"], {"title": "Edited by an editor"})
    services.events.update(event, manager, {"title": "Edited by its manager"})


def test_api_permissions_and_if_match(api_client_for, manager, event):
    assert (
        api_client_for("member")
        .patch(f"/api/v1/events/{event.slug}/", {"title": "x"}, format="json")
        .status_code
        == 403
    )
    api = api_client_for("manager")
    stale = api.patch(
        f"/api/v1/events/{event.slug}/", {"title": "x"}, format="json", HTTP_IF_MATCH='"99"'
    )
    assert stale.status_code == 412
    ok = api.patch(f"/api/v1/events/{event.slug}/", {"title": "Renamed"}, format="json")
    assert ok.status_code == 200 and ok.json()["title"] == "Renamed"


# Registration ---------------------------------------------------------------------------------
def test_registration_answers_questions_and_is_notified_with_an_ics_link(event, person):
    user, organisation = person("ann")
    with pytest.raises(ValidationError) as error:
        services.register_for(event, user, organisation=organisation, answers={})
    assert "answers" in error.value.message_dict
    registration = services.register_for(event, user, organisation=organisation, answers=ANSWERS)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.answers == ANSWERS
    note = Notification.objects.get(recipient=user, kind="events.registration_confirmed")
    assert f"/events/{event.slug}/event.ics" in note.body
    with pytest.raises(ValidationError):
        services.register_for(event, user, answers=ANSWERS)
    other_user, _ = person("ben")
    with pytest.raises(ValidationError):
        # Not a member of that organisation.
        services.register_for(event, other_user, organisation=organisation, answers=ANSWERS)


def test_capacity_waiting_list_and_cancel_promotes_in_order(manager, event, person):
    services.events.update(event, manager, {"capacity": 1})
    people = [person(name)[0] for name in ("ann", "ben", "cat")]
    first, second, third = (services.register_for(event, u, answers=ANSWERS) for u in people)
    assert [r.status for r in (first, second, third)] == ["confirmed", "waiting", "waiting"]
    services.cancel_registration(first, people[0])
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waiting")
    assert Notification.objects.filter(recipient=people[1], kind="events.registration_promoted")
    assert services.seats_left(event) == 0
    # Registering again after cancelling queues at the end.
    again = services.register_for(event, people[0], answers=ANSWERS)
    assert again.status == "waiting"
    services.cancel_registration(second, people[1])
    third.refresh_from_db()
    again.refresh_from_db()
    assert (third.status, again.status) == ("confirmed", "waiting")


def test_registration_window(manager, event, person):
    user, _ = person("ann")
    services.events.update(
        event, manager, {"registration_opens": timezone.now() + datetime.timedelta(days=1)}
    )
    with pytest.raises(ValidationError, match="not opened"):
        services.register_for(event, user, answers=ANSWERS)


def test_unverified_people_cannot_register(event):
    user = make_user("uma", verified=False)
    with pytest.raises(PermissionDenied):
        services.register_for(event, user, answers=ANSWERS)


def test_reminders_are_sent_once(event, person, manager):
    user, _ = person("ann")
    services.register_for(event, user, answers=ANSWERS)
    assert services.send_reminders() == 0  # a month ahead
    later = event.start - datetime.timedelta(hours=3)
    assert services.send_reminders(now=later) == 1
    assert services.send_reminders(now=later) == 0
    assert (
        Notification.objects.filter(recipient=user, kind="events.registration_reminder").count()
        == 1
    )


def test_registration_through_the_page_and_the_api(client_for, api_client_for, users, event):
    client = client_for("member")
    response = client.post(f"/events/{event.slug}/register/", {"answer_0": "Buyers"})
    assert response.status_code == 302
    assert Registration.objects.get(user=users["member"]).answers == {
        "What do you hope to find?": "Buyers"
    }
    api = api_client_for("editor")
    bad = api.post(f"/api/v1/events/{event.slug}/register/", {}, format="json")
    assert bad.status_code == 400
    ok = api.post(f"/api/v1/events/{event.slug}/register/", {"answers": ANSWERS}, format="json")
    assert ok.status_code == 201 and ok.json()["status"] == "confirmed"
    mine = api.get("/api/v1/registrations/").json()["results"]
    assert len(mine) == 1  # only one's own
    assert api.delete(f"/api/v1/registrations/{mine[0]['id']}/").status_code == 204
    assert Registration.objects.get(user=users["editor"]).status == "cancelled"


def test_the_confirmation_mail_carries_the_event_ics(event, person, mailoutbox):
    from clusterbridge.notifications.services import send_due

    user, _ = person("ann")
    services.register_for(event, user, answers=ANSWERS)
    send_due()
    [message] = [m for m in mailoutbox if user.email in m.to]
    [(name, content, kind)] = message.attachments
    assert (name, kind) == ("invite.ics", "text/calendar")
    entry = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(entry["summary"]) == event.title and entry["dtstart"].dt == event.start


def test_an_organiser_reverts_an_edit_from_the_history(client_for, manager, event):
    services.events.update(event, manager, {"title": "A wrong title"})
    change = history_of(event).order_by("-pk").first()
    response = client_for("manager").post(f"/history/{change.pk}/revert/")
    assert response.status_code in (302, 303)
    event.refresh_from_db()
    assert event.title == "Wind energy brokerage"
    assert client_for("member").post(f"/history/{change.pk}/revert/").status_code == 403


def test_sessions_typed_in_the_form_become_slots_and_bad_ones_save_nothing(client_for, manager):
    from clusterbridge.clusters.models import Cluster

    values = {
        "title": "Brokerage day",
        "kind": "brokerage",
        "organiser_cluster": Cluster.objects.get(slug="mobile-heights").pk,
        "venue": "Hall 1",
        "time_zone": "Europe/Brussels",
        "start": "2026-06-10T09:00",
        "end": "2026-06-10T18:00",
        "max_pending_requests": 10,
        "meeting_minutes": 30,
        "tables": 5,
        "meeting_sessions": "2026-06-10 07:00-08:00",
    }
    client = client_for("manager")
    assert client.post("/events/new/", values).status_code == 400
    assert not Event.objects.exists()
    values["meeting_sessions"] = "2026-06-10 10:00-11:00\n2026-06-10 14:00-15:30"
    assert client.post("/events/new/", values).status_code == 302
    event = Event.objects.get()
    starts = [s.start.astimezone(event.tz).strftime("%H:%M") for s in event.slots.all()]
    assert starts == ["10:00", "10:30", "14:00", "14:30", "15:00"]
