"""A partner search is matched with organisations (not only offers): ranked, explained, only
live organisations of the same kind (real or synthetic), in the countries sought — on the
post's page and in /api/v1/marketplace/posts/<id>/matches/?of=organisations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterbridge.marketplace import partners
from clusterbridge.organisations import services as organisation_services
from clusterbridge.organisations.models import Organisation
from clusterbridge.taxonomy.models import Country, Feature, Term
from tests.conftest import make_user
from tests.marketplace.conftest import make_post, publish
from tests.organisations.conftest import acme, beta, organisation_values

pytestmark = pytest.mark.django_db
API = "/api/v1/marketplace/posts/"


def _organisation(name, **changes) -> Organisation:
    owner = make_user(name.split()[0].lower())
    return organisation_services.create_organisation(
        owner, organisation_values(name=name, website="", **changes)
    )


def _search(users, **changes):
    values = {
        "organisation": beta(),
        "kind": "partner-search",
        "title": "Partners for a wind-turbine inspection project",
        "roles_sought": "A research organisation\nAn SME building robots",
        "features": list(Feature.objects.filter(code__in=["T1", "D2"])),
        "ecosystems": list(Term.objects.filter(vocabulary="ecosystems", code="renewable-energy")),
        "countries": list(Country.objects.filter(code__in=["SE", "FR"])),
        "quantity": None,
        "unit": "",
    }
    values.update(changes)
    return publish(make_post(users["other_owner"], **values), users)


@pytest.fixture
def field(users):
    """Acme (Sweden: T1, D2, renewable energy) fits; a French research organisation with one
    feature fits less; others are out: in Germany, synthetic, deleted, sharing nothing."""
    _organisation(
        "Lyon Research Institute",
        type="research-organisation",
        country=Country.objects.get(code="FR"),
        features=list(Feature.objects.filter(code="T1")),
        ecosystems=[],
        sectors=[],
    )
    _organisation("Berlin Robots", country=Country.objects.get(code="DE"))
    synthetic = _organisation("Synthetic Robots")
    Organisation.objects.filter(pk=synthetic.pk).update(is_synthetic=True)
    gone = _organisation("Gone Robots")
    organisation_services.delete_organisation(gone, users["admin"])
    _organisation(
        "Unrelated Bakery",
        type="large-company",
        features=[],
        ecosystems=[],
        sectors=list(Term.objects.filter(vocabulary="sectors").exclude(code="energy")[:1]),
    )
    return users


def test_organisations_fit_a_partner_search_with_reasons(field):
    search = _search(field)
    found = partners.for_post(search)
    names = [m.organisation.name for m in found]
    assert names == ["Acme Robotics", "Lyon Research Institute"]
    acme_match, lyon = found
    assert acme_match.score > lyon.score
    assert any(r.startswith("Shared features: ") and "T1" in r for r in acme_match.reasons)
    assert "Based in Sweden" in acme_match.reasons
    assert "Role “A research organisation”: Research organisation" in lyon.reasons
    assert lyon.roles == ["A research organisation"]


def test_the_post_page_lists_the_organisations_that_fit(field, client_for):
    search = _search(field)
    html = client_for("anonymous").get(search.get_absolute_url()).content.decode()
    assert "Organisations that fit the roles sought" in html
    assert acme().get_absolute_url() in html and "Lyon Research Institute" in html
    for absent in ("Berlin Robots", "Synthetic Robots", "Gone Robots", "Unrelated Bakery"):
        assert absent not in html


def test_offers_and_needs_have_no_organisation_matches(field, client_for, api_client_for):
    offer = publish(make_post(field["owner"]), field)
    assert partners.for_post(offer) == []
    html = client_for("anonymous").get(offer.get_absolute_url()).content.decode()
    assert "Organisations that fit" not in html
    assert (
        api_client_for("anonymous").get(f"{API}{offer.pk}/matches/?of=organisations").json() == []
    )


def test_the_api_answers_organisations_and_keeps_posts_the_default(field, api_client_for):
    search = _search(field)
    api = api_client_for("anonymous")
    data = api.get(f"{API}{search.pk}/matches/?of=organisations").json()
    assert [m["name"] for m in data] == ["Acme Robotics", "Lyon Research Institute"]
    assert data[0]["slug"] == acme().slug and data[0]["country"] == "SE"
    assert data[0]["page"] == acme().get_absolute_url() and data[0]["reasons"]
    # Without the parameter the endpoint answers what it answered before: posts.
    plain = api.get(f"{API}{search.pk}/matches/")
    assert plain.status_code == 200 and all("title" in m for m in plain.json())
    assert api.get(f"{API}{search.pk}/matches/?of=posts").json() == plain.json()
    wrong = api.get(f"{API}{search.pk}/matches/?of=people")
    assert wrong.status_code == 400 and "of" in wrong.json()


def test_a_draft_search_is_matched_for_its_organisation_only(field, api_client_for):
    draft = make_post(
        field["other_owner"],
        organisation=beta(),
        kind="partner-search",
        roles_sought="A research organisation",
        quantity=None,
        unit="",
    )
    for role in ("anonymous", "owner", "manager"):
        url = f"{API}{draft.pk}/matches/?of=organisations"
        assert api_client_for(role).get(url).status_code == 404
    assert (
        api_client_for("other_owner").get(f"{API}{draft.pk}/matches/?of=organisations").status_code
        == 200
    )


def test_a_synthetic_search_matches_synthetic_organisations_only(field):
    search = _search(field)
    type(search).all_objects.filter(pk=search.pk).update(is_synthetic=True)
    search.refresh_from_db()
    Organisation.objects.filter(name="Synthetic Robots").update(
        country=Country.objects.get(code="SE")
    )
    assert [m.organisation.name for m in partners.for_post(search)] == ["Synthetic Robots"]


def test_the_search_page_makes_a_fixed_number_of_queries(field, client):
    search = _search(field)
    client.get(search.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(search.get_absolute_url())
    for n in range(6):
        _organisation(f"Lund{n} Robotics")
    # Writing organisations moves the posts' version token: the first request after it
    # checks the published posts again (a fixed cost per write, not per organisation).
    client.get(search.get_absolute_url())
    with CaptureQueriesContext(connection) as many:
        html = client.get(search.get_absolute_url()).content.decode()
    assert "Lund5 Robotics" in html
    assert len(many) == len(few)


def test_the_schema_describes_organisation_matches(client):
    schema = client.get("/api/schema/").content.decode()
    assert "OrganisationMatch" in schema and "organisations" in schema
