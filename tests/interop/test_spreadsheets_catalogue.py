"""Spreadsheets of projects and clusters: the same round trip, with each app's own rules on
who may see and change what."""

import csv
import io

import pytest
from django.urls import reverse

from clusterbridge.clusters.models import Cluster
from clusterbridge.core import history
from clusterbridge.interop import sheets
from clusterbridge.interop.sheet_import import import_sheet
from clusterbridge.projects.models import Project, Visibility

pytestmark = pytest.mark.django_db

TERM_FIELDS = ("countries", "sectors", "ecosystems", "technologies", "services")


def export(client, record_type, fmt="csv"):
    response = client.get(reverse("interop:export", args=[record_type, fmt]))
    assert response.status_code == 200
    return response.content


def rows_of(raw):
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def project_state():
    return {
        p.pk: (
            history.snapshot(p, with_m2m=False),
            sorted(p.features.values_list("code", flat=True)),
        )
        for p in Project.objects.real()
    }


def cluster_state():
    state = {}
    for cluster in Cluster.objects.real():
        snapshot = history.snapshot(cluster, with_m2m=False)
        snapshot.pop("field_sources")
        state[cluster.pk] = (
            snapshot,
            {
                name: sorted(getattr(cluster, name).values_list("code", flat=True))
                for name in TERM_FIELDS
            },
        )
    return state


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_projects_export_then_import_gives_the_same_records(fmt, client_for, users):
    Project.objects.filter(name__startswith="S").update(visibility=Visibility.PUBLIC)
    exported = export(client_for("admin"), "projects", fmt)
    original = project_state()
    for project in Project.objects.real():
        project.description = "edited"
        history.save(project, user=users["admin"], m2m={"features": []})

    report = import_sheet("projects", exported, user=users["editor"])

    assert report.ok, report.errors[:3]
    assert report.updated == len(original) > 0
    assert project_state() == original


def test_a_private_project_is_exported_only_to_those_who_may_see_it(client_for, users):
    private = Project.objects.real().first()
    private.visibility = Visibility.PRIVATE
    history.save(private, user=users["admin"])
    names = {r["name"] for r in rows_of(export(client_for("anonymous"), "projects"))}
    assert private.name not in names
    assert private.name in {r["name"] for r in rows_of(export(client_for("admin"), "projects"))}


def test_an_imported_project_belongs_to_the_importer(users):
    raw = b"name,country,stage,features,visibility\nNEWPROJ,FI,pilot,T1; P12,public\n"
    report = import_sheet("projects", raw, user=users["editor"])
    assert report.created == 1
    project = Project.objects.get(name="NEWPROJ")
    assert project.owner == users["editor"] and project.visibility == "public"
    assert sorted(project.features.values_list("code", flat=True)) == ["P12", "T1"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_clusters_export_then_import_gives_the_same_records(fmt, client_for, users):
    exported = export(client_for("admin"), "clusters", fmt)
    original = cluster_state()
    for cluster in Cluster.objects.real()[:25]:
        cluster.region = "edited"
        history.save(cluster, user=users["admin"], m2m={"sectors": []})

    report = import_sheet("clusters", exported, user=users["admin"])

    assert report.ok, report.errors[:3]
    assert report.created == 0 and report.updated == 25
    assert cluster_state() == original
    edited = Cluster.objects.real().order_by("pk").first()
    assert edited.field_sources["region"][0]["user"] == "alice"


def test_only_administrators_import_clusters(users):
    raw = b"name,country,status\nNew cluster,FI,published\n"
    with pytest.raises(sheets.SheetFileError, match="may not import clusters"):
        import_sheet("clusters", raw, user=users["editor"])
    report = import_sheet("clusters", raw, user=users["admin"])
    assert report.created == 1
    cluster = Cluster.objects.get(name="New cluster")
    assert cluster.slug == "new-cluster" and cluster.status == "published"
    assert cluster.field_sources["name"][0]["document"] == "spreadsheet import"


def test_unknown_vocabulary_terms_are_reported(users):
    raw = b"name,country,sectors\nTerm cluster,FI,not-a-sector\n"
    report = import_sheet("clusters", raw, user=users["admin"])
    assert [(p.row, p.column) for p in report.errors] == [(2, "sectors")]
    assert "unknown sectors entry" in report.errors[0].message


def test_the_cluster_and_project_exports_use_their_list_filters(client_for):
    admin = client_for("admin")
    response = admin.get(reverse("interop:export", args=["clusters", "csv"]) + "?country=FI")
    countries = {r["country"] for r in rows_of(response.content)}
    assert countries == {"FI"}
    everyone = rows_of(export(admin, "clusters"))
    assert len(everyone) > len(rows_of(response.content))
    response = admin.get(reverse("interop:export", args=["projects", "csv"]) + "?country=ZZ")
    assert response.status_code == 400 and "ZZ" in response.content.decode()


def test_another_persons_private_project_is_neither_revealed_nor_blocking(users):
    from clusterbridge.projects.models import Project, Visibility
    from tests.matching.factories import make_project

    make_project("Hidden twin", ["T1"], owner=users["member"], visibility=Visibility.PRIVATE)
    report = import_sheet(
        "projects", b"name,visibility\nHidden twin,public\n", user=users["editor"]
    )
    assert report.errors == [] and report.created == 1
    assert Project.objects.filter(name="Hidden twin").count() == 2


def test_a_project_is_given_only_to_a_cluster_its_importer_manages(users):
    from clusterbridge.clusters import services as cluster_services
    from clusterbridge.clusters.models import Cluster

    gaia = Cluster.objects.public().get(name__startswith="GAIA")
    raw = f"name,owner_cluster\nCluster-owned pilot,{gaia.slug}\n".encode()
    report = import_sheet("projects", raw, user=users["editor"])
    assert [(e.row, e.column) for e in report.errors] == [(2, "owner_cluster")]
    assert "do not manage" in report.errors[0].message
    assert not Project.all_objects.filter(name="Cluster-owned pilot").exists()

    cluster_services.grant_manager(gaia, users["admin"], users["editor"])
    report = import_sheet("projects", raw, user=users["editor"])
    assert (
        report.errors == []
        and Project.objects.get(name="Cluster-owned pilot").owner_cluster == gaia
    )
