"""Regressions found in review: the trusted flag of the API, claiming again after a
rejection, and a withdrawn cluster named by the projects it owns."""

import pytest

from clusterbridge.clusters import services
from clusterbridge.clusters.models import ClusterManager, Status
from tests.matching.factories import make_project

pytestmark = pytest.mark.django_db


def test_the_trusted_flag_false_in_a_form_post_stays_false(api_client_for, users, mobile_heights):
    response = api_client_for("admin").post(
        f"/api/v1/clusters/{mobile_heights.slug}/managers/",
        {"user": "mona", "trusted": "false"},
    )
    assert response.status_code == 201 and response.json()["trusted"] is False
    link = ClusterManager.objects.get(cluster=mobile_heights, user=users["manager"])
    assert link.trusted is False


def test_a_rejected_claim_can_be_made_again(client_for, users, mobile_heights):
    link = services.claim(mobile_heights, users["member"], "I run it")
    services.reject_claim(link, users["admin"], "No proof")
    page = client_for("member").get(f"/clusters/{mobile_heights.slug}/").content.decode()
    assert "claim" in page.lower()
    again = services.claim(mobile_heights, users["member"], "Here is the proof")
    assert again.pk == link.pk and not again.approved and not again.is_deleted
    assert (
        ClusterManager.all_objects.filter(cluster=mobile_heights, user=users["member"]).count() == 1
    )


def test_a_withdrawn_cluster_is_not_named_by_its_projects(client, users, mobile_heights):
    project = make_project("Owned pilot", ["D1"], owner=users["member"])
    project.owner_cluster = mobile_heights
    project.save()
    assert "Mobile Heights" in client.get(f"/projects/{project.pk}/").content.decode()
    mobile_heights.status = Status.WITHDRAWN
    mobile_heights.save()
    assert "Mobile Heights" not in client.get(f"/projects/{project.pk}/").content.decode()
    assert client.get(f"/api/v1/projects/{project.pk}/").json()["owner_cluster"] is None
