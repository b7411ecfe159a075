"""Every project write, tried by every role; only the allowed ones change data, and each
allowed write is in the history."""

import pytest

from clusterbridge.core.history import history_of
from clusterbridge.projects.models import Project, Visibility
from tests.matching.factories import make_project
from tests.matrix import ROLES, WriteCase, check_write

pytestmark = pytest.mark.django_db


def _form(name, visibility="public", features=("T1",)):
    return {
        "name": name,
        "visibility": visibility,
        "stage": "prototyping",
        "features": list(features),
        "description": "",
        "organisation": "",
        "country": "",
        "owner_cluster": "",
        "call": "",
        "supporting_cluster": "",
    }


def _own(users, visibility):
    make_project("Bob's solution", ["T1"], owner=users["member"], visibility=visibility)


def _bobs():
    return Project.all_objects.get(name="Bob's solution")


def _edit(client):
    return client.post(f"/projects/{_bobs().pk}/edit/", _form("Bob's solution", features=["D2"]))


def _edited():
    project = _bobs()
    return {f.code for f in project.features.all()} == {"D2"} and history_of(project).filter(
        action="update"
    ).exists()


def _edit_private(client):
    return client.post(
        f"/projects/{_bobs().pk}/edit/",
        _form("Bob's solution", visibility="private", features=["D2"]),
    )


def _delete(client):
    return client.post(f"/projects/{_bobs().pk}/delete/")


def _deleted():
    project = _bobs()
    return project.is_deleted and history_of(project).filter(action="delete").exists()


def _create(client):
    return client.post("/projects/new/", _form("Brand new", features=["T1", "D2"]))


def _created():
    project = Project.objects.filter(name="Brand new").first()
    return bool(
        project and project.owner_id and history_of(project).filter(action="create").exists()
    )


def _edit_reference(client):
    project = Project.objects.get(name="DIAC")
    return client.post(f"/projects/{project.pk}/edit/", _form("DIAC", features=["T1"]))


def _reference_edited():
    return {f.code for f in Project.objects.get(name="DIAC").features.all()} == {"T1"}


CASES = [
    WriteCase("add a project", _create, _created, allowed={"member", "editor", "manager", "admin"}),
    WriteCase(
        "edit a public project of bob",
        _edit,
        _edited,
        allowed={"member", "editor", "admin"},
        prepare=lambda u: _own(u, Visibility.PUBLIC),
    ),
    WriteCase(
        "edit a private project of bob",
        _edit_private,
        _edited,
        allowed={"member", "admin"},
        prepare=lambda u: _own(u, Visibility.PRIVATE),
    ),
    WriteCase(
        "delete a public project of bob",
        _delete,
        _deleted,
        allowed={"member", "editor", "admin"},
        prepare=lambda u: _own(u, Visibility.PUBLIC),
    ),
    WriteCase(
        "delete a private project of bob",
        _delete,
        _deleted,
        allowed={"member", "admin"},
        prepare=lambda u: _own(u, Visibility.PRIVATE),
    ),
    WriteCase(
        "edit a reference project", _edit_reference, _reference_edited, allowed={"editor", "admin"}
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_write_permission(case, role, users, client_for):
    check_write(case, role, users, client_for)


def test_a_bad_form_changes_nothing_and_says_what_is_wrong(client_for):
    client = client_for("member")
    response = client.post("/projects/new/", {**_form(""), "features": ["T1", "ZZ"]})
    assert response.status_code == 400
    assert not Project.objects.filter(owner__username="bob").exists()
    text = response.content.decode()
    assert "This field is required." in text
    assert "ZZ" in text
