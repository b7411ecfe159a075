"""Projects grouped around end-user centric areas (seed 001 §3.3, L806–812): the groups the
seed states, suggestions computed from the projects' features, and the hook through which
the events app creates a group's event.

Suggestions: two projects are linked when the Jaccard similarity of their feature sets
(application domains, category A, counted twice) is at least `SIMILARITY_THRESHOLD`; the
groups are the Louvain communities of that graph with at least two projects, each with the
features shared by at least half of its projects as its reasons (docs/analytics.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

SIMILARITY_THRESHOLD = 0.35
SEED = 42

# Hook for the events app: `create_event(group, user) -> url` of the new event or of its
# form prefilled from the group (events/links.py registers it from EventsConfig.ready).
_EVENT_HOOKS: list[Callable] = []


def register_event_hook(hook: Callable) -> None:
    _EVENT_HOOKS.append(hook)


def event_hook() -> Callable | None:
    return _EVENT_HOOKS[-1] if _EVENT_HOOKS else None


@dataclass
class Suggestion:
    projects: list
    shared: list  # features shared by at least half of the group's projects
    name: str


def _weighted(features) -> Counter:
    weights: Counter = Counter()
    for feature in features:
        weights[feature.code] += 2 if feature.code.startswith("A") else 1
    return weights


def jaccard(a: Counter, b: Counter) -> float:
    keys = set(a) | set(b)
    if not keys:
        return 0.0
    inter = sum(min(a[k], b[k]) for k in keys)
    union = sum(max(a[k], b[k]) for k in keys)
    return inter / union


def suggest(projects) -> list[Suggestion]:
    """Groups of the given projects (with `features` prefetched), largest first."""
    projects = list(projects)
    vectors = {p.pk: _weighted(p.features.all()) for p in projects}
    graph = nx.Graph()
    graph.add_nodes_from(vectors)
    for i, a in enumerate(projects):
        for b in projects[i + 1 :]:
            similarity = jaccard(vectors[a.pk], vectors[b.pk])
            if similarity >= SIMILARITY_THRESHOLD:
                graph.add_edge(a.pk, b.pk, weight=similarity)
    by_pk = {p.pk: p for p in projects}
    suggestions = []
    if graph.number_of_edges() == 0:
        return []
    for members in nx.community.louvain_communities(graph, weight="weight", seed=SEED):
        if len(members) < 2:
            continue
        chosen = sorted((by_pk[pk] for pk in members), key=lambda p: p.name)
        counts: Counter = Counter()
        features = {}
        for project in chosen:
            for feature in project.features.all():
                counts[feature.code] += 1
                features[feature.code] = feature
        shared = [
            features[code]
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            if n * 2 >= len(chosen)
        ]
        domains = [f for f in shared if f.code.startswith("A")]
        name = " · ".join(f.label for f in (domains or shared)[:2]) or "Projects"
        suggestions.append(Suggestion(chosen, shared, name))
    return sorted(suggestions, key=lambda s: (-len(s.projects), s.name))
