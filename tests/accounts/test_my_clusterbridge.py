"""My ClusterBridge (/account/): one panel per app, from the registry in accounts/dashboard.py."""

import pytest

from clusterbridge.accounts import dashboard
from tests.accounts.helpers import give_a_bit_of_everything
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_it_shows_what_the_person_has_in_every_app(client_for, users):
    give_a_bit_of_everything(users["member"], users["admin"])
    response = client_for("member").get("/account/")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>My ClusterBridge</h1>" in html
    titles = [panel.title for panel, _ in response.context["panels"]]
    assert titles == [
        "My organisations",
        "My clusters",
        "My events",
        "Saved searches and alerts",
        "Watched calls",
        "My projects",
        "Notifications",
        "Account and security",
    ]
    assert "Drone calls 0" in html  # saved search
    assert "Adriatic Drone Cluster 0" in html and "waiting for review" in html  # registration
    assert "Drone 0" in html  # project
    assert 'href="/account/email/"' in html and 'href="/account/2fa/totp/activate/"' in html
    assert "1 active" in html  # API tokens
    assert 'href="/account/data.json"' in html and 'href="/account/delete/"' in html


def test_it_shows_a_clear_start_to_a_new_member(client):
    client.force_login(make_user("nina"), backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/account/").content.decode()
    assert "You manage no cluster" in html and "No saved search yet" in html
    assert "You watch no call" in html and "No project yet" in html


def test_editors_and_administrators_get_their_tools(client_for):
    member = client_for("member").get("/account/").content.decode()
    assert "Tools for editors" not in member and 'href="/import/"' not in member
    editor = client_for("editor").get("/account/").content.decode()
    assert 'href="/import/"' in editor and 'href="/funding/maintenance/"' in editor
    assert 'href="/clusters/moderation/"' not in editor and 'href="/trash/"' not in editor
    admin = client_for("admin").get("/account/").content.decode()
    for url in ("/import/", "/funding/maintenance/", "/clusters/moderation/", "/trash/", "/admin/"):
        assert f'href="{url}"' in admin, url
    assert "administrator" in admin


def test_the_query_count_does_not_grow_with_what_the_person_has(
    client_for, users, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("member")
    give_a_bit_of_everything(users["member"], users["admin"], n=1)
    with CaptureQueriesContext(connection) as few:
        client.get("/account/")
    give_a_bit_of_everything(users["member"], users["admin"], n=4)
    with django_assert_max_num_queries(19):  # + the events panel
        client.get("/account/")
    with CaptureQueriesContext(connection) as many:
        client.get("/account/")
    assert len(many) == len(few)


def test_an_app_adds_its_panel_through_the_registry(client_for):
    panel = dashboard.Panel(
        key="test-shortlist",
        title="My shortlist",
        order=60,
        template="accounts/panels/tools.html",
        context=lambda request: (
            {"links": [{"url": "/shortlist/", "label": "3 calls"}]}
            if request.user.username == "bob"
            else None
        ),
    )
    dashboard.register(panel)
    try:
        assert "My shortlist" in client_for("member").get("/account/").content.decode()
        assert "My shortlist" not in client_for("editor").get("/account/").content.decode()
    finally:
        dashboard._panels.pop("test-shortlist")


def test_it_needs_a_signed_in_person(client):
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
