"""Matchmaking: prefilled profiles, who sees whom, suggestions with reasons, requests,
acceptance with placement, cancellation freeing the slot, the pending limit, the agenda
and its .ics, ratings."""

import datetime

import icalendar
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from clusterbridge.events import matchmaking, services
from clusterbridge.events.models import MeetingRequest
from clusterbridge.notifications.models import Notification
from tests.events.conftest import ANSWERS

pytestmark = pytest.mark.django_db


def test_profile_is_prefilled_from_the_organisation(registered):
    ann = registered("ann", features=["T1", "D2"], description="Blade inspection drones.")
    assert ann.offers.startswith("Blade inspection drones.")
    assert {f.code for f in ann.offer_features.all()} == {"T1", "D2"}
    assert "Ann Org" in ann.display_name
    assert matchmaking.marketplace_offers_and_needs(ann.organisation) == ([], [])


def _post(organisation, kind, title, features, status="published", **extra):
    from django.utils import timezone

    from clusterbridge.marketplace.models import Post
    from clusterbridge.taxonomy.models import Feature

    post = Post.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        description="…",
        status=status,
        published_at=timezone.now() if status == "published" else None,
        **extra,
    )
    post.features.set(Feature.objects.filter(code__in=features))
    return post


def test_profile_is_prefilled_from_the_published_marketplace_posts(event, person):
    user, organisation = person("ann", features=["T1"], description="Drones.")
    _post(organisation, "offer", "Blade inspection", ["D2", "T1"])
    _post(organisation, "need", "Composite repair", ["T2"])
    # Not published, or no longer valid: left out.
    _post(organisation, "need", "Draft need", ["A1"], status="draft")
    _post(organisation, "offer", "Withdrawn offer", ["A2"], status="withdrawn")
    _post(
        organisation,
        "need",
        "Past need",
        ["A3"],
        valid_until=datetime.date.today() - datetime.timedelta(days=2),
    )
    offers, needs = matchmaking.marketplace_offers_and_needs(organisation)
    assert [f.code for f in offers] == ["D2", "T1"]
    assert [f.code for f in needs] == ["T2"]
    registration = services.register_for(event, user, organisation=organisation, answers=ANSWERS)
    ann = matchmaking.join_matchmaking(registration, user)
    assert {f.code for f in ann.offer_features.all()} == {"T1", "D2"}
    assert {f.code for f in ann.seek_features.all()} == {"T2"}
    assert "Marketplace offer: Blade inspection" in ann.offers
    assert ann.seeks == "Marketplace need: Composite repair"


def test_request_accept_place_cancel_frees_the_slot(event, registered):
    ann, ben, cat = registered("ann"), registered("ben"), registered("cat")
    request = matchmaking.send_request(ann, ben, ann.user, "Let us talk turbines.")
    assert Notification.objects.filter(recipient=ben.user, kind="events.meeting_request")
    with pytest.raises(PermissionDenied):
        matchmaking.accept(request, ann.user)  # only the person asked accepts
    meeting = matchmaking.accept(request, ben.user)
    first_slot = event.slots.first()
    assert (meeting.status, meeting.slot, meeting.table) == ("accepted", first_slot, 1)
    assert Notification.objects.filter(recipient=ann.user, kind="events.meeting_accepted")
    # A second meeting of ann goes to the next slot; cat and ben share the first slot's
    # other table.
    second = matchmaking.accept(matchmaking.send_request(cat, ann, cat.user), ann.user)
    assert second.slot == event.slots.all()[1]
    # Cancelling frees the slot: a new meeting of ann and cat takes the first slot again.
    matchmaking.cancel(meeting, ann.user)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot_id, meeting.table) == ("cancelled", None, None)
    dan = registered("dan")
    third = matchmaking.accept(matchmaking.send_request(dan, ann, dan.user), ann.user)
    assert third.slot == first_slot


def test_tables_limit_meetings_per_slot(event, registered):
    people = [registered(name) for name in ("ann", "ben", "cat", "dan", "eve", "fay")]
    a, b, c, d, e, f = people
    placed = [
        matchmaking.accept(matchmaking.send_request(x, y, x.user), y.user)
        for x, y in ((a, b), (c, d), (e, f))
    ]
    first, second = event.slots.all()[:2]
    assert [(m.slot, m.table) for m in placed] == [(first, 1), (first, 2), (second, 1)]


def test_availability_is_respected_and_no_common_slot_leaves_it_unplaced(event, registered):
    ann, ben = registered("ann"), registered("ben")
    slots = list(event.slots.all())
    matchmaking.update_profile(ann, ann.user, {"available_slots": [slots[2], slots[3]]})
    matchmaking.update_profile(ben, ben.user, {"available_slots": [slots[3]]})
    meeting = matchmaking.accept(matchmaking.send_request(ann, ben, ann.user), ben.user)
    assert meeting.slot == slots[3]
    cat = registered("cat")
    matchmaking.update_profile(cat, cat.user, {"available_slots": [slots[0]]})
    unplaced = matchmaking.accept(matchmaking.send_request(cat, ann, cat.user), ann.user)
    assert unplaced.status == "accepted" and unplaced.slot is None


def test_pending_requests_are_limited_and_duplicates_refused(event, registered):
    ann = registered("ann")
    others = [registered(name) for name in ("ben", "cat", "dan", "eve")]
    for other in others[:3]:
        matchmaking.send_request(ann, other, ann.user)
    with pytest.raises(ValidationError, match="most this event allows"):
        matchmaking.send_request(ann, others[3], ann.user)
    with pytest.raises(ValidationError, match="already a request"):
        matchmaking.send_request(others[0], ann, others[0].user)
    with pytest.raises(ValidationError):
        matchmaking.send_request(ann, ann, ann.user)
    with pytest.raises(PermissionDenied):
        matchmaking.send_request(ann, others[3], others[3].user)  # not from one's own profile


def test_asking_again_after_withdrawing_is_refused(registered):
    ann, ben = registered("ann"), registered("ben")
    matchmaking.cancel(matchmaking.send_request(ann, ben, ann.user), ann.user)
    with pytest.raises(ValidationError, match="withdrew"):
        matchmaking.send_request(ann, ben, ann.user)
    assert matchmaking.send_request(ben, ann, ben.user).status == "pending"


def test_decline(registered):
    ann, ben = registered("ann"), registered("ben")
    request = matchmaking.send_request(ann, ben, ann.user)
    matchmaking.decline(request, ben.user)
    request.refresh_from_db()
    assert request.status == "declined"
    with pytest.raises(ValidationError):
        matchmaking.accept(request, ben.user)


def test_suggestions_rank_by_fit_with_reasons(registered):
    ann = registered("ann", features=["T1"])
    matchmaking.update_profile(
        ann, ann.user, {"seeks": "offshore inspection partners", "seek_features": []}
    )
    from clusterbridge.taxonomy.models import Feature

    matchmaking.update_profile(
        ann, ann.user, {"seek_features": list(Feature.objects.filter(code="D2"))}
    )
    ben = registered("ben", features=["D2"], description="Offshore inspection services")
    cat = registered("cat", features=["P1"])
    dan = registered("dan", description="Offshore logistics")
    suggestions = matchmaking.suggestions_for(ann, [ben, cat, dan])
    assert [s.participant for s in suggestions] == [ben, dan]
    assert any("offers what you seek" in reason for reason in suggestions[0].reasons)
    assert any("offshore" in reason for reason in suggestions[1].reasons)


def test_only_registered_people_see_participants_and_never_e_mail(
    client_for, users, event, registered
):
    ann = registered("ann")
    outsider = client_for("member")
    assert outsider.get(f"/events/{event.slug}/participants/").status_code == 403
    assert outsider.get(f"/events/{event.slug}/participants/{ann.pk}/").status_code == 403
    from rest_framework.test import APIClient

    from clusterbridge.events.api.views import EventViewSet  # noqa: F401

    api = APIClient()
    api.force_authenticate(users["member"])
    assert api.get(f"/api/v1/events/{event.slug}/participants/").status_code == 403
    services.register_for(event, users["member"], answers=ANSWERS)
    page = outsider.get(f"/events/{event.slug}/participants/")
    assert page.status_code == 200
    assert ann.display_name in page.content.decode()
    assert ann.user.email not in page.content.decode()
    listing = api.get(f"/api/v1/events/{event.slug}/participants/").json()
    assert [p["display_name"] for p in listing["results"]] == [ann.display_name]
    assert "email" not in str(listing)


def test_participant_list_filters_and_query_count(
    client_for, users, event, registered, django_assert_max_num_queries
):
    names = ["ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal"]
    for n, name in enumerate(names):
        registered(name, features=["T1"] if n % 2 else ["D2"], country="SE" if n % 3 else "FI")
    services.register_for(event, users["member"], answers=ANSWERS)
    client = client_for("member")
    client.get(f"/events/{event.slug}/participants/")  # makes the profile
    with django_assert_max_num_queries(25):
        page = client.get(f"/events/{event.slug}/participants/?country=FI")
    html = page.content.decode()
    assert html.count('class="result-card"') == 3
    page = client.get(f"/events/{event.slug}/participants/?feature=T1&side=offers")
    assert page.content.decode().count('class="result-card"') == 4
    with django_assert_max_num_queries(25):
        client.get(f"/events/{event.slug}/participants/?page=1")


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_participant_list_query_count_does_not_grow_with_participants(
    client_for, users, event, registered, django_assert_max_num_queries
):
    """The unfiltered page, with its facets and "suggested for you", costs as many queries
    with 2 or with 12 other participants, whether the event's facts are read (after a
    change) or already kept."""
    url = f"/events/{event.slug}/participants/"
    me = matchmaking.join_matchmaking(
        services.register_for(event, users["member"], answers=ANSWERS), users["member"]
    )
    from clusterbridge.taxonomy.models import Feature

    matchmaking.update_profile(
        me, users["member"], {"seek_features": list(Feature.objects.filter(code="T1"))}
    )
    client = client_for("member")
    counts = []
    for names in (["ann", "ben"], [f"p{n:02d}" for n in range(10)]):
        for n, name in enumerate(names):
            registered(name, features=["T1"] if n % 2 else ["D2"], country="SE" if n % 3 else "FI")
        computed, html = _queries(client, url)  # profiles changed: ranked again
        assert "Suggested for you" in html
        with django_assert_max_num_queries(10):
            cached, html = _queries(client, url)
        assert "Suggested for you" in html
        counts.append((computed, cached))
    assert counts[0] == counts[1]
    assert counts[0][1] < counts[0][0]


def test_suggestions_are_ranked_again_when_a_profile_changes(client_for, users, event, registered):
    from clusterbridge.taxonomy.models import Feature

    me = matchmaking.join_matchmaking(
        services.register_for(event, users["member"], answers=ANSWERS), users["member"]
    )
    matchmaking.update_profile(
        me, users["member"], {"seek_features": list(Feature.objects.filter(code="T1"))}
    )
    ann = registered("ann", features=["D2"])
    client = client_for("member")
    url = f"/events/{event.slug}/participants/"
    assert "Suggested for you" not in client.get(url).content.decode()
    matchmaking.update_profile(
        ann, ann.user, {"offer_features": list(Feature.objects.filter(code="T1"))}
    )
    html = client.get(url).content.decode()
    assert "Suggested for you" in html and "offers what you seek" in html
    assert "1 participant" in html
    services.cancel_registration(ann.registration, ann.user)
    html = client.get(url).content.decode()
    assert "Suggested for you" not in html
    assert "0 participants" in html  # the facets and the total are counted again too


def test_the_page_journey_request_accept_agenda_ics(client_for, users, event, registered):
    ann = registered("ann")
    services.register_for(event, users["member"], answers=ANSWERS)
    bob = client_for("member")
    assert bob.get(f"/events/{event.slug}/profile/").status_code == 200
    response = bob.post(f"/events/{event.slug}/participants/{ann.pk}/", {"message": "Hello"})
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    from django.test import Client

    annc = Client()
    annc.force_login(ann.user)
    annc.post(f"/events/{event.slug}/requests/{request.pk}/accept/")
    request.refresh_from_db()
    assert request.slot is not None
    agenda = bob.get(f"/events/{event.slug}/agenda/").content.decode()
    assert ann.display_name in agenda and "Table 1" in agenda
    calendar = icalendar.Calendar.from_ical(bob.get(f"/events/{event.slug}/agenda.ics").content)
    entries = calendar.walk("VEVENT")
    meeting = [e for e in entries if str(e["uid"]).startswith("meeting-")][0]
    assert meeting["dtstart"].dt == request.slot.start
    assert str(meeting["location"]) == "Table 1"
    # Only the person asked accepts; others cannot act on the request at all.
    assert bob.post(f"/events/{event.slug}/requests/{request.pk}/accept/").status_code == 403
    outsider_client = client_for("editor")
    assert (
        outsider_client.post(f"/events/{event.slug}/requests/{request.pk}/cancel/").status_code
        == 404
    )


def test_rating_after_the_meeting_shows_on_the_dashboard(client_for, event, registered):
    ann, ben = registered("ann"), registered("ben")
    meeting = matchmaking.accept(matchmaking.send_request(ann, ben, ann.user), ben.user)
    with pytest.raises(ValidationError):
        matchmaking.rate(meeting, ann.user, rating=5, follow_up=True)
    with time_machine.travel(meeting.slot.end + datetime.timedelta(minutes=5)):
        matchmaking.rate(meeting, ann.user, rating=5, follow_up=True)
        matchmaking.rate(meeting, ben.user, rating=3, follow_up=False)
    dashboard = client_for("manager").get(f"/events/{event.slug}/dashboard/").content.decode()
    assert "2 meetings rated" not in dashboard  # one meeting, rated by both
    assert "1 meetings rated, 4.0/5" in dashboard
    assert "1 with a follow-up" in dashboard


def test_cancelling_a_registration_ends_the_meetings(event, registered):
    ann, ben = registered("ann"), registered("ben")
    meeting = matchmaking.accept(matchmaking.send_request(ann, ben, ann.user), ben.user)
    services.cancel_registration(ann.registration, ann.user)
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.slot is None


def test_api_requests_are_ones_own(api_client_for, users, event, registered):
    ann, ben = registered("ann"), registered("ben")
    services.register_for(event, users["member"], answers=ANSWERS)
    api = api_client_for("member")
    api.get(f"/events/{event.slug}/participants/")
    from clusterbridge.events.models import Registration

    matchmaking.join_matchmaking(Registration.objects.get(user=users["member"]), users["member"])
    made = api.post(
        "/api/v1/meeting-requests/", {"receiver_id": ann.pk, "message": "Hi"}, format="json"
    )
    assert made.status_code == 201, made.json()
    matchmaking.send_request(ann, ben, ann.user)
    mine = api.get("/api/v1/meeting-requests/").json()["results"]
    assert len(mine) == 1 and "email" not in str(mine)
    from rest_framework.test import APIClient

    as_ann = APIClient()
    as_ann.force_authenticate(ann.user)
    accepted = as_ann.post(f"/api/v1/meeting-requests/{made.json()['id']}/accept/")
    assert accepted.status_code == 200 and accepted.json()["table"] == 1
    agenda = api.get(f"/api/v1/events/{event.slug}/agenda/").json()
    assert len(agenda) == 1 and agenda[0]["slot_start"]
    other = api_client_for("editor")
    assert other.post(f"/api/v1/meeting-requests/{made.json()['id']}/decline/").status_code == 404


def test_acceptance_mails_both_their_updated_agenda(event, registered, mailoutbox):
    from clusterbridge.notifications.services import send_due

    ann, ben = registered("ann"), registered("ben")
    meeting = matchmaking.accept(matchmaking.send_request(ann, ben, ann.user), ben.user)
    mailoutbox.clear()
    send_due()
    for person in (ann, ben):
        [message] = [
            m for m in mailoutbox if person.user.email in m.to and "Meeting with" in m.subject
        ]
        calendar = icalendar.Calendar.from_ical(message.attachments[0][1])
        [entry] = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("meeting-")]
        assert entry["dtstart"].dt == meeting.slot.start


def test_feature_facet_counts_participants_offering_or_seeking(
    client_for, users, event, registered
):
    """The facet is "Features (offered or sought)": a participant who only seeks a feature
    is counted under it, one who offers and seeks it once; the selector under it ("Features
    ticked above are offered / sought") narrows it as the filter."""
    import re

    from clusterbridge.taxonomy.models import Feature

    d2 = list(Feature.objects.filter(code="D2"))
    ann = registered("ann", features=["D2"])  # offers D2
    ben = registered("ben", features=["T1"])  # seeks D2 only
    matchmaking.update_profile(ben, ben.user, {"seek_features": d2})
    matchmaking.update_profile(ann, ann.user, {"seek_features": d2})  # offers and seeks
    services.register_for(event, users["member"], answers=ANSWERS)
    client = client_for("member")

    def d2_count(query=""):
        html = client.get(f"/events/{event.slug}/participants/{query}").content.decode()
        found = re.search(r'value="D2"[^<]*<span class="count"[^>]*>\((\d+)\)', html)
        return int(found.group(1)) if found else 0

    assert d2_count() == 2
    assert d2_count("?side=offers") == 1
    assert d2_count("?side=seeks") == 2
    page = client.get(f"/events/{event.slug}/participants/").content.decode()
    assert "Features ticked above are" in page
