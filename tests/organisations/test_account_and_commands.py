"""The "My organisations" panel, "download my data", the synthetic generator and the API
schema."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.test import RequestFactory

from clusterbridge.accounts import dashboard
from clusterbridge.clusters.models import Cluster
from clusterbridge.organisations import services
from clusterbridge.organisations.models import ClusterMembership, Membership, Organisation
from tests.organisations.conftest import acme, mobile_heights

pytestmark = pytest.mark.django_db


def panel_for(user) -> tuple[dashboard.Panel, dict] | None:
    request = RequestFactory().get("/account/")
    request.user = user
    return next(
        ((p, c) for p, c in dashboard.panels_for(request) if p.key == "organisations"), None
    )


def test_my_organisations_panel(users):
    from django.contrib.auth.models import AnonymousUser

    assert panel_for(AnonymousUser()) is None
    services.request_to_join(acme(), users["manager"])
    services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=True
    )
    panel, context = panel_for(users["owner"])
    html = render_to_string(panel.template, context)
    assert panel.title == "My organisations"
    assert "Acme Robotics" in html and "owner" in html and "1 request to join" in html
    panel, context = panel_for(users["manager"])
    html = render_to_string(panel.template, context)
    assert "request waiting for the owners" in html
    assert "1 organisation asks to be listed in your clusters" in html
    panel, context = panel_for(users["member"])
    html = render_to_string(panel.template, context)
    assert "member" in html and "request to join" not in html
    panel, context = panel_for(users["unverified"])
    assert "You belong to no organisation yet" in render_to_string(panel.template, context)
    assert context["can_create"] is False


def test_download_my_data_has_the_memberships(users):
    export = next(d for d in dashboard.personal_data() if d.key == "organisations").export
    services.leave(acme(), users["member"])
    data = export(users["member"])
    assert [(m["organisation"], m["role"]) for m in data["memberships"]] == [
        ("Acme Robotics", "member")
    ]
    assert data["memberships"][0]["ended_at"] is not None
    services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=False, message="Hi"
    )
    owner = export(users["owner"])
    assert owner["cluster_membership_requests"][0]["cluster"] == "Mobile Heights"
    import json

    json.dumps(owner)  # JSON-able


def test_deleting_an_account_removes_its_memberships(users):
    users["member"].delete()
    assert Membership.all_objects.filter(organisation=acme()).count() == 1


def test_generate_organisations_is_flagged_fast_and_never_counted(users, client):
    out = io.StringIO()
    call_command("generate_organisations", "200", "--seed", "1", "--owners", stdout=out)
    assert "Generated 200 synthetic organisations" in out.getvalue()
    synthetic = Organisation.objects.filter(is_synthetic=True)
    assert synthetic.count() == 200
    assert Membership.objects.filter(organisation__is_synthetic=True, role="owner").count() == 200
    assert ClusterMembership.objects.filter(organisation__is_synthetic=True).exists()
    assert synthetic.filter(features__isnull=False).distinct().exists()
    assert synthetic.filter(search_text__contains="region").count() == 200
    # Never listed, faceted or counted on a cluster's profile.
    response = client.get("/organisations/")
    assert response.context["total"] == 2
    assert not ClusterMembership.objects.shown().exists()
    busy = Cluster.objects.filter(organisation_links__organisation__is_synthetic=True).first()
    assert (
        "No member organisation is listed" in client.get(busy.get_absolute_url()).content.decode()
    )
    # A second run continues the numbering.
    call_command("generate_organisations", "5", stdout=io.StringIO())
    assert synthetic.count() == 205
    with pytest.raises(CommandError):
        call_command("generate_organisations", "-1", stdout=io.StringIO())


def test_the_api_schema_describes_organisations(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/organisations/",
        "/api/v1/organisations/{slug}/",
        "/api/v1/organisations/{slug}/members/",
        "/api/v1/organisations/{slug}/join/",
        "/api/v1/organisations/{slug}/clusters/",
        "/api/v1/cluster-memberships/",
        "/api/v1/cluster-memberships/{id}/approve/",
    ):
        assert path in paths, path
    parameters = {p["name"] for p in paths["/api/v1/organisations/"]["get"]["parameters"]}
    assert {
        "q",
        "type",
        "country",
        "ecosystem",
        "sector",
        "feature",
        "size",
        "cluster",
    } <= parameters
