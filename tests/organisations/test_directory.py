"""The directory page and the API list share one FilterSet: the same parameters give the
same organisations; facet counts sit beside each value; synthetic and deleted
organisations and hidden cluster memberships stay out of lists, facets and exports."""

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from clusterbridge.organisations import services
from clusterbridge.organisations.models import Organisation
from clusterbridge.taxonomy.models import Country, Feature, Term
from tests.api.helpers import THROTTLE_QUERIES
from tests.organisations.conftest import acme, minalogic, mobile_heights, organisation_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(users):
    """Acme (SE, SME, 10–49, renewable energy, T1 D2; in Mobile Heights, shown), Beta (no
    country, research; in Minalogic, hidden) and Gamma (FR, university, health, T3, no size)."""
    admin = users["admin"]
    services.create_organisation(
        admin,
        organisation_values(
            name="Gamma University",
            type="university",
            country=Country.objects.get(code="FR"),
            size="",
            description="Teaching hospital research on =HYPERLINK cells",
            features=list(Feature.objects.filter(code="T3")),
            ecosystems=list(Term.objects.filter(vocabulary="ecosystems", code="health")),
            sectors=[],
        ),
    )
    shown = services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=True
    )
    services.approve_cluster_membership(shown, users["manager"])
    beta = Organisation.objects.get(name="Beta Labs")
    hidden = services.request_cluster_membership(
        beta, users["other_owner"], minalogic(), show_publicly=False
    )
    services.approve_cluster_membership(hidden, users["other_manager"])
    call_command("generate_organisations", "30", "--seed", "3", stdout=io.StringIO())
    return users


def api_names(api, query: str = "") -> set[str]:
    response = api.get(f"/api/v1/organisations/?page_size=200&{query}")
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["results"]}


def page_names(client, query: str = "") -> set[str]:
    response = client.get(f"/organisations/?{query}")
    assert response.status_code == 200
    return {org.name for org in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Acme Robotics", "Beta Labs", "Gamma University"}),
        ("type=university", {"Gamma University"}),
        ("type=sme&type=university", {"Acme Robotics", "Gamma University"}),
        ("country=SE", {"Acme Robotics"}),
        ("ecosystem=health", {"Gamma University"}),
        ("sector=energy", {"Acme Robotics", "Beta Labs"}),
        ("feature=T3", {"Gamma University"}),
        ("feature=t1&type=research-organisation", {"Beta Labs"}),
        ("size=10-49", {"Acme Robotics", "Beta Labs"}),
        ("size=unknown", {"Gamma University"}),
        ("cluster=mobile-heights", {"Acme Robotics"}),
        # Beta's membership of Minalogic is not shown: the filter does not reveal it.
        ("cluster=minalogic", set()),
        ("q=hospital", {"Gamma University"}),
        ("q=wind turb", {"Acme Robotics", "Beta Labs"}),
        ("q=skane", {"Acme Robotics", "Beta Labs", "Gamma University"}),
    ],
)
def test_page_and_api_filter_alike(catalogue, client, api_client_for, query, expected):
    assert page_names(client, query) == expected
    assert api_names(api_client_for("anonymous"), query) == expected


def test_synthetic_and_deleted_organisations_are_never_listed(catalogue, client):
    assert Organisation.objects.filter(is_synthetic=True).count() == 30
    services.delete_organisation(acme(), catalogue["owner"])
    assert page_names(client) == {"Beta Labs", "Gamma University"}
    facets = client.get("/organisations/").context["facets"]
    assert {f["name"]: sum(v["count"] for v in f["values"]) for f in facets}["type"] == 2


def test_unknown_codes_are_errors_that_name_them(catalogue, client, api_client_for):
    response = api_client_for("anonymous").get("/api/v1/organisations/?feature=ZZ9&country=XX")
    assert response.status_code == 400
    body = response.json()
    assert "ZZ9" in str(body["feature"]) and "XX" in str(body["country"])
    page = client.get("/organisations/?cluster=no-such-cluster&type=pirate")
    assert page.status_code == 400
    html = page.content.decode()
    assert "Unknown cluster(s): no-such-cluster." in html and "pirate" in html


def test_facets_count_the_current_results(catalogue, client):
    facets = {
        f["name"]: {v["value"]: v["count"] for v in f["values"]}
        for f in client.get("/organisations/?sector=energy").context["facets"]
    }
    assert facets["type"] == {"sme": 1, "research-organisation": 1}
    assert facets["country"] == {"SE": 1}
    assert facets["size"] == {"10-49": 2}
    assert facets["feature"] == {"T1": 2, "D2": 2}
    assert facets["cluster"] == {"mobile-heights": 1}
    assert facets["ecosystem"] == {"renewable-energy": 2}
    html = client.get("/organisations/?sector=energy").content.decode()
    assert 'value="energy" id="f-sector-1" checked' in html


def test_the_directory_pages_and_sorts(catalogue, client, settings):
    from clusterbridge.organisations import views

    for index in range(25):
        services.create_organisation(
            catalogue["admin"], organisation_values(name=f"Zeta {index:02d}", country=None)
        )
    first = client.get("/organisations/")
    assert first.context["total"] == 28 and len(first.context["page"].object_list) == 20
    assert "1 – 20 of 28 organisations" in first.content.decode()
    second = client.get("/organisations/?page=2")
    assert len(second.context["page"].object_list) == 28 - views.PAGE_SIZE
    newest = page_order(client, "ordering=-created")
    assert newest[0] == "Zeta 24"
    assert page_order(client, "ordering=-name")[0] == "Zeta 24"
    assert page_order(client, "")[0] == "Acme Robotics"


def page_order(client, query):
    return [o.name for o in client.get(f"/organisations/?{query}").context["page"].object_list]


def test_a_search_is_ranked_and_counted(catalogue, client):
    response = client.get("/organisations/?q=robot")
    assert response.context["total"] == 2
    assert page_order(client, "q=acme robotics")[0] == "Acme Robotics"


def test_directory_query_count_does_not_grow_with_results(
    catalogue, client, django_assert_max_num_queries
):
    query = "/organisations/?sector=energy&feature=T1&country=SE&cluster=mobile-heights&q=robots"
    with django_assert_max_num_queries(11):
        assert client.get("/organisations/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(query).status_code == 200
    for index in range(25):
        services.create_organisation(
            catalogue["admin"],
            organisation_values(name=f"More {index}", country=Country.objects.get(code="DE")),
        )
    with django_assert_max_num_queries(11):
        assert client.get("/organisations/").status_code == 200


def test_api_list_query_count_is_constant(catalogue, api_client_for, django_assert_max_num_queries):
    api = api_client_for("anonymous")
    with django_assert_max_num_queries(6 + THROTTLE_QUERIES):
        assert api.get("/api/v1/organisations/?page_size=200").status_code == 200


def test_export_has_the_public_fields_and_is_formula_safe(catalogue, client):
    response = client.get("/organisations/export.csv?country=FR")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Type", "Country"]
    assert [r[0] for r in rows[1:]] == ["Gamma University"]
    services.update_organisation(acme(), catalogue["owner"], {"description": "=1+2"})
    rows = list(csv.reader(io.StringIO(client.get("/organisations/export.csv").content.decode())))
    acme_row = next(r for r in rows if r[0] == "Acme Robotics")
    assert acme_row[10] == "'=1+2"
    assert acme_row[9] == "Mobile Heights"
    beta_row = next(r for r in rows if r[0] == "Beta Labs")
    assert beta_row[9] == ""  # its Minalogic membership is not shown
    assert not any("synthetic" in r[11] for r in rows[1:])
    assert "olga" not in response.content.decode() + str(rows)
    book = load_workbook(io.BytesIO(client.get("/organisations/export.xlsx").content))
    sheet = book.active
    assert sheet.title == "Organisations" and sheet.max_row == 4
    assert client.get("/organisations/export.csv?feature=NOPE").status_code == 400
