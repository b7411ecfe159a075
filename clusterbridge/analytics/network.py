"""The relatedness network (seed 003 L10–40): clusters, organisations, cluster networks and
public projects linked to each other by membership and to the fields they work in
(industrial ecosystems, sectors, features). Communities by Louvain (networkx) and, per node,
betweenness centrality: the clusters and organisations "in between fields" — the keystone
agents — are those with the highest betweenness whose neighbours lie in more than one
community.

Only what the public sees enters the graph: published real clusters, real organisations,
memberships an organisation agreed to show, public projects. Other apps add their links
with `register_edge_source`: the marketplace (an organisation's published posts → their
fields, `marketplace/links.py`) and events (a public event → its organiser and ecosystems,
`events/links.py`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

# Weights of the kinds of links (docs/analytics.md): a membership ties two agents more than
# working in the same field does.
WEIGHTS = {
    "member of cluster": 3.0,
    "member of network": 2.0,
    "project of cluster": 2.0,
    "ecosystem": 1.0,
    "sector": 1.0,
    "feature": 0.5,
    # Registered by other apps (their edge sources).
    "organises event": 2.0,
    "marketplace post": 1.0,
}
# Exact betweenness up to this many nodes; above it, sampled with this many sources.
EXACT_UP_TO = 1000
SAMPLE_SOURCES = 200
SEED = 42
AGENT_KINDS = ("cluster", "organisation")

EdgeSource = Callable[[nx.Graph], None]
_EDGE_SOURCES: list[EdgeSource] = []
_FINGERPRINTS: list[Callable[[], tuple]] = []


def register_edge_source(
    source: EdgeSource, *, fingerprint: Callable[[], tuple] | None = None
) -> None:
    """Hook for apps that hold further links (events: the events of a cluster; marketplace:
    the fields of an organisation's posts): `source(graph)` adds nodes (with `kind`,
    `label`, `url`, `country`) and links (`add_link`). `fingerprint()` changes whenever the
    records the source reads change, so the cached analysis is rebuilt."""
    _EDGE_SOURCES.append(source)
    if fingerprint is not None:
        _FINGERPRINTS.append(fingerprint)


def add_link(graph: nx.Graph, a: str, b: str, reason: str, kind: str) -> None:
    weight = WEIGHTS.get(kind, 1.0)
    if graph.has_edge(a, b):
        data = graph.edges[a, b]
        data["weight"] += weight
        data["reasons"].append(reason)
    else:
        graph.add_edge(a, b, weight=weight, reasons=[reason])


def build_graph(*, country: str = "", ecosystem: str = "") -> nx.Graph:
    from clusterbridge.clusters.models import Cluster, NetworkMembership
    from clusterbridge.organisations.models import ClusterMembership, Organisation
    from clusterbridge.projects.models import Project, Visibility

    graph = nx.Graph()
    clusters = Cluster.objects.public()
    organisations = Organisation.objects.real()
    if country:
        clusters = clusters.filter(country__code=country)
        organisations = organisations.filter(country__code=country)
    if ecosystem:
        clusters = clusters.filter(ecosystems__code=ecosystem)
        organisations = organisations.filter(ecosystems__code=ecosystem)
    clusters = list(
        clusters.distinct().select_related("country").prefetch_related("ecosystems", "sectors")
    )
    organisations = list(
        organisations.distinct()
        .select_related("country")
        .prefetch_related("ecosystems", "sectors", "features")
    )
    for cluster in clusters:
        graph.add_node(
            f"cluster:{cluster.pk}",
            kind="cluster",
            label=cluster.name,
            url=cluster.get_absolute_url(),
            country=cluster.country_id and cluster.country.code,
        )
        _fields(graph, f"cluster:{cluster.pk}", cluster.name, cluster.ecosystems.all(), "ecosystem")
        _fields(graph, f"cluster:{cluster.pk}", cluster.name, cluster.sectors.all(), "sector")
    for organisation in organisations:
        node = f"organisation:{organisation.pk}"
        graph.add_node(
            node,
            kind="organisation",
            label=organisation.name,
            url=organisation.get_absolute_url(),
            country=organisation.country_id and organisation.country.code,
        )
        _fields(graph, node, organisation.name, organisation.ecosystems.all(), "ecosystem")
        _fields(graph, node, organisation.name, organisation.sectors.all(), "sector")
        _fields(graph, node, organisation.name, organisation.features.all(), "feature")
    cluster_ids = {c.pk for c in clusters}
    organisation_ids = {o.pk for o in organisations}
    for link in ClusterMembership.objects.shown().select_related("organisation", "cluster"):
        if link.cluster_id in cluster_ids and link.organisation_id in organisation_ids:
            add_link(
                graph,
                f"organisation:{link.organisation_id}",
                f"cluster:{link.cluster_id}",
                f"{link.organisation.name} is a member of {link.cluster.name}",
                "member of cluster",
            )
    for link in NetworkMembership.objects.filter(cluster_id__in=cluster_ids).select_related(
        "network", "cluster"
    ):
        node = f"network:{link.network_id}"
        graph.add_node(
            node,
            kind="network",
            label=link.network.name,
            url=link.network.get_absolute_url(),
            country="",
        )
        add_link(
            graph,
            f"cluster:{link.cluster_id}",
            node,
            f"{link.cluster.name} belongs to {link.network.name}",
            "member of network",
        )
    if not country and not ecosystem:
        projects = Project.objects.real().filter(visibility=Visibility.PUBLIC)
        for project in projects.select_related("owner_cluster").prefetch_related("features"):
            node = f"project:{project.pk}"
            graph.add_node(
                node, kind="project", label=project.name, url=project.get_absolute_url(), country=""
            )
            _fields(graph, node, project.name, project.features.all(), "feature")
            owner = project.owner_cluster_id
            if owner in cluster_ids:
                add_link(
                    graph,
                    node,
                    f"cluster:{owner}",
                    f"{project.name} is a project of {project.owner_cluster.name}",
                    "project of cluster",
                )
    for source in _EDGE_SOURCES:
        source(graph)
    return graph


def _fields(graph: nx.Graph, node: str, name: str, terms: Iterable, kind: str) -> None:
    for term in terms:
        field_node = f"{kind}:{term.code}"
        if field_node not in graph:
            label = str(term) if kind == "feature" else term.label
            graph.add_node(field_node, kind=kind, label=label, url="", country="")
        add_link(graph, node, field_node, f"{name} works in {kind} “{term.label}”", kind)


@dataclass
class Community:
    number: int
    members: set[str]
    name: str
    agents: int


@dataclass
class Keystone:
    node: str
    kind: str
    label: str
    url: str
    betweenness: float
    communities: list[Community] = field(default_factory=list)

    @property
    def reason(self) -> str:
        names = "; ".join(c.name for c in self.communities)
        return f"links {len(self.communities)} communities ({names})"


@dataclass
class Analysis:
    graph: nx.Graph
    communities: list[Community]
    community_of: dict[str, int]
    betweenness: dict[str, float]
    sampled: int | None  # the number of sources when betweenness was sampled
    keystones: list[Keystone]


_CACHE: dict[tuple, Analysis] = {}


def fingerprint() -> tuple:
    """Changes whenever a record the graph is built from changes (a few aggregate queries)."""
    from django.db.models import Count, Max

    from clusterbridge.clusters.models import Cluster, NetworkMembership
    from clusterbridge.organisations.models import ClusterMembership, Organisation
    from clusterbridge.projects.models import Project

    parts = []
    for model in (Cluster, Organisation, ClusterMembership, Project):
        found = model.all_objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        parts += [found["n"], found["last"]]
    parts.append(NetworkMembership.objects.count())
    for source_fingerprint in _FINGERPRINTS:
        parts += source_fingerprint()
    return tuple(parts)


def cached_analysis(*, country: str = "", ecosystem: str = "") -> Analysis:
    """The analysis of the current public network, kept in this process until a record it
    is built from changes (or an edge source is registered)."""
    key = (country, ecosystem, len(_EDGE_SOURCES), fingerprint())
    if key not in _CACHE:
        if len(_CACHE) > 32:
            _CACHE.clear()
        _CACHE[key] = analyse(build_graph(country=country, ecosystem=ecosystem))
    return _CACHE[key]


def communities_of(graph: nx.Graph) -> list[Community]:
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    out = []
    for number, members in enumerate(sorted(found, key=lambda c: (-len(c), min(c))), start=1):
        fields = Counter()
        for member in members:
            if graph.nodes[member]["kind"] not in (*AGENT_KINDS, "network", "project"):
                fields[member] = graph.degree(member, weight="weight")
        top = [graph.nodes[n]["label"] for n, _ in fields.most_common(2)]
        agents = sum(1 for m in members if graph.nodes[m]["kind"] in AGENT_KINDS)
        out.append(
            Community(number, set(members), " · ".join(top) or f"community {number}", agents)
        )
    return out


def analyse(graph: nx.Graph, *, keystones: int = 25) -> Analysis:
    communities = communities_of(graph)
    community_of = {m: c.number for c in communities for m in c.members}
    sampled = None
    if graph.number_of_nodes() > EXACT_UP_TO:
        sampled = SAMPLE_SOURCES
        betweenness = nx.betweenness_centrality(graph, k=sampled, seed=SEED)
    else:
        betweenness = nx.betweenness_centrality(graph)
    by_number = {c.number: c for c in communities}
    found = []
    for node, value in sorted(betweenness.items(), key=lambda item: (-item[1], item[0])):
        data = graph.nodes[node]
        if data["kind"] not in AGENT_KINDS or value <= 0:
            continue
        bridged = sorted({community_of[n] for n in graph.neighbors(node)} | {community_of[node]})
        if len(bridged) < 2:
            continue
        found.append(
            Keystone(
                node,
                data["kind"],
                data["label"],
                data["url"],
                value,
                [by_number[n] for n in bridged],
            )
        )
        if len(found) >= keystones:
            break
    return Analysis(graph, communities, community_of, betweenness, sampled, found)


def neighbours(graph: nx.Graph, node: str) -> list[dict]:
    rows = []
    for other in graph.neighbors(node):
        data = graph.edges[node, other]
        rows.append(
            {
                "node": other,
                "kind": graph.nodes[other]["kind"],
                "label": graph.nodes[other]["label"],
                "url": graph.nodes[other]["url"],
                "weight": data["weight"],
                "reasons": data["reasons"],
            }
        )
    return sorted(rows, key=lambda r: (-r["weight"], r["label"]))


def for_export(graph: nx.Graph, analysis: Analysis | None = None) -> nx.Graph:
    """A copy with flat attributes (GraphML and GEXF take no lists)."""
    out = nx.Graph()
    for node, data in graph.nodes(data=True):
        extra = {}
        if analysis is not None:
            extra = {
                "community": analysis.community_of.get(node, 0),
                "betweenness": analysis.betweenness.get(node, 0.0),
            }
        out.add_node(
            node, kind=data["kind"], label=data["label"], country=data.get("country") or "", **extra
        )
    for a, b, data in graph.edges(data=True):
        out.add_edge(a, b, weight=data["weight"], reasons=" | ".join(data["reasons"]))
    return out


def kinds_count(graph: nx.Graph) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for _node, kind in graph.nodes(data="kind"):
        counts[kind] += 1
    return dict(counts)


def community_map(analysis: Analysis, limit: int = 8) -> dict | None:
    """A drawing people can read: the largest communities as circles on a ring (area by
    number of nodes), lines between them as thick as the links that cross. Server-side SVG
    in a 360-unit-wide view, so that its 16-unit numbers stay about 16 px on a phone."""
    import math

    shown = [c for c in analysis.communities if len(c.members) > 1][:limit]
    if len(shown) < 2:
        return None
    width, height, ring = 360, 360, 120
    centre_x, centre_y = width / 2, height / 2
    biggest = max(len(c.members) for c in shown)
    circles = []
    for index, community in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * index / len(shown)
        circles.append(
            {
                "number": community.number,
                "name": community.name,
                "size": len(community.members),
                "x": round(centre_x + ring * math.cos(angle), 1),
                "y": round(centre_y + ring * math.sin(angle), 1),
                "r": round(8 + 22 * math.sqrt(len(community.members) / biggest), 1),
            }
        )
    position = {c["number"]: c for c in circles}
    crossing: Counter = Counter()
    for a, b in analysis.graph.edges():
        ca, cb = analysis.community_of.get(a), analysis.community_of.get(b)
        if ca != cb and ca in position and cb in position:
            crossing[tuple(sorted((ca, cb)))] += 1
    top = max(crossing.values(), default=1)
    lines = [
        {
            "x1": position[a]["x"],
            "y1": position[a]["y"],
            "x2": position[b]["x"],
            "y2": position[b]["y"],
            "width": round(1 + 7 * n / top, 1),
            "count": n,
            "title": f"{position[a]['name']} — {position[b]['name']}: {n} links",
        }
        for (a, b), n in sorted(crossing.items())
    ]
    return {"width": width, "height": height, "circles": circles, "lines": lines}
