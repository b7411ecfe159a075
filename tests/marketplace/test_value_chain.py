"""The value chain of an ecosystem from published offers and needs: who offers and who
needs each feature, needs with a single supplier or none first, reported disruptions on
their link; drafts and other ecosystems left out."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterbridge.marketplace.valuechain import NONE, SINGLE, value_chain
from clusterbridge.taxonomy.models import Feature, Term
from tests.marketplace.conftest import acme, beta, make_post, publish

pytestmark = pytest.mark.django_db


def features(*codes):
    return list(Feature.objects.filter(code__in=codes))


@pytest.fixture
def chain(users):
    publish(make_post(users["owner"], features=features("T1", "D2")), users)  # acme offers
    publish(
        make_post(
            users["other_owner"],
            organisation=beta(),
            kind="need",
            title="Sensors and resin",
            features=features("T1", "T5"),
            is_disruption=True,
            disrupted_supply="Epoxy resin from one plant",
            disrupted_since=datetime.date(2026, 10, 1),
        ),
        users,
    )
    make_post(users["owner"], kind="offer", title="Draft resin", features=features("T5"))
    publish(
        make_post(
            users["owner"],
            title="Elsewhere",
            features=features("T7"),
            ecosystems=list(Term.objects.filter(vocabulary="ecosystems", code="digital")),
        ),
        users,
    )


def test_links_with_one_supplier_or_none_come_first(chain):
    links = {link.feature.code: link for link in value_chain("health")}
    assert set(links) == {"T1", "D2", "T5"}  # not T7 (another ecosystem)
    assert list(value_chain("health"))[0].feature.code == "T5"
    assert links["T5"].risk == NONE  # the draft offer does not count
    assert [o.name for o in links["T1"].suppliers.values()] == [acme().name]
    assert [o.name for o in links["T1"].buyers.values()] == [beta().name]
    assert links["T1"].risk == SINGLE
    assert links["D2"].risk == ""  # offered, nobody needs it
    assert [p.disrupted_supply for p in links["T5"].disruptions] == ["Epoxy resin from one plant"]


def test_the_page_shows_the_chain_in_few_queries(chain, client):
    html = client.get("/marketplace/value-chain/").content.decode()
    assert "Choose an ecosystem" in html and html.count("<h1") == 1
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/marketplace/value-chain/?ecosystem=health").content.decode()
    assert len(queries) <= 12, [q["sql"] for q in queries]
    assert "No supplier on the platform" in html and "Single supplier" in html
    assert "Epoxy resin from one plant" in html
    assert "Draft resin" not in html
    assert '<label for="id_ecosystem">' in html
