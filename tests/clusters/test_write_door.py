"""Clusters have one write door (clusters.services.clusters): the edit page, the API and
`POST /history/<id>/revert/` obey the same moderation rule, and the edit form sends back
what it showed."""

import pytest

from clusterbridge.clusters import services
from clusterbridge.clusters.models import ChangeRequest, Status
from clusterbridge.core import history
from tests.clusters.helpers import form_data

pytestmark = pytest.mark.django_db


def _withdraw(cluster, admin):
    cluster.status = Status.WITHDRAWN
    return history.save(cluster, user=admin, message="Withdrawn by its organisation")


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_nobody_republishes_a_withdrawn_cluster_by_reverting(client_for, users, managed, role):
    withdrawal = _withdraw(managed, users["admin"])
    response = client_for(role).post(f"/history/{withdrawal.pk}/revert/")
    assert response.status_code == 302
    managed.refresh_from_db()
    assert managed.status == Status.WITHDRAWN
    assert not ChangeRequest.objects.exists()
    assert client_for("anonymous").get("/clusters/mobile-heights/").status_code == 404


def test_a_trusted_manager_does_not_republish_by_reverting_either(client_for, users, managed):
    services.grant_manager(managed, users["admin"], users["manager"], trusted=True)
    withdrawal = _withdraw(managed, users["admin"])
    client_for("manager").post(f"/history/{withdrawal.pk}/revert/")
    managed.refresh_from_db()
    assert managed.status == Status.WITHDRAWN


def test_a_manager_cannot_delete_a_published_profile_by_reverting_its_creation(client_for, managed):
    creation = history.history_of(managed).filter(before__isnull=True).get()
    response = client_for("manager").post(f"/history/{creation.pk}/revert/")
    assert response.status_code == 403
    managed.refresh_from_db()
    assert not managed.is_deleted and managed.status == Status.PUBLISHED
    assert client_for("anonymous").get("/clusters/mobile-heights/").status_code == 200


def test_an_untrusted_managers_revert_waits_for_review(client_for, users, managed):
    services.grant_manager(managed, users["admin"], users["editor"], trusted=True)
    client_for("editor").post(
        "/clusters/mobile-heights/edit/", form_data(managed, mission="Reviewed mission.")
    )
    managed.refresh_from_db()
    assert managed.mission == "Reviewed mission."
    edit = history.history_of(managed).first()

    response = client_for("manager").post(f"/history/{edit.pk}/revert/", follow=True)
    assert "waits for an administrator" in response.content.decode()
    managed.refresh_from_db()
    assert managed.mission == "Reviewed mission."  # nothing public changed
    request = ChangeRequest.objects.get()
    assert request.changes == {"mission": ""} and request.submitted_by == users["manager"]
    assert request.original == {"mission": "Reviewed mission."}

    services.approve_change(request, users["admin"])
    managed.refresh_from_db()
    assert managed.mission == ""


def test_an_administrators_revert_applies_at_once(client_for, users, managed):
    managed.city = "Malmö"
    change = history.save(managed, user=users["admin"])
    client_for("admin").post(f"/history/{change.pk}/revert/")
    managed.refresh_from_db()
    assert managed.city != "Malmö" and not ChangeRequest.objects.exists()
    assert history.history_of(managed).first().action == "revert"


def test_the_edit_form_shows_and_keeps_the_country(client_for, managed):
    mona = client_for("manager")
    page = mona.get("/clusters/mobile-heights/edit/")
    form = page.context["form"]
    assert form["country"].value() == "SE"
    assert '<option value="SE" selected>' in page.content.decode()
    # Post back exactly what the page shows, with one field changed.
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["city"] = "Malmö"
    mona.post("/clusters/mobile-heights/edit/", data)
    request = ChangeRequest.objects.get()
    assert request.changes == {"city": "Malmö"}  # no country: None


def test_editing_a_pending_registration_does_not_claim_it_is_published(client_for, users):
    cluster = services.propose(users["member"], {"name": "Pending Heron Cluster", "country": "PT"})
    bob = client_for("member")
    response = bob.post(
        f"/clusters/{cluster.slug}/edit/",
        form_data(cluster, description="Herons and their watchers."),
        follow=True,
    )
    page = response.content.decode()
    assert "Your changes are published" not in page
    assert "still waits for an administrator" in page
    cluster.refresh_from_db()
    assert cluster.description == "Herons and their watchers." and cluster.status == "pending"


def test_the_api_edit_of_a_published_profile_waits_for_review(api_client_for, managed):
    response = api_client_for("manager").patch(
        "/api/v1/clusters/mobile-heights/", {"city": "Malmö"}, format="json"
    )
    assert response.status_code == 202
    assert ChangeRequest.objects.get().changes == {"city": "Malmö"}
