"""A matchmaking profile is made with a confirmed seat, never by a page being read; a
person without one (a seat confirmed before, an event that became a brokerage event) sees
the form prefilled and unsaved until they submit it."""

import pytest

from clusterbridge.core.models import ObjectChange
from clusterbridge.events import matchmaking, services
from clusterbridge.events.models import Participant, Registration
from tests.events.conftest import ANSWERS

pytestmark = pytest.mark.django_db


def _state():
    return (
        ObjectChange.objects.count(),
        list(Participant.all_objects.values_list("pk", "version", "deleted_at")),
        list(Registration.all_objects.values_list("pk", "version", "status")),
    )


def test_a_confirmed_seat_comes_with_a_prefilled_profile(manager, event, person):
    services.events.update(event, manager, {"capacity": 1})
    ann_user, ann_org = person("ann", features=["T1"], description="Blade drones.")
    ben_user, ben_org = person("ben")
    ann = services.register_for(event, ann_user, organisation=ann_org, answers=ANSWERS)
    ben = services.register_for(event, ben_user, organisation=ben_org, answers=ANSWERS)
    profile = matchmaking.participant_of(event, ann_user)
    assert profile.offers.startswith("Blade drones.")
    assert {f.code for f in profile.offer_features.all()} == {"T1"}
    # The waiting list has no profile; promoted, it gets one.
    assert not Participant.objects.filter(registration=ben).exists()
    services.cancel_registration(ann, ann_user)
    assert matchmaking.participant_of(event, ben_user) is not None
    assert Participant.objects.filter(registration=ann).count() == 0


def test_reading_matchmaking_pages_writes_nothing(client_for, users, event, person):
    ann_user, ann_org = person("ann", features=["T1"], description="Blade drones.")
    services.register_for(event, ann_user, organisation=ann_org, answers=ANSWERS)
    registration = services.register_for(event, users["member"], answers=ANSWERS)
    # A seat confirmed before profiles came with seats: no profile.
    Participant.all_objects.filter(registration=registration).delete()
    client = client_for("member")
    before = _state()
    page = client.get(f"/events/{event.slug}/profile/")
    assert page.status_code == 200
    assert "not saved yet" in page.content.decode()
    for path in ("participants/", "requests/", "agenda/", "agenda.ics"):
        response = client.get(f"/events/{event.slug}/{path}")
        assert response.status_code == 302
        assert response["Location"] == f"/events/{event.slug}/profile/"
    assert _state() == before
    # Saving the form makes the profile, with what was submitted, in one history entry.
    response = client.post(
        f"/events/{event.slug}/profile/",
        {"display_name": "Member of the press", "offers": "Articles", "allow_reschedule": "on"},
    )
    assert response.status_code == 302
    profile = matchmaking.participant_of(event, users["member"])
    assert (profile.display_name, profile.offers) == ("Member of the press", "Articles")
    assert ObjectChange.objects.count() == before[0] + 1
    # With a profile, reading the pages writes nothing either.
    before = _state()
    for path in ("profile/", "participants/", "requests/", "agenda/"):
        assert client.get(f"/events/{event.slug}/{path}").status_code == 200
    assert _state() == before


def test_the_unsaved_profile_form_is_prefilled_from_the_organisation(client_for, event, person):
    from django.test import Client

    user, organisation = person("ann", features=["T1"], description="Blade drones for wind.")
    registration = services.register_for(event, user, organisation=organisation, answers=ANSWERS)
    Participant.all_objects.filter(registration=registration).delete()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    from clusterbridge.taxonomy.models import Feature

    page = client.get(f"/events/{event.slug}/profile/")
    assert "Blade drones for wind." in page.content.decode()
    ticked = {int(pk) for pk in page.context["form"]["offer_features"].value()}
    assert ticked == {Feature.objects.get(code="T1").pk}
    assert not Participant.all_objects.filter(registration=registration).exists()


def test_a_waiting_list_person_cannot_read_or_save_a_profile(manager, client_for, users, event):
    services.events.update(event, manager, {"capacity": 0})
    services.register_for(event, users["member"], answers=ANSWERS)
    client = client_for("member")
    assert client.get(f"/events/{event.slug}/profile/").status_code == 403
    assert client.post(f"/events/{event.slug}/profile/", {"display_name": "x"}).status_code == 403
    assert not Participant.all_objects.exists()
