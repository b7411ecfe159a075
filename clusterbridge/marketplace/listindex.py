"""The list of published posts (/marketplace/ and /api/v1/marketplace/posts/) answered from
memory: which posts match the filters, how many, the facet counts and the ids of one page.

`PostFilterSet.qs` (the ORM) stays the definition; this answers the same questions from the
descriptors of the published posts that `matching` already keeps per process, as bitmaps:
one per value of each filter (kind, urgency, feature, ecosystem, sector, country, cluster,
funding call), plus the disruptions, the synthetic posts and the posts naming no country
(which reach every country). A query intersects them, counts each facet value with
`intersection_cardinality`, and sorts the matching ids by a rank computed once per version
of the descriptors with the FilterSet's own ORDER BY (NULLs placed as the database places
them). The database then reads only the rows of the page. Two orders are not kept here
(by title: collations differ between databases; by relevance: the database's text rank):
for them the database sorts and slices the page, the index still gives the total and facets.
A test compares every answer with the ORM's (tests/marketplace/test_listindex.py).
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

import numpy as np
from django.db import connection
from django.utils import timezone
from pyroaring import BitMap

from clusterbridge.marketplace import matching
from clusterbridge.marketplace.models import Post, PostQuerySet, Urgency

GROUPS = ("kind", "urgency", "feature", "ecosystem", "sector", "country", "cluster")
# Orders answered here; the FilterSet's `qs` gives the others (see above).
RELEVANCE = "relevance"  # `q` without another order: the text rank, then the newest
INDEXED_ORDERS = ("", "-published", "valid_until", RELEVANCE)
_FAR = 2**62  # beyond any date or time: where the database sorts a NULL


def _micros(moment: datetime.datetime) -> int:
    return (moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)) // datetime.timedelta(
        microseconds=1
    )


class _Built:
    """The bitmaps and ranks of one version of the published posts' descriptors."""

    def __init__(self, version: int, posts: list[matching.Descriptor], vendor: str) -> None:
        self.version = version
        posts = sorted(posts, key=lambda d: d.pk)
        pks = np.array([d.pk for d in posts], dtype=np.int64)
        self.pks = pks
        self.synthetic = BitMap(d.pk for d in posts if d.is_synthetic)
        self.disruption = BitMap(d.pk for d in posts if d.is_disruption)
        self.no_country = BitMap(d.pk for d in posts if not d.countries)
        groups: dict[str, dict] = {name: defaultdict(list) for name in (*GROUPS, "funding_call")}
        for d in posts:
            groups["kind"][d.kind].append(d.pk)
            groups["urgency"][d.urgency].append(d.pk)
            if d.cluster_id is not None:
                groups["cluster"][d.cluster_id].append(d.pk)
            if d.funding_call_id is not None:
                groups["funding_call"][d.funding_call_id].append(d.pk)
            for name, values in (
                ("feature", d.features),
                ("ecosystem", d.ecosystems),
                ("sector", d.sectors),
                ("country", d.countries),
            ):
                for value in values:
                    groups[name][value].append(d.pk)
        self.groups = {
            name: {value: BitMap(ids) for value, ids in found.items()}
            for name, found in groups.items()
        }
        # PostgreSQL sorts NULL above every value, SQLite below.
        null = _FAR if vendor == "postgresql" else -_FAR
        self.valid_until = np.array(
            [d.valid_until.toordinal() if d.valid_until else _FAR for d in posts], dtype=np.int64
        )
        until = np.array(
            [d.valid_until.toordinal() if d.valid_until else null for d in posts], dtype=np.int64
        )
        published = np.array(
            [_micros(d.published_at) if d.published_at else null for d in posts], dtype=np.int64
        )
        # "crisis" sorts before "normal" (the FilterSet orders by the column).
        urgency = np.array([d.urgency != Urgency.CRISIS for d in posts], dtype=np.int8)
        orders = {
            "": np.lexsort((-pks, -published, urgency)),  # urgency, -published_at, -pk
            "-published": np.lexsort((-pks, -published)),  # -published_at, -pk
            "valid_until": np.lexsort((-pks, until)),  # valid_until, -pk
        }
        size = int(pks[-1]) + 1 if len(pks) else 1
        self.published = np.zeros(size, dtype=np.int64)
        self.published[pks] = published
        self.ranks = {}
        for name, order in orders.items():
            rank = np.zeros(size, dtype=np.int64)
            rank[pks[order]] = np.arange(len(order))
            self.ranks[name] = rank
        self._base: dict[tuple, BitMap] = {}

    def base(self, today: datetime.date, synthetic: bool) -> BitMap:
        """The posts anyone may see today (`PostQuerySet.public`, or `published` when the
        synthetic posts are shown)."""
        key = (today, synthetic)
        if key not in self._base:
            valid = BitMap(self.pks[self.valid_until >= today.toordinal()].tolist())
            self._base = {key: valid if synthetic else valid - self.synthetic}
        return self._base[key]

    def union(self, name: str, values: Iterable) -> BitMap:
        group = self.groups[name]
        return BitMap.union(BitMap(), *(group[v] for v in values if v in group))

    def page(
        self, ids: BitMap, order: str, start: int, stop: int, scores: dict | None = None
    ) -> list[int]:
        found = np.frombuffer(ids.to_array(), dtype=np.uint32).astype(np.int64)
        if order == RELEVANCE:  # -search_rank, -published_at, -pk
            score = np.array([scores.get(pk, 0.0) for pk in found.tolist()], dtype=np.float64)
            ranked = found[np.lexsort((-found, -self.published[found], -score))]
        else:
            ranked = found[np.argsort(self.ranks[order][found], kind="stable")]
        return ranked[start:stop].tolist()

    def counts(self, ids: BitMap) -> dict[str, Counter]:
        counts = {}
        for name in GROUPS:
            found = Counter()
            for value, members in self.groups[name].items():
                n = ids.intersection_cardinality(members)
                if n:
                    found[value] = n
            counts[name] = found
        disruptions = ids.intersection_cardinality(self.disruption)
        counts["disruption"] = Counter({"true": disruptions} if disruptions else {})
        return counts


_lock = threading.Lock()
_built: _Built | None = None


def current() -> _Built:
    """The bitmaps of the published posts as they are now (rebuilt when they changed)."""
    global _built
    built = _built
    version, posts = matching.published_version(built.version if built else None)
    if posts is None and built is not None:
        return built
    with _lock:
        if _built is None or _built.version != version:
            _built = _Built(version, posts or [], connection.vendor)
        return _built


def _ids(model, field: str, values) -> list[int]:
    """The ids of the records with these codes, deleted ones included (the ORM's join to
    them does not look at deletion either)."""
    return list(model._base_manager.filter(**{f"{field}__in": values}).values_list("pk", flat=True))


def select(data: dict) -> tuple[_Built, BitMap, dict[int, float]]:
    """The published posts matching the FilterSet's cleaned data (the `q` words as a prefix
    each, like `core.search.search_filter`), and the text rank of each when searching."""
    from clusterbridge.clusters.models import Cluster
    from clusterbridge.core.search import search_ranks, terms
    from clusterbridge.taxonomy.models import Country, Feature, Term

    built = current()
    ids = built.base(timezone.localdate(), PostQuerySet.show_synthetic)
    for name in ("kind", "urgency"):
        if data.get(name):
            ids = ids & built.union(name, data[name])
    if data.get("feature"):
        ids = ids & built.union("feature", _ids(Feature, "code", data["feature"]))
    for name in ("ecosystem", "sector"):
        if data.get(name):
            ids = ids & built.union(name, _ids(Term, "code", data[name]))
    if data.get("country"):
        reached = built.union("country", _ids(Country, "code", data["country"]))
        ids = ids & (reached | built.no_country)
    if data.get("cluster"):
        ids = ids & built.union("cluster", _ids(Cluster, "slug", data["cluster"]))
    if data.get("disruption") is not None:
        ids = ids & built.disruption if data["disruption"] else ids - built.disruption
    call = data.get("funding_call")
    if call is not None:
        ids = ids & (built.union("funding_call", [int(call)]) if call == int(call) else BitMap())
    query = (data.get("q") or "").strip()
    scores: dict[int, float] = {}
    if query and terms(query):
        scores = dict(search_ranks(Post, query))
        ids = ids & BitMap(scores)
    return built, ids, scores


class Listing:
    """One query's answer, shaped for Django's and DRF's paginators: its length is the
    total; a slice reads the rows of that page only (in the list's order)."""

    def __init__(
        self,
        built: _Built,
        ids: BitMap,
        scores: dict[int, float],
        order: str | None,
        ordered_ids: Callable[[int, int], list[int]],
        rows: Callable[[list[int]], Iterable[Post]],
    ) -> None:
        self.built, self.ids, self.scores, self.order = built, ids, scores, order
        self._ordered_ids, self._rows = ordered_ids, rows
        self.total = len(ids)

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def page_ids(self, start: int, stop: int) -> list[int]:
        if self.order is None:  # sorted by the database (title, relevance)
            return self._ordered_ids(start, stop)
        return self.built.page(self.ids, self.order, start, stop, self.scores)

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("A listing is read by pages (slices).")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.total
        ids = self.page_ids(start, stop)
        found = {post.pk: post for post in self._rows(ids)}
        return [found[pk] for pk in ids if pk in found]

    def facet_counts(self) -> dict[str, Counter]:
        return self.built.counts(self.ids)
