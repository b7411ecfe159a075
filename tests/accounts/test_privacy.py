"""Download my data (JSON) and delete my account: what the person wrote for others stays,
attributed to "deleted user" in the history; what was private to them goes."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import ApiToken
from clusterbridge.alerts.models import SavedSearch, WatchedCall
from clusterbridge.clusters import services as cluster_services
from clusterbridge.clusters.models import Cluster, ClusterManager
from clusterbridge.core.models import ObjectChange
from clusterbridge.projects.models import Project
from tests.accounts.helpers import give_a_bit_of_everything
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_download_my_data_holds_everything_about_me_and_no_secret(client_for, users):
    bob = users["member"]
    give_a_bit_of_everything(bob, users["admin"])
    response = client_for("member").get("/account/data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="clusterbridge-')
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "bob"
    assert data["roles"] == ["member", "cluster manager"]
    assert data["email_addresses"] == [
        {"email": "bob@example.org", "verified": True, "primary": True}
    ]
    assert [t["name"] for t in data["api_tokens"]] == ["script 0"]
    assert data["saved_searches"][0]["query"] == "q=drone0"
    assert len(data["watched_calls"]) == 1
    assert len(data["clusters"]["managed"]) == 1
    assert data["clusters"]["registrations"][0]["cluster"] == "Adriatic Drone Cluster 0"
    assert data["projects"][0]["name"] == "Drone 0"
    assert any(change["action"] == "create" for change in data["changes_made"])
    body = response.content.decode()
    token = ApiToken.objects.get(user=bob)
    assert token.key_hash not in body and bob.password not in body


def test_the_download_holds_only_my_own_data(client_for, users):
    give_a_bit_of_everything(users["editor"], users["admin"])
    data = json.loads(client_for("member").get("/account/data.json").content)
    assert data["saved_searches"] == [] and data["projects"] == []
    assert data["clusters"] == {"managed": [], "registrations": [], "change_requests": []}


def test_download_needs_a_signed_in_person(client):
    assert client.get("/account/data.json").status_code == 302


def test_deleting_needs_the_password(client_for, users):
    client = client_for("member")
    response = client.post("/account/delete/", {"password": "not mine"})
    assert response.status_code == 200 and "This is not your password." in response.content.decode()
    assert get_user_model().objects.filter(username="bob").exists()


def test_deleting_keeps_what_i_wrote_and_removes_what_was_mine(client_for, users):
    bob = users["member"]
    give_a_bit_of_everything(bob, users["admin"])
    cluster = Cluster.objects.public().order_by("pk").first()
    cluster_services.grant_manager(cluster, users["admin"], bob, trusted=True)
    cluster_services.submit_change(cluster, bob, {"city": "Bobtown"})
    registration = Cluster.all_objects.get(name="Adriatic Drone Cluster 0")
    links = list(ClusterManager.objects.filter(user=bob).values_list("pk", flat=True))
    wrote = list(ObjectChange.objects.filter(user=bob).values_list("pk", flat=True))
    assert wrote

    client = client_for("member")
    response = client.post("/account/delete/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/account/").status_code == 302  # signed out
    assert not get_user_model().objects.filter(username="bob").exists()

    # Kept, attributed to "deleted user".
    registration.refresh_from_db()
    assert registration.submitted_by is None
    assert Project.objects.filter(name="Drone 0", owner=None).exists()
    kept = ObjectChange.objects.filter(pk__in=wrote)
    assert kept.exists()
    assert set(kept.values_list("user_id", "user_name")) == {(None, "deleted user")}
    cluster.refresh_from_db()
    assert cluster.field_sources["city"][0]["user"] == "deleted user"
    # Gone: private records (with their history), tokens, e-mail addresses, manager links.
    assert not SavedSearch.all_objects.exists() and not WatchedCall.all_objects.exists()
    assert not ObjectChange.objects.filter(
        content_type__model__in=["savedsearch", "watchedcall"]
    ).exists()
    assert not ApiToken.objects.exists()
    assert not EmailAddress.objects.filter(email="bob@example.org").exists()
    assert links and not ClusterManager.all_objects.filter(pk__in=links).exists()
    assert ObjectChange.objects.filter(
        content_type__model="clustermanager", message="The manager's account was deleted"
    ).exists()
    assert "bob" not in json.dumps(list(ObjectChange.objects.values_list("user_name", flat=True)))


def test_the_last_administrator_cannot_delete_themselves(client_for, users):
    alice = users["admin"]
    client = client_for("admin")
    response = client.post("/account/delete/", {"password": PASSWORD})
    assert response.status_code == 200
    assert "You are the last administrator" in response.content.decode()
    assert get_user_model().objects.filter(pk=alice.pk).exists()

    make_user("boss", superuser=True)
    assert client.post("/account/delete/", {"password": PASSWORD}).status_code == 302
    assert not get_user_model().objects.filter(pk=alice.pk).exists()


def test_the_delete_page_says_what_stays_and_what_goes(client_for):
    html = client_for("member").get("/account/delete/").content.decode()
    assert "<h1>Delete my account</h1>" in html and "deleted user" in html
    assert '<label for="id_password">Your password' in html
