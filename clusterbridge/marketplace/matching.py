"""Offers ↔ needs (and partner searches ↔ offers), matched automatically and explained.

A candidate fits a post when they share at least one feature, ecosystem or sector and the
candidate can reach the post's countries. Its score is the weighted share of the post's
descriptors that the candidate also has: features weigh what their category weighs in
funding matching (`matching.engine.CATEGORY_WEIGHTS`: D and G 3, P and A 2, T 1), an
ecosystem 2, a sector 1. Crisis posts come first, then the score, then a quantity able to
cover the need, then the newest. Each match carries its reasons ("Shared features: T1 …",
"Reaches Sweden", "Covers the quantity: 200,000 of 150,000 masks per week").

Two entry points:
- `matches_for(post)`: the ranked matches of one post (its page, the API, notifications),
  computed over the published posts of the other side that share something with it;
- `match_all(needs, offers)`: every need against every offer at once, with numpy (one 0/1
  matrix of weighted descriptors per side, multiplied in blocks of needs so memory stays
  bounded) — the crisis burst of seed 004 L11–13, measured by `bench/marketplace_bench.py`.
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from clusterbridge.marketplace.models import Kind, Post, Status, Urgency
from clusterbridge.matching.engine import CATEGORY_WEIGHTS, DEFAULT_WEIGHT
from clusterbridge.notifications.services import notify_many
from clusterbridge.organisations.models import Membership

ECOSYSTEM_WEIGHT = 2
SECTOR_WEIGHT = 1
# The authors of at most this many best matches are told when a post is published.
NOTIFY_TOP = 20
BLOCK = 512  # needs per block of the all-pairs product


def counterpart_kinds(kind: str) -> tuple[str, ...]:
    if kind == Kind.NEED:
        return (Kind.OFFER,)
    if kind == Kind.OFFER:
        return (Kind.NEED, Kind.PARTNER_SEARCH)
    return (Kind.OFFER,)  # a partner search looks for the capacities offered


@dataclass
class Vocabulary:
    """Codes, labels and weights of the taxonomy entries posts use (small tables, read once
    per matching run): matching itself works on ids."""

    features: dict[int, tuple[str, str, int]]  # id -> (code, "T1 label", weight)
    terms: dict[int, tuple[str, str]]  # id -> (code, label)
    countries: dict[int, tuple[str, str]]

    @classmethod
    def load(cls) -> Vocabulary:
        from clusterbridge.taxonomy.models import Country, Feature, Term

        return cls(
            features={
                pk: (code, f"{code} {label}", CATEGORY_WEIGHTS.get(category, DEFAULT_WEIGHT))
                for pk, code, label, category in Feature.objects.values_list(
                    "pk", "code", "label", "category__code"
                )
            },
            terms={
                pk: (code, label)
                for pk, code, label in Term.objects.values_list("pk", "code", "label")
            },
            countries={
                pk: (code, label)
                for pk, code, label in Country.objects.values_list("pk", "code", "label")
            },
        )


@dataclass
class Descriptor:
    """What matching reads of a post: ids only, loaded in bulk without joins."""

    pk: int
    kind: str
    organisation_id: int
    urgency: str
    quantity: int | None
    unit: str
    valid_until: datetime.date | None = None
    is_synthetic: bool = False
    cluster_id: int | None = None
    is_disruption: bool = False
    # Read for the list (`listindex`): its order and its funding-call filter.
    published_at: datetime.datetime | None = None
    funding_call_id: int | None = None
    features: set[int] = field(default_factory=set)
    ecosystems: set[int] = field(default_factory=set)
    sectors: set[int] = field(default_factory=set)
    countries: set[int] = field(default_factory=set)

    def weight(self, vocabulary: Vocabulary) -> int:
        return (
            sum(vocabulary.features[f][2] for f in self.features)
            + ECOSYSTEM_WEIGHT * len(self.ecosystems)
            + SECTOR_WEIGHT * len(self.sectors)
        )


@dataclass
class Match:
    post: Post | None
    pk: int
    score: float
    reasons: list[str]
    covers: bool | None  # the quantity: None when it does not apply

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def descriptors(queryset: QuerySet) -> dict[int, Descriptor]:
    """The descriptors of the posts of `queryset`, in five queries without joins."""
    rows = queryset.order_by().values_list(
        "pk",
        "kind",
        "organisation_id",
        "urgency",
        "quantity",
        "unit",
        "valid_until",
        "is_synthetic",
        "cluster_id",
        "is_disruption",
        "published_at",
        "funding_call_id",
    )
    found = {row[0]: Descriptor(*row[:5], row[5] or "", *row[6:]) for row in rows}
    if not found:
        return found
    ids = queryset.order_by().values("pk") if len(found) > 500 else list(found)
    for relation, column in (
        ("features", "feature_id"),
        ("ecosystems", "term_id"),
        ("sectors", "term_id"),
        ("countries", "country_id"),
    ):
        links = getattr(Post, relation).through.objects.filter(post_id__in=ids)
        for pk, value in links.values_list("post_id", column).iterator(chunk_size=5000):
            descriptor = found.get(pk)
            if descriptor is not None:
                getattr(descriptor, relation).add(value)
    return found


def _names(ids, table: dict, position: int = 1) -> list[str]:
    return sorted(table[i][position] for i in ids)


def _reaches(target: Descriptor, candidate: Descriptor, vocabulary: Vocabulary) -> tuple[bool, str]:
    if not target.countries or not candidate.countries:
        where = candidate.countries or target.countries
        if not where:
            return True, "Any country"
        return True, "Reaches " + ", ".join(_names(where, vocabulary.countries))
    shared = target.countries & candidate.countries
    if not shared:
        return False, ""
    return True, "Reaches " + ", ".join(_names(shared, vocabulary.countries))


def _quantity(target: Descriptor, candidate: Descriptor) -> tuple[bool | None, str]:
    """Whether the offer covers the need's quantity (same unit), and how it reads."""
    need, offer = (target, candidate) if target.kind == Kind.NEED else (candidate, target)
    if need.kind != Kind.NEED or offer.kind != Kind.OFFER:
        return None, ""
    if need.quantity is None or offer.quantity is None:
        return None, ""
    if need.unit.strip().casefold() != offer.unit.strip().casefold():
        return None, ""
    if offer.quantity >= need.quantity:
        return True, f"Covers the quantity: {offer.quantity:,} of {need.quantity:,} {need.unit}"
    share = round(100 * offer.quantity / need.quantity) if need.quantity else 0
    return False, f"Covers {share}% of the quantity ({offer.quantity:,} of {need.quantity:,})"


def _fits(target: Descriptor, candidate: Descriptor, vocabulary: Vocabulary, total: int):
    """(score, shared features, ecosystems, sectors), or None when it does not fit."""
    if candidate.organisation_id == target.organisation_id:
        return None
    if target.countries and candidate.countries and not target.countries & candidate.countries:
        return None
    features = target.features & candidate.features
    ecosystems = target.ecosystems & candidate.ecosystems
    sectors = target.sectors & candidate.sectors
    if not (features or ecosystems or sectors):
        return None
    points = (
        sum(vocabulary.features[f][2] for f in features)
        + ECOSYSTEM_WEIGHT * len(ecosystems)
        + SECTOR_WEIGHT * len(sectors)
    )
    return min(1.0, points / max(total, 1)), features, ecosystems, sectors


def score(
    target: Descriptor, candidate: Descriptor, vocabulary: Vocabulary | None = None
) -> Match | None:
    """How well `candidate` fits `target`, with the reasons; None when it does not fit."""
    vocabulary = vocabulary or Vocabulary.load()
    fit = _fits(target, candidate, vocabulary, target.weight(vocabulary))
    if fit is None:
        return None
    return _explained(target, candidate, vocabulary, *fit)


def _explained(target, candidate, vocabulary, value, features, ecosystems, sectors) -> Match:
    by_weight = sorted(
        features, key=lambda f: (-vocabulary.features[f][2], vocabulary.features[f][0])
    )
    reasons = []
    if features:
        reasons.append(
            "Shared features: " + ", ".join(vocabulary.features[f][1] for f in by_weight)
        )
    if ecosystems:
        reasons.append("Ecosystem: " + ", ".join(_names(ecosystems, vocabulary.terms)))
    if sectors:
        reasons.append("Sector: " + ", ".join(_names(sectors, vocabulary.terms)))
    missing = sorted(
        target.features - candidate.features,
        key=lambda f: (-vocabulary.features[f][2], vocabulary.features[f][0]),
    )
    if missing:
        reasons.append("Missing: " + ", ".join(vocabulary.features[f][1] for f in missing))
    reasons.append(_reaches(target, candidate, vocabulary)[1])
    covers, quantity = _quantity(target, candidate)
    if quantity:
        reasons.append(quantity)
    if candidate.urgency == Urgency.CRISIS:
        reasons.append("Crisis")
    return Match(None, candidate.pk, value, reasons, covers)


def _order(value: float, covers: bool | None, candidate: Descriptor) -> tuple:
    return (
        candidate.urgency != Urgency.CRISIS,
        -round(value, 6),
        covers is False,
        -candidate.pk,
    )


class _Index:
    """The descriptors of every published post, kept in memory. A cheap marker (the number
    of posts, the sum of their ids, their last change, the number of deleted organisations)
    says when to look again; then only the posts changed since are read again (a
    publication costs one post, not all) — unless posts vanished (a rolled-back write read
    inside its transaction), which reads everything again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.marker: tuple | None = None
        self.known: set[int] = set()  # every post id seen, whatever its status
        self.posts: dict[int, Descriptor] = {}
        # Grows whenever `posts` changes: what is derived from it (the list's bitmaps) is
        # rebuilt only then, not when a draft is written.
        self.version = 0
        self.token: str | None = None  # PostsVersion's, when the marker was last read

    @staticmethod
    def _published(queryset: QuerySet) -> QuerySet:
        return queryset.filter(
            status=Status.PUBLISHED, deleted_at=None, organisation__deleted_at=None
        )

    def _reload(self) -> None:
        self.posts = descriptors(self._published(Post.all_objects.all()))
        self.known = set(Post.all_objects.values_list("pk", flat=True))
        self.version += 1

    def published(self) -> dict[int, Descriptor]:
        from clusterbridge.organisations.models import Organisation

        token = read_token()
        if token is not None and token == self.token and self.marker is not None:
            return self.posts  # nothing written to posts or organisations since
        now = Post.all_objects.aggregate(n=Count("pk"), ids=Sum("pk"), last=Max("updated_at"))
        orgs = Organisation.all_objects.aggregate(
            gone=Count("pk", filter=Q(deleted_at__isnull=False)),
            n=Count("pk"),
            last=Max("updated_at"),
        )
        gone = orgs["gone"]
        # The organisations' count and last change only explain a moved token: a write to
        # an organisation that removes none leaves the posts as they are.
        marker = (now["n"], now["ids"] or 0, now["last"], gone, orgs["n"], orgs["last"])
        with self.lock:
            if marker == self.marker:
                if token is not None and self.token is not None and token != self.token:
                    # Posts or organisations were written but the marker cannot tell which
                    # (a queryset `update()`, or a write committed with an older timestamp
                    # than one already seen): read everything again rather than keep a
                    # post that may have left the public list.
                    self._reload()
                    self.token = token
                return self.posts
            previous = self.marker
            if previous is None or gone != previous[3] or None in (now["last"], previous[2]):
                self._reload()
            else:
                changed = Post.all_objects.filter(updated_at__gte=previous[2])
                ids = set(changed.values_list("pk", flat=True))
                new = ids - self.known
                if len(self.known) + len(new) != now["n"] or (
                    sum(self.known) + sum(new) != marker[1]
                ):
                    self._reload()
                else:
                    fresh = descriptors(self._published(changed))
                    dropped = [self.posts.pop(pk) for pk in ids if pk in self.posts]
                    self.posts.update(fresh)
                    self.known |= new
                    if fresh or dropped:
                        self.version += 1
            self.marker = marker
            self.token = token
            return self.posts


_index = _Index()

# Writes that can change the published posts: to posts, and to organisations (deleted).
VERSION_TABLES = ("marketplace_post", "organisations_organisation")


def read_token() -> str | None:
    """PostsVersion's token (None when the row is missing, e.g. after a flush)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM marketplace_postsversion ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else None


def ensure_triggers(using: str = "default", **kwargs) -> None:
    """The version row and its triggers, after every migrate (SQLite drops a table's
    triggers when a migration rebuilds it): row triggers on SQLite, statement triggers on
    PostgreSQL."""
    from django.db import connections

    db = connections[using]
    tables = set(db.introspection.table_names())
    if not {"marketplace_postsversion", *VERSION_TABLES} <= tables:
        return
    with db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM marketplace_postsversion")
        if cursor.fetchone()[0] == 0:
            cursor.execute("INSERT INTO marketplace_postsversion (token) VALUES ('initial')")
        if db.vendor == "sqlite":
            bump = "UPDATE marketplace_postsversion SET token = lower(hex(randomblob(8)));"
            for table in VERSION_TABLES:
                for op in ("INSERT", "UPDATE", "DELETE"):
                    name = f"{table}_posts_version_{op.lower()}"
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                    cursor.execute(f"CREATE TRIGGER {name} AFTER {op} ON {table} BEGIN {bump} END")
            return
        cursor.execute(
            "CREATE OR REPLACE FUNCTION marketplace_posts_version_bump() RETURNS trigger AS $$ "
            "BEGIN UPDATE marketplace_postsversion SET token = "
            "md5(random()::text || clock_timestamp()::text); RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for table in VERSION_TABLES:
            name = f"{table}_posts_version"
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION marketplace_posts_version_bump()"
            )


def published_descriptors() -> dict[int, Descriptor]:
    """Every published post's descriptor (the facets of the list count on them)."""
    return _index.published()


def published_version(known: int | None = None) -> tuple[int, list[Descriptor] | None]:
    """The version of the descriptors (it changes whenever they do) and, only when it is
    not `known`, a copy of them taken under the lock (another request may be updating)."""
    _index.published()
    with _index.lock:
        if _index.version == known:
            return known, None
        return _index.version, list(_index.posts.values())


def _candidates(target: Descriptor) -> list[Descriptor]:
    """Published, still valid posts of the other side, of another organisation."""
    kinds = counterpart_kinds(target.kind)
    today = timezone.localdate()
    return [
        d
        for d in _index.published().values()
        if d.kind in kinds
        and d.is_synthetic == target.is_synthetic
        and d.organisation_id != target.organisation_id
        and (d.valid_until is None or d.valid_until >= today)
    ]


def ranked(post: Post, *, limit: int | None = None) -> list[Match]:
    """The matches of `post` as scores and reasons (no model instances). Every candidate is
    scored on ids; only the ones kept are explained."""
    target = descriptors(Post.all_objects.filter(pk=post.pk)).get(post.pk)
    if target is None:
        return []
    vocabulary = Vocabulary.load()
    total = target.weight(vocabulary)
    scored = []
    for candidate in _candidates(target):
        fit = _fits(target, candidate, vocabulary, total)
        if fit is not None:
            covers = _quantity(target, candidate)[0]
            scored.append((_order(fit[0], covers, candidate), candidate, fit))
    scored.sort(key=lambda item: item[0])
    kept = scored[:limit] if limit else scored
    return [_explained(target, candidate, vocabulary, *fit) for _, candidate, fit in kept]


def matches_for(post: Post, *, limit: int | None = 10) -> list[Match]:
    """The ranked matches of a post, each with its post (organisation and cluster loaded)."""
    found = ranked(post, limit=limit)
    # Checked again in the database: a post hidden since the index last looked (or changed
    # by a write that bypassed the services) never shows.
    posts = (
        Post.objects.published()
        .filter(is_synthetic=post.is_synthetic)
        .select_related("organisation", "cluster")
        .in_bulk([m.pk for m in found])
    )
    for match in found:
        match.post = posts.get(match.pk)
    return [m for m in found if m.post is not None]


# Telling the other side ------------------------------------------------------------------------
def after_publish(post: Post) -> int:
    """When a post is published, the members of the organisations behind its best matches
    get one notification (the outbox mails the others as a digest, crisis posts at once).
    A disruption also alerts the managers of the clusters of the affected ecosystems."""
    best = ranked(post, limit=NOTIFY_TOP)
    organisations = set(
        Post.all_objects.filter(pk__in=[m.pk for m in best]).values_list(
            "organisation_id", flat=True
        )
    )
    people = [
        m.user
        for m in Membership.objects.filter(
            organisation_id__in=organisations, status=Membership.Status.ACTIVE
        ).select_related("user")
    ]
    crisis = post.urgency == Urgency.CRISIS or post.is_disruption
    what = post.get_kind_display().lower()
    told = notify_many(
        people,
        kind="marketplace-match",
        subject=f"A new {what} fits one of your posts: “{post.title}”",
        body=f"{post.organisation.name} published a {what} that matches your post.",
        key=f"marketplace-match:{post.pk}",
        url=post.get_absolute_url(),
        urgent=crisis,
    )
    if post.is_disruption:
        told += alert_disruption(post)
    return told


def alert_disruption(post: Post) -> int:
    """The managers of the published clusters of the disruption's ecosystems are alerted."""
    from clusterbridge.clusters.models import Cluster, ClusterManager

    ecosystems = post.ecosystems.values("pk")
    clusters = Cluster.objects.public().filter(ecosystems__in=ecosystems).values("pk")
    managers = [
        link.user
        for link in ClusterManager.objects.filter(cluster__in=clusters, approved=True)
        .select_related("user")
        .distinct()
    ]
    where = ", ".join(post.countries.values_list("label", flat=True)) or "no country named"
    return notify_many(
        managers,
        kind="marketplace-disruption",
        subject=f"Value-chain disruption: {post.disrupted_supply}",
        body=f"{post.organisation.name} reports that {post.disrupted_supply} stopped "
        f"({where}). Organisations of your cluster may be able to help.",
        key=f"marketplace-disruption:{post.pk}",
        url=post.get_absolute_url(),
        urgent=True,
    )


# All pairs at once --------------------------------------------------------------------------
@dataclass
class Side:
    ids: np.ndarray  # post ids
    organisations: np.ndarray
    crisis: np.ndarray  # bool
    weights: np.ndarray  # posts × descriptors (float32: the weight where the post has it)
    countries: np.ndarray  # posts × countries (bool)
    anywhere: np.ndarray  # bool: no country named


def _side(
    found: Sequence[Descriptor],
    columns: dict[tuple[str, int], int],
    places: dict[int, int],
    vocabulary: Vocabulary,
) -> Side:
    weights = np.zeros((len(found), len(columns)), dtype=np.float32)
    countries = np.zeros((len(found), max(len(places), 1)), dtype=np.float32)
    for row, d in enumerate(found):
        for pk in d.features:
            weights[row, columns["f", pk]] = vocabulary.features[pk][2]
        for pk in d.ecosystems:
            weights[row, columns["e", pk]] = ECOSYSTEM_WEIGHT
        for pk in d.sectors:
            weights[row, columns["s", pk]] = SECTOR_WEIGHT
        for pk in d.countries:
            countries[row, places[pk]] = 1
    return Side(
        ids=np.array([d.pk for d in found], dtype=np.int64),
        organisations=np.array([d.organisation_id for d in found], dtype=np.int64),
        crisis=np.array([d.urgency == Urgency.CRISIS for d in found], dtype=bool),
        weights=weights,
        countries=countries,
        anywhere=np.array([not d.countries for d in found], dtype=bool),
    )


def match_all(
    needs: Iterable[Descriptor], offers: Iterable[Descriptor], *, top: int = 10
) -> dict[int, list[tuple[int, float]]]:
    """For each need, its `top` offers as (offer id, score), crisis offers first, then by
    score — the same order as `matches_for` (before the quantity tie-break)."""
    needs, offers = list(needs), list(offers)
    if not needs or not offers:
        return {}
    vocabulary = Vocabulary.load()
    columns: dict[tuple[str, int], int] = {}
    places: dict[int, int] = {}
    for d in (*needs, *offers):
        for prefix, ids in (("f", d.features), ("e", d.ecosystems), ("s", d.sectors)):
            for pk in ids:
                columns.setdefault((prefix, pk), len(columns))
        for pk in d.countries:
            places.setdefault(pk, len(places))
    need_side = _side(needs, columns, places, vocabulary)
    offer_side = _side(offers, columns, places, vocabulary)
    has = (offer_side.weights > 0).astype(np.float32).T  # descriptors × offers
    offer_places = offer_side.countries.T
    result: dict[int, list[tuple[int, float]]] = defaultdict(list)
    k = min(top, len(offers))
    for start in range(0, len(needs), BLOCK):
        block = slice(start, start + BLOCK)
        weights = need_side.weights[block]
        points = weights @ has  # needs × offers: the need's weights the offer shares
        totals = np.maximum(weights.sum(axis=1, keepdims=True), 1)
        scores = np.minimum(points / totals, 1.0)
        reach = (need_side.countries[block] @ offer_places) > 0
        reach |= need_side.anywhere[block, None] | offer_side.anywhere[None, :]
        fits = (points > 0) & reach
        fits &= need_side.organisations[block, None] != offer_side.organisations[None, :]
        # Crisis offers first: lift their scores above every other (scores are ≤ 1).
        ranking = np.where(fits, scores + offer_side.crisis[None, :] * 2.0, -1.0)
        best = np.argpartition(-ranking, k - 1, axis=1)[:, :k]
        for row, columns_of_row in enumerate(best):
            order = columns_of_row[np.argsort(-ranking[row, columns_of_row], kind="stable")]
            need_id = int(need_side.ids[start + row])
            for column in order:
                if ranking[row, column] < 0:
                    break
                result[need_id].append((int(offer_side.ids[column]), float(scores[row, column])))
    return dict(result)
