"""Project list, detail and visibility; constant query counts on list pages."""

import pytest

from clusterbridge.projects.models import Visibility
from tests.matching.factories import make_instrument, make_project

pytestmark = pytest.mark.django_db


def test_private_projects_are_seen_by_their_owner_and_administrators_only(users, client_for):
    project = make_project(
        "Secret sauce", ["T1"], owner=users["member"], visibility=Visibility.PRIVATE
    )
    for role, sees in [
        ("anonymous", False),
        ("member", True),
        ("editor", False),
        ("manager", False),
        ("admin", True),
    ]:
        client = client_for(role)
        listed = "Secret sauce" in client.get("/projects/", {"q": "secret"}).content.decode()
        detail = client.get(f"/projects/{project.pk}/").status_code
        api = client.get(f"/api/v1/projects/{project.pk}/").status_code
        matches = client.get(f"/api/v1/projects/{project.pk}/matches/").status_code
        assert (listed, detail, api, matches) == (
            (True, 200, 200, 200) if sees else (False, 404, 404, 404)
        ), role


def test_list_filters_by_feature_text_and_stage(client):
    text = client.get("/projects/", {"feature": ["T2", "T11"]}).content.decode()
    assert "DIAC" in text and "ShowID" not in text
    text = client.get("/projects/", {"q": "kaleido"}).content.decode()
    assert "Kaleidoscope" in text and "DIAC" not in text
    text = client.get("/projects/", {"stage": "prototyping", "call": "securit open call 1"})
    assert "BIM2SIM" in text.content.decode() and "DIAC" not in text.content.decode()


def test_list_and_api_use_the_same_filters(client):
    api = client.get("/api/v1/projects/", {"feature": ["T2", "T11"]}).json()
    assert [p["name"] for p in api["results"]] == ["DIAC"]
    response = client.get("/api/v1/projects/", {"feature": "T2,QQ"})
    assert response.status_code == 400
    assert response.json() == {"feature": ["Unknown feature code(s): QQ."]}


def test_the_list_page_query_count_does_not_grow_with_projects(
    client, users, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get("/projects/")
    for n in range(15):
        make_project(f"Extra {n}", ["T1", "D2", "G1"], owner=users["member"])
    with django_assert_max_num_queries(8):
        response = client.get("/projects/")
    assert "Extra 14" in response.content.decode()


def test_matrix_pages_query_count_is_constant(client, django_assert_max_num_queries):
    for n in range(10):
        make_instrument(f"Instrument {n}", ["T1", "D2"])
    with django_assert_max_num_queries(8):
        client.get("/projects/matrix/")
    with django_assert_max_num_queries(8):
        client.get("/projects/instrument-matrix/")


def test_the_detail_page_shows_the_projects_matches_with_reasons(client):
    make_instrument("Demonstrator fund", ["D3", "G3", "T1"], deadlines=["2099-06-30"])
    page = client.get("/projects/?q=c-shield")
    assert "C-SHIELD" in page.content.decode()
    from clusterbridge.projects.models import Project

    project = Project.objects.get(name="C-SHIELD")
    text = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Demonstrator fund" in text
    assert (
        "Fits because: AI (ML), Productization, Showcasing, Demo, Presentations, "
        "Exhibitions; missing: CBRN detection"
    ) in text
    assert "30 June 2099" in text
    assert "lines 1035–1091" in text


def test_a_member_adds_a_project_and_sees_its_matches(client_for):
    make_instrument("Prototype vouchers", ["D2"], deadlines=["2099-01-31"])
    client = client_for("member")
    response = client.post(
        "/projects/new/",
        {
            "name": "Drone mapper",
            "visibility": "private",
            "stage": "prototyping",
            "features": ["T13", "D2"],
            "country": "",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Drone mapper" in text and "Prototype vouchers" in text
    assert "Fits because: Prototype; missing: UAVs, Drones" in text


def test_the_list_page_offers_country_and_feature_filters(client):
    text = client.get("/projects/", {"feature": "T11", "country": "FR"}).content.decode()
    assert 'name="country" value="FR" checked> France' in text
    assert 'name="feature" value="T11" checked> Biometry' in text
    assert 'name="feature" value="A-construction"' in text


def test_synthetic_projects_stay_out_of_the_catalogue(client):
    from clusterbridge.projects.models import Project

    Project.objects.create(name="Generated project", visibility="public", is_synthetic=True)
    assert "Generated project" not in client.get("/projects/").content.decode()
    assert "Generated project" not in client.get("/projects/matrix/").content.decode()
    names = [p["name"] for p in client.get("/api/v1/projects/?page_size=200").json()["results"]]
    assert "Generated project" not in names and "DIAC" in names


def test_doubts_about_the_source_are_for_editors(client_for):
    from clusterbridge.projects.models import Project

    project = Project.objects.exclude(source_doubts=[]).filter(visibility="public").first()
    url = f"/projects/{project.pk}/"
    assert "Doubts about the source" not in client_for("anonymous").get(url).content.decode()
    assert "Doubts about the source" in client_for("editor").get(url).content.decode()
