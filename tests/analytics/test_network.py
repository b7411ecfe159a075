"""The relatedness network: communities and betweenness on a small graph whose answer is
known, keystone agents from the platform's public records only, node pages, exports."""

import networkx as nx
import pytest

from clusterbridge.analytics import network
from clusterbridge.clusters.models import Cluster
from clusterbridge.organisations import services as organisation_services
from clusterbridge.organisations.models import ClusterMembership
from clusterbridge.taxonomy.models import Country, Term

pytestmark = pytest.mark.django_db


def two_triangles_and_a_bridge() -> nx.Graph:
    """Fields a1, a2 and b1, b2 each tied to their own agents; agent K works in both."""
    graph = nx.Graph()
    for node, kind in [
        ("A", "organisation"),
        ("A2", "organisation"),
        ("B", "organisation"),
        ("B2", "organisation"),
        ("K", "cluster"),
        ("a1", "ecosystem"),
        ("a2", "ecosystem"),
        ("b1", "ecosystem"),
        ("b2", "ecosystem"),
    ]:
        graph.add_node(node, kind=kind, label=node, url="", country="")
    for a, b in [
        ("A", "a1"),
        ("A", "a2"),
        ("A2", "a1"),
        ("A2", "a2"),
        ("B", "b1"),
        ("B", "b2"),
        ("B2", "b1"),
        ("B2", "b2"),
        ("K", "a1"),
        ("K", "b1"),
    ]:
        network.add_link(graph, a, b, f"{a} works in {b}", "ecosystem")
    return graph


def test_two_communities_and_the_agent_between_them_is_the_keystone():
    analysis = network.analyse(two_triangles_and_a_bridge())
    groups = [c.members - {"K"} for c in analysis.communities]
    assert {"A", "A2", "a1", "a2"} in groups and {"B", "B2", "b1", "b2"} in groups
    assert analysis.sampled is None
    # Every path between the two halves passes through K: the highest betweenness.
    assert max(analysis.betweenness, key=analysis.betweenness.get) == "K"
    assert [k.node for k in analysis.keystones] == ["K"]
    assert analysis.keystones[0].reason.startswith("links 2 communities")


def make_org(owner, name, ecosystems, country="NO"):
    return organisation_services.create_organisation(
        owner,
        {
            "name": name,
            "type": "sme",
            "country": Country.objects.get(code=country),
            "ecosystems": list(Term.objects.filter(vocabulary="ecosystems", code__in=ecosystems)),
        },
    )


def test_the_graph_uses_only_what_the_public_sees(users):
    cluster = Cluster.objects.public().first()
    shown = make_org(users["member"], "Shown Sensors", ["digital"])
    hidden = make_org(users["member"], "Hidden Holdings", ["health"])
    ClusterMembership.objects.create(
        organisation=shown, cluster=cluster, status="approved", show_publicly=True
    )
    ClusterMembership.objects.create(
        organisation=hidden, cluster=cluster, status="approved", show_publicly=False
    )
    graph = network.build_graph()
    assert graph.has_edge(f"organisation:{shown.pk}", f"cluster:{cluster.pk}")
    assert not graph.has_edge(f"organisation:{hidden.pk}", f"cluster:{cluster.pk}")
    assert not any(n.startswith("cluster:") and graph.nodes[n]["label"] == "x" for n in graph)
    withdrawn = Cluster.all_objects.exclude(status="published")
    for other in withdrawn:
        assert f"cluster:{other.pk}" not in graph
    reasons = graph.edges[f"organisation:{shown.pk}", "ecosystem:digital"]["reasons"]
    assert reasons == ["Shown Sensors works in ecosystem “Digital”"]


def test_keystone_page_node_page_api_and_exports(client, users):
    cluster = Cluster.objects.public().first()
    org = make_org(users["member"], "Shown Sensors", ["digital", "health"])
    ClusterMembership.objects.create(
        organisation=org, cluster=cluster, status="approved", show_publicly=True
    )
    html = client.get("/analytics/network/").content.decode()
    assert "Keystone agents" in html and "Communities" in html
    assert "Memberships an organisation keeps private are not used" in html
    node = client.get(f"/analytics/network/organisation:{org.pk}/").content.decode()
    assert f"Shown Sensors is a member of {cluster.name}" in node
    assert client.get("/analytics/network/organisation:999999/").status_code == 404
    body = client.get("/api/v1/analytics/keystones/").json()
    assert {"keystones", "communities", "sampled"} <= set(body)
    graphml = client.get("/analytics/network/export.graphml")
    assert b"<graphml" in graphml.content
    gexf = client.get("/analytics/network/export.gexf?ecosystem=digital")
    assert b"<gexf" in gexf.content and b"Shown Sensors" in gexf.content


def test_filters_narrow_the_network_to_a_country_and_an_ecosystem(client, users):
    make_org(users["member"], "Norsk Digital", ["digital"], "NO")
    make_org(users["member"], "Helsinki Health", ["health"], "FI")
    graph = network.build_graph(country="NO", ecosystem="digital")
    labels = {data["label"] for _n, data in graph.nodes(data=True)}
    assert "Norsk Digital" in labels and "Helsinki Health" not in labels


def test_network_pages_make_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    # Building the graph: a fixed number of queries (prefetches), whatever the records.
    with django_assert_max_num_queries(20):
        assert client.get("/analytics/network/?ecosystem=digital").status_code == 200
    # Then kept until a record changes: only the fingerprint's queries.
    with django_assert_max_num_queries(10):
        assert client.get("/analytics/network/?ecosystem=digital").status_code == 200
