"""Projects grouped around end-user areas: the seed 001 groups as stated, suggestions with
their shared features, and an editor's flow from a suggestion to a confirmed group with a
manager and an event."""

import pytest

from clusterbridge.analytics import groups
from clusterbridge.analytics.models import ProjectGroup
from clusterbridge.core.models import ObjectChange
from clusterbridge.projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_seed_groups_are_loaded_as_stated():
    public_space = ProjectGroup.objects.get(name="Public Space Protection")
    assert sorted(public_space.projects.values_list("name", flat=True)) == sorted(
        [
            "Safe Festivals",
            "AIR-T4S",
            "CMD BOX",
            "AI-Disaster Emergency Communication",
            "ERRATA",
            "RESPO-C",
            "Serval Management",
        ]
    )
    assert public_space.end_users.startswith("First responders from Lithuania, France")
    assert public_space.provenance == [
        {"document": "001_64a1a149fb9beb97.txt", "lines": [816, 826]}
    ]
    ci = ProjectGroup.objects.get(name="Critical Infrastructure Protection")
    assert sorted(ci.projects.values_list("name", flat=True)) == [
        "DISCOGRID",
        "EV-Safe",
        "Flowguard",
        "RS2DG",
    ]
    assert "Lithuanian electricity distribution grid" in ci.end_users
    assert all(p.call == "SecurIT Open call 2" for p in ci.projects.all())


def test_suggestions_group_projects_that_share_features_and_say_which():
    projects = (
        Project.objects.real().filter(call="SecurIT Open call 1").prefetch_related("features")
    )
    suggestions = groups.suggest(projects)
    assert suggestions, "the Open call 1 projects share features"
    for suggestion in suggestions:
        assert len(suggestion.projects) >= 2
        codes = {f.code for f in suggestion.shared}
        for feature in suggestion.shared:
            holders = [p for p in suggestion.projects if feature in p.features.all()]
            assert len(holders) * 2 >= len(suggestion.projects)
        assert codes


def test_an_editor_saves_names_confirms_a_group_and_creates_its_event(client_for, users):
    created = []

    def fake_event(group, user):
        created.append((group.name, user.username, sorted(p.name for p in group.projects.all())))
        return "/events/1/"

    groups.register_event_hook(fake_event)
    try:
        editor = client_for("editor")
        page = editor.get("/analytics/groups/?call=SecurIT+Open+call+1").content.decode()
        assert "Save as a group" in page
        ids = list(
            Project.objects.filter(name__in=["ERRATA", "CMD BOX"]).values_list("pk", flat=True)
        )
        response = editor.post("/analytics/groups/new/", {"name": "Crowds", "projects": ids})
        group = ProjectGroup.objects.get(name="Crowds")
        assert response["Location"] == f"/analytics/groups/{group.slug}/edit/"
        assert group.status == "suggested"
        response = editor.post(
            f"/analytics/groups/{group.slug}/edit/",
            {
                "name": "Crowd safety",
                "area": "Large public events",
                "end_users": "Festival organisers",
                "projects": ids,
                "manager": users["manager"].pk,
                "status": "confirmed",
                "version": group.version,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        group.refresh_from_db()
        assert (group.name, group.status, group.manager) == (
            "Crowd safety",
            "confirmed",
            users["manager"],
        )
        assert (
            ObjectChange.objects.filter(
                object_id=str(group.pk), object_repr__in=["Crowds", "Crowd safety"]
            ).count()
            == 2
        )
        detail = editor.get(group.get_absolute_url()).content.decode()
        assert "Create an event for this group" in detail
        response = editor.post(f"/analytics/groups/{group.slug}/event/")
        assert response["Location"] == "/events/1/"
        assert created == [("Crowd safety", "erin", ["CMD BOX", "ERRATA"])]
    finally:
        groups._EVENT_HOOKS.remove(fake_event)


@pytest.mark.parametrize("role", ["anonymous", "member", "manager"])
def test_only_editors_change_groups(client_for, role):
    group = ProjectGroup.objects.get(name="Public Space Protection")
    client = client_for(role)
    assert client.post("/analytics/groups/new/", {"name": "x"}).status_code in (302, 403)
    assert not ProjectGroup.objects.filter(name="x").exists()
    assert client.post(f"/analytics/groups/{group.slug}/edit/", {"name": "y"}).status_code in (
        302,
        403,
    )
    group.refresh_from_db()
    assert group.name == "Public Space Protection"


def test_without_the_events_app_the_page_says_the_event_comes_later(client_for, monkeypatch):
    monkeypatch.setattr(groups, "_EVENT_HOOKS", [])
    group = ProjectGroup.objects.get(name="Public Space Protection")
    html = client_for("editor").get(group.get_absolute_url()).content.decode()
    assert "once events are on ClusterBridge" in html


def test_group_page_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get("/analytics/groups/").status_code == 200


def test_projects_without_features_are_named_not_grouped(client):
    html = client.get("/analytics/groups/?call=SecurIT+Open+call+2").content.decode()
    assert "21 projects of this call have no features" in html


def test_api_lists_the_groups_with_the_projects_the_caller_may_see(client, users):
    from clusterbridge.projects.models import Visibility

    hidden = Project.objects.get(name="ERRATA")
    hidden.visibility = Visibility.PRIVATE
    hidden.save()
    body = client.get("/api/v1/analytics/project-groups/public-space-protection/").json()
    names = [p["name"] for p in body["projects"]]
    assert "Safe Festivals" in names and "ERRATA" not in names
    assert body["end_users"].startswith("First responders")
