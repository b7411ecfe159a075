"""Self-service sign-up with e-mail confirmation; what an unconfirmed account may do (browse,
save searches, watch calls) and may not (register a cluster, publish, claim, invite)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from clusterbridge.accounts.roles import is_verified
from clusterbridge.alerts.models import SavedSearch, WatchedCall
from clusterbridge.clusters.models import Cluster
from clusterbridge.funding.models import Instrument
from clusterbridge.projects.models import Project
from tests.clusters.helpers import new_cluster_data
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NEW = {
    "email": "Nora@Example.org",
    "username": "nora",
    "password1": "a long fresh passphrase 31",
    "password2": "a long fresh passphrase 31",
}


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/confirm-email/[^\s]+/)", message.body).group(1)


def test_sign_up_sends_a_confirmation_link_that_confirms_the_address(client):
    response = client.post("/account/signup/", NEW)
    assert response.status_code == 302
    nora = EmailAddress.objects.get(email="nora@example.org").user
    assert nora.username == "nora" and not is_verified(nora)
    assert client.get("/account/").context["user"] == nora  # signed in at once
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nora@example.org"]
    assert mail.outbox[0].subject.startswith("[ClusterBridge] ")

    link = confirmation_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and b"Confirm your e-mail address" in page.content
    assert client.post(link).status_code == 302
    nora.refresh_from_db()
    assert is_verified(type(nora).objects.get(pk=nora.pk))


def test_sign_up_refuses_a_taken_address_or_name_and_a_weak_password(client, users):
    response = client.post(
        "/account/signup/",
        {
            **NEW,
            "email": "BOB@example.org",
            "username": "bob",
            "password1": "123",
            "password2": "123",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"email", "username", "password1"}
    assert not mail.outbox


def test_reserved_user_names_are_refused(client):
    response = client.post("/account/signup/", {**NEW, "username": "admin"})
    assert "This user name is reserved" in response.content.decode()


def test_an_unconfirmed_account_browses_saves_searches_and_watches_calls(client):
    nora = make_user("nora", verified=False)
    client.force_login(nora, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/funding/").status_code == 200
    response = client.post(
        "/alerts/new/",
        {"name": "Drones", "kind": "search", "query": "q=drone", "frequency": "weekly"},
    )
    assert response.status_code == 302 and SavedSearch.objects.filter(owner=nora).exists()
    instrument = Instrument.objects.first()
    client.post(f"/alerts/watch/{instrument.pk}/")
    assert WatchedCall.objects.filter(owner=nora).exists()


def test_an_unconfirmed_account_is_told_to_confirm_instead_of_registering_a_cluster(client):
    nora = make_user("nora", verified=False)
    client.force_login(nora, backend="django.contrib.auth.backends.ModelBackend")
    for response in (
        client.get("/clusters/register/"),
        client.post("/clusters/register/", new_cluster_data()),
    ):
        html = response.content.decode()
        assert response.status_code == 403
        assert "<h1>Confirm your e-mail address first</h1>" in html
        assert "To register a cluster" in html and "nora@example.org" in html
        assert 'name="action_send"' in html  # resend the confirmation e-mail
    assert not Cluster.all_objects.filter(name="Adriatic Drone Cluster").exists()


def test_the_resend_button_sends_a_new_confirmation(client):
    nora = make_user("nora", verified=False)
    client.force_login(nora, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/account/email/", {"email": "nora@example.org", "action_send": ""}, follow=True
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and "/account/confirm-email/" in mail.outbox[0].body


def test_the_api_refuses_an_unconfirmed_registration_with_a_clear_message(users):
    from rest_framework.test import APIClient

    from clusterbridge.accounts.models import ApiToken

    nora = make_user("nora", verified=False)
    _, key = ApiToken.issue(nora, "script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    data = {"name": "Api Cluster Lambda", "country": "FR"}
    response = api.post("/api/v1/clusters/", data, format="json")
    assert response.status_code == 403
    assert "Confirm your e-mail address to register a cluster" in response.json()["detail"]
    assert not Cluster.all_objects.filter(name="Api Cluster Lambda").exists()


def test_an_unconfirmed_account_keeps_projects_private(client):
    nora = make_user("nora", verified=False)
    client.force_login(nora, backend="django.contrib.auth.backends.ModelBackend")
    data = {"name": "Nora's drone", "visibility": "public", "stage": "", "description": ""}
    response = client.post("/projects/new/", data)
    assert response.status_code == 400
    assert "Confirm your e-mail address to publish a project" in response.content.decode()
    assert not Project.objects.filter(name="Nora's drone").exists()
    assert client.post("/projects/new/", {**data, "visibility": "private"}).status_code == 302
    assert Project.objects.get(name="Nora's drone").owner == nora


def test_an_unconfirmed_account_cannot_claim_a_cluster(client):
    nora = make_user("nora", verified=False)
    client.force_login(nora, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/clusters/minalogic/claim/", {"message": "I run it"})
    assert response.status_code == 403 and b"To claim a cluster" in response.content
    assert not Cluster.objects.get(slug="minalogic").manager_links.filter(user=nora).exists()


def test_my_clusterbridge_reminds_an_unconfirmed_account(client):
    nora = make_user("nora", verified=False)
    client.force_login(nora, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/account/").content.decode()
    assert "Confirm your e-mail address <strong>nora@example.org</strong>" in html
    client.force_login(make_user("olga"), backend="django.contrib.auth.backends.ModelBackend")
    assert "Confirm your e-mail address" not in client.get("/account/").content.decode()


def test_existing_accounts_count_as_confirmed_after_the_upgrade():
    """The data migration: accounts made by administrators before sign-up existed."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth import get_user_model

    migration = import_module(
        "clusterbridge.accounts.migrations.0003_confirm_addresses_of_existing_accounts"
    )
    User = get_user_model()
    old = User.objects.create_user("old", "Old@Example.org", "x")
    twin_a = User.objects.create_user("twin_a", "twin@example.org", "x")
    User.objects.create_user("twin_b", "TWIN@example.org", "x")
    User.objects.create_user("nomail", "", "x")
    migration.confirm_existing_addresses(apps, None)
    assert EmailAddress.objects.get(user=old).verified
    assert EmailAddress.objects.get(user=old).email == "old@example.org"
    assert not EmailAddress.objects.filter(user=twin_a).exists()  # shared: left alone
    assert EmailAddress.objects.count() == 1
