"""A project's owner asks for features suggested from the description, on the project page,
and accepts one: the feature joins the project through its history."""

import pytest
from django.contrib.contenttypes.models import ContentType

from clusterbridge.core.history import history_of
from clusterbridge.projects.models import Project
from tests.matching.factories import make_project

pytestmark = pytest.mark.django_db


def test_owner_gets_suggestions_from_the_description_and_accepts_one(users, client_for):
    project = make_project("Drone watch", ["T13"], owner=users["member"])
    project.description = "We build a prototype that uses machine learning on drone images."
    project.save()
    owner = client_for("member")
    page = owner.get(f"/projects/{project.pk}/").content.decode()
    assert "Suggest features from the description" in page

    ct = ContentType.objects.get_for_model(Project)
    owner.post(f"/suggestions/for/{ct.pk}/{project.pk}/", {"next": f"/projects/{project.pk}/"})
    page = owner.get(f"/projects/{project.pk}/").content.decode()
    assert "Accept T1" in page and "machine learning" in page
    assert "Accept T13" not in page  # the project already has it

    suggestion_id = project_suggestion_id(project, "T1")
    owner.post(f"/suggestions/{suggestion_id}/accept/")
    project.refresh_from_db()
    assert project.features.filter(code="T1").exists()
    latest = history_of(project).first()
    assert "T1" in latest.after["features"] and "T1" not in latest.before["features"]


def test_visitors_and_other_members_see_no_suggestion_controls(users, client_for):
    project = make_project("Open drone watch", ["T13"], owner=users["member"])
    project.description = "A prototype using machine learning."
    project.save()
    for role in ("anonymous", "manager"):
        page = client_for(role).get(f"/projects/{project.pk}/").content.decode()
        assert "Suggested features" not in page, role


def project_suggestion_id(project, code):
    from clusterbridge.suggestions.services import pending_for

    return pending_for(project).get(feature__code=code).pk
