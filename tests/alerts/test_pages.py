"""The /alerts/ pages: save a search from any /funding/ address, save a profile, change,
delete (softly, in the history), watch calls — all private to their owner."""

import datetime
from urllib.parse import quote

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from clusterbridge.alerts import services
from clusterbridge.alerts.models import SavedSearch, WatchedCall
from clusterbridge.core import history
from tests.alerts.conftest import make_instrument

pytestmark = pytest.mark.django_db


def test_save_this_search_link_carries_the_funding_query(client_for):
    request = RequestFactory().get("/funding/?q=drone&feature=T13&country=LT")
    html = Template("{% load alert_tags %}{% save_search_button %}").render(
        Context({"request": request})
    )
    query = "q=drone&feature=T13&country=LT"
    assert f'href="/alerts/new/?query={quote(query, safe="")}"' in html
    assert "/funding/feed.atom?q=drone&amp;feature=T13&amp;country=LT" in html
    response = client_for("member").get("/alerts/new/", {"query": query})
    assert response.status_code == 200
    assert f'value="{query}"'.replace("&", "&amp;") in response.content.decode()


def test_a_member_saves_a_search_with_a_weekly_digest(client_for, users):
    response = client_for("member").post(
        "/alerts/new/",
        {
            "name": "Drones in Lithuania",
            "kind": "search",
            "query": "?q=drone&feature=T13",
            "frequency": "weekly",
        },
    )
    assert response.status_code == 302
    alert = SavedSearch.objects.get(name="Drones in Lithuania")
    assert alert.owner == users["member"] and alert.query == "q=drone&feature=T13"
    assert alert.next_run_at is not None
    assert history.history_of(alert).filter(action="create", user=users["member"]).exists()


def test_a_search_with_an_unknown_feature_is_refused_on_the_field(client_for):
    response = client_for("member").post(
        "/alerts/new/",
        {"name": "Bad", "kind": "search", "query": "feature=ZZ9", "frequency": "daily"},
    )
    assert response.status_code == 200
    assert "ZZ9" in response.context["form"].errors["query"][0]
    assert not SavedSearch.objects.exists()


def test_a_profile_needs_features_and_keeps_them(client_for):
    client = client_for("member")
    response = client.post(
        "/alerts/new/", {"name": "Mine", "kind": "profile", "frequency": "daily"}
    )
    assert "features" in response.context["form"].errors
    response = client.post(
        "/alerts/new/",
        {
            "name": "Mine",
            "kind": "profile",
            "frequency": "daily",
            "features": ["T1", "D2"],
            "country": "LT",
        },
    )
    assert response.status_code == 302
    alert = SavedSearch.objects.get(name="Mine")
    assert sorted(alert.features.values_list("code", flat=True)) == ["D2", "T1"]
    assert alert.country.code == "LT"


def test_profile_prefilled_from_a_match_address(client_for):
    response = client_for("member").get("/alerts/new/?feature=T1&feature=D2&country=LT")
    form = response.context["form"]
    assert form.initial["kind"] == "profile" and form.initial["features"] == ["T1", "D2"]


def test_changing_the_frequency_reschedules_and_never_stops(client_for, users):
    alert = services.save_alert(
        SavedSearch(name="A", query="q=x", frequency="daily"), user=users["member"]
    )
    response = client_for("member").post(
        f"/alerts/{alert.pk}/edit/",
        {"name": "A", "kind": "search", "query": "q=x", "frequency": "never"},
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.frequency == "never" and alert.next_run_at is None


def test_delete_is_soft_and_recorded(client_for, users):
    alert = services.save_alert(
        SavedSearch(name="Gone", query="q=x", frequency="daily"), user=users["member"]
    )
    client = client_for("member")
    assert "Delete “Gone”?" in client.get(f"/alerts/{alert.pk}/delete/").content.decode()
    assert client.post(f"/alerts/{alert.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.filter(pk=alert.pk).exists()
    assert SavedSearch.all_objects.get(pk=alert.pk).is_deleted
    assert history.history_of(alert).filter(action="delete").exists()


def test_the_list_shows_only_my_alerts_in_constant_queries(
    client_for, users, django_assert_max_num_queries
):
    for n in range(5):
        services.save_alert(
            SavedSearch(name=f"Bob's {n}", query=f"q=x{n}", frequency="daily"), user=users["member"]
        )
        profile = services.save_alert(
            SavedSearch(name=f"Profile {n}", kind="profile", frequency="weekly"),
            user=users["member"],
            features=[],
        )
        profile.features.set([1, 2])
    services.save_alert(
        SavedSearch(name="Erin's secret", query="q=y", frequency="daily"), user=users["editor"]
    )
    call = make_instrument("Zephyr watched", deadlines=[datetime.date(2031, 1, 1)], country="LT")
    services.watch(call, user=users["member"])
    client = client_for("member")
    with django_assert_max_num_queries(12):
        response = client.get("/alerts/")
    page = response.content.decode()
    assert "Bob&#x27;s 4" in page and "Zephyr watched" in page and "Erin" not in page


def test_watch_and_unwatch(client_for, users):
    call = make_instrument("Zephyr to watch", deadlines=[datetime.date(2031, 1, 1)])
    client = client_for("member")
    assert client.post(f"/alerts/watch/{call.pk}/").status_code == 302
    assert client.post(f"/alerts/watch/{call.pk}/").status_code == 302  # twice: still one watch
    watch = WatchedCall.objects.get(owner=users["member"], instrument=call)
    request = RequestFactory().get("/funding/1/")
    request.user = users["member"]
    html = Template("{% load alert_tags %}{% watch_button call %}").render(
        Context({"request": request, "call": call})
    )
    assert "You watch this call" in html
    assert client.post(f"/alerts/watches/{watch.pk}/delete/").status_code == 302
    assert not WatchedCall.objects.filter(pk=watch.pk).exists()
    client.post(f"/alerts/watch/{call.pk}/")  # watching again brings the same watch back
    assert WatchedCall.objects.get(owner=users["member"], instrument=call).pk == watch.pk


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/alerts/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_project_or_a_match_is_saved_as_a_profile_alert(client_for, users):
    from tests.matching.factories import make_project

    project = make_project("Alerting drone", ["T13", "D2"], owner=users["member"], country="LT")
    member = client_for("member")
    page = member.get(f"/projects/{project.pk}/").content.decode()
    link = "/alerts/new/?feature=T13&amp;feature=D2&amp;country=LT&amp;name=Alerting+drone"
    assert link in page
    form = member.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial["kind"] == "profile" and form.initial["name"] == "Alerting drone"
    assert sorted(form.initial["features"]) == ["D2", "T13"] and form.initial["country"] == "LT"
    match_page = member.get("/match/?feature=T1&feature=D2&country=LT").content.decode()
    assert "/alerts/new/?feature=T1&amp;feature=D2&amp;country=LT" in match_page
    assert (
        "to be e-mailed new calls"
        in client_for("anonymous").get("/match/?feature=T1").content.decode()
    )


def test_my_alerts_are_filtered_and_read_with_labels(client_for, users):
    services.save_alert(
        SavedSearch(name="Drones", query="q=drone&feature=T13&country=LT", frequency="weekly"),
        user=users["member"],
    )
    services.save_alert(
        SavedSearch(name="Quiet", query="q=x", frequency="never"), user=users["member"]
    )
    client = client_for("member")
    html = client.get("/alerts/").content.decode()
    # The saved query as a person reads it: labels, not codes.
    assert "“drone” · Features: UAVs, Drones · Country: Lithuania" in html
    assert 'name="frequency" value="weekly"> Weekly digest <span class="count"' in html
    html = client.get("/alerts/", {"frequency": "never"}).content.decode()
    assert "Quiet" in html and "Drones" not in html
    assert "E-mail: No e-mail" in html  # the chip
