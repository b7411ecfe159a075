"""A project owned by a cluster: the cluster's managers see and change it, others don't;
people can only hand a project to a cluster they manage."""

import pytest

from clusterbridge.clusters import services as cluster_services
from clusterbridge.clusters.models import Cluster
from clusterbridge.projects.forms import ProjectForm
from clusterbridge.projects.models import Visibility
from tests.matching.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def gaia(users):
    cluster = Cluster.objects.public().get(name__startswith="GAIA")
    cluster_services.grant_manager(cluster, users["admin"], users["manager"])
    return cluster


def test_the_managers_of_the_owning_cluster_see_and_change_a_private_project(
    users, client_for, gaia
):
    project = make_project(
        "Cluster pilot", ["D1"], owner=users["member"], visibility=Visibility.PRIVATE
    )
    project.owner_cluster = gaia
    project.save()
    manager = client_for("manager")
    page = manager.get(f"/projects/{project.pk}/")
    assert page.status_code == 200 and gaia.name in page.content.decode()
    assert "Cluster pilot" in manager.get("/projects/", {"q": "cluster pilot"}).content.decode()
    assert project.user_can_change(users["manager"])
    # Someone managing another cluster, or nobody, sees nothing.
    assert client_for("editor").get(f"/projects/{project.pk}/").status_code == 404
    assert client_for("anonymous").get(f"/projects/{project.pk}/").status_code == 404


def test_the_form_offers_only_clusters_the_person_manages(users, gaia):
    mine = ProjectForm(user=users["manager"]).fields["owner_cluster"].queryset
    assert list(mine) == [gaia]
    assert not ProjectForm(user=users["member"]).fields["owner_cluster"].queryset.exists()
    form = ProjectForm(
        {"name": "Hijack", "visibility": "public", "owner_cluster": gaia.pk},
        user=users["member"],
    )
    assert not form.is_valid() and "owner_cluster" in form.errors


def test_the_api_names_the_owning_cluster_by_slug(users, client, gaia):
    project = make_project("Public cluster pilot", ["D1"], owner=users["member"])
    project.owner_cluster = gaia
    project.save()
    assert client.get(f"/api/v1/projects/{project.pk}/").json()["owner_cluster"] == gaia.slug
