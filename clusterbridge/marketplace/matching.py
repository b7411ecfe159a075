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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q, QuerySet

from clusterbridge.marketplace.models import Kind, Post, Urgency
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
class Descriptor:
    """What matching reads of a post (loaded in bulk, no model instances)."""

    pk: int
    kind: str
    organisation_id: int
    urgency: str
    quantity: int | None
    unit: str
    features: dict[str, str] = field(default_factory=dict)  # code -> "T1 label"
    categories: dict[str, str] = field(default_factory=dict)  # code -> category code
    ecosystems: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)

    def weight(self) -> int:
        return (
            sum(CATEGORY_WEIGHTS.get(c, DEFAULT_WEIGHT) for c in self.categories.values())
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
    """The descriptors of the posts of `queryset`, in five queries."""
    rows = queryset.order_by().values_list(
        "pk", "kind", "organisation_id", "urgency", "quantity", "unit"
    )
    found = {pk: Descriptor(pk, k, o, u, q, unit or "") for pk, k, o, u, q, unit in rows}
    if not found:
        return found
    ids = list(found)
    through = Post.features.through.objects.filter(post_id__in=ids)
    for pk, code, label, category in through.values_list(
        "post_id", "feature__code", "feature__label", "feature__category__code"
    ):
        found[pk].features[code] = f"{code} {label}"
        found[pk].categories[code] = category
    for relation, attribute, label_path in (
        ("ecosystems", "ecosystems", "term"),
        ("sectors", "sectors", "term"),
        ("countries", "countries", "country"),
    ):
        links = getattr(Post, relation).through.objects.filter(post_id__in=ids)
        for pk, code, label in links.values_list(
            "post_id", f"{label_path}__code", f"{label_path}__label"
        ):
            getattr(found[pk], attribute)[code] = label
    return found


def _reaches(target: Descriptor, candidate: Descriptor) -> tuple[bool, str]:
    if not target.countries or not candidate.countries:
        where = candidate.countries or target.countries
        if not where:
            return True, "Any country"
        return True, "Reaches " + ", ".join(sorted(where.values()))
    shared = target.countries.keys() & candidate.countries.keys()
    if not shared:
        return False, ""
    return True, "Reaches " + ", ".join(sorted(target.countries[c] for c in shared))


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


def score(target: Descriptor, candidate: Descriptor) -> Match | None:
    """How well `candidate` fits `target`, with the reasons; None when it does not fit."""
    if candidate.organisation_id == target.organisation_id:
        return None
    reachable, where = _reaches(target, candidate)
    if not reachable:
        return None
    features = sorted(target.features.keys() & candidate.features.keys())
    ecosystems = sorted(target.ecosystems.keys() & candidate.ecosystems.keys())
    sectors = sorted(target.sectors.keys() & candidate.sectors.keys())
    if not (features or ecosystems or sectors):
        return None
    points = (
        sum(CATEGORY_WEIGHTS.get(target.categories[c], DEFAULT_WEIGHT) for c in features)
        + ECOSYSTEM_WEIGHT * len(ecosystems)
        + SECTOR_WEIGHT * len(sectors)
    )
    reasons = []
    if features:
        reasons.append("Shared features: " + ", ".join(target.features[c] for c in features))
    if ecosystems:
        reasons.append("Ecosystem: " + ", ".join(target.ecosystems[c] for c in ecosystems))
    if sectors:
        reasons.append("Sector: " + ", ".join(target.sectors[c] for c in sectors))
    missing = sorted(target.features.keys() - candidate.features.keys())
    if missing:
        reasons.append("Missing: " + ", ".join(target.features[c] for c in missing))
    reasons.append(where)
    covers, quantity = _quantity(target, candidate)
    if quantity:
        reasons.append(quantity)
    if candidate.urgency == Urgency.CRISIS:
        reasons.append("Crisis")
    return Match(None, candidate.pk, min(1.0, points / max(target.weight(), 1)), reasons, covers)


def _order(match: Match, candidate: Descriptor) -> tuple:
    return (
        candidate.urgency != Urgency.CRISIS,
        -round(match.score, 6),
        match.covers is False,
        -candidate.pk,
    )


def _candidates(post: Post) -> QuerySet:
    """Published posts of the other side that share a feature, ecosystem or sector."""
    features = Post.features.through.objects.filter(post_id=post.pk).values("feature_id")
    ecosystems = Post.ecosystems.through.objects.filter(post_id=post.pk).values("term_id")
    sectors = Post.sectors.through.objects.filter(post_id=post.pk).values("term_id")
    sharing = (
        Q(pk__in=Post.features.through.objects.filter(feature_id__in=features).values("post_id"))
        | Q(pk__in=Post.ecosystems.through.objects.filter(term_id__in=ecosystems).values("post_id"))
        | Q(pk__in=Post.sectors.through.objects.filter(term_id__in=sectors).values("post_id"))
    )
    return (
        Post.objects.published()
        .filter(kind__in=counterpart_kinds(post.kind), is_synthetic=post.is_synthetic)
        .exclude(organisation_id=post.organisation_id)
        .filter(sharing)
    )


def ranked(post: Post, *, limit: int | None = None) -> list[Match]:
    """The matches of `post` as scores and reasons (no model instances)."""
    target = descriptors(Post.all_objects.filter(pk=post.pk)).get(post.pk)
    if target is None:
        return []
    candidates = descriptors(_candidates(post))
    found = [(m, candidates[m.pk]) for m in (score(target, c) for c in candidates.values()) if m]
    found.sort(key=lambda pair: _order(*pair))
    return [m for m, _ in found[:limit]] if limit else [m for m, _ in found]


def matches_for(post: Post, *, limit: int | None = 10) -> list[Match]:
    """The ranked matches of a post, each with its post (organisation and cluster loaded)."""
    found = ranked(post, limit=limit)
    posts = Post.objects.select_related("organisation", "cluster").in_bulk([m.pk for m in found])
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


def _side(found: Sequence[Descriptor], columns: dict[str, int], places: dict[str, int]) -> Side:
    weights = np.zeros((len(found), len(columns)), dtype=np.float32)
    countries = np.zeros((len(found), max(len(places), 1)), dtype=np.float32)
    for row, d in enumerate(found):
        for code, category in d.categories.items():
            weights[row, columns["f:" + code]] = CATEGORY_WEIGHTS.get(category, DEFAULT_WEIGHT)
        for code in d.ecosystems:
            weights[row, columns["e:" + code]] = ECOSYSTEM_WEIGHT
        for code in d.sectors:
            weights[row, columns["s:" + code]] = SECTOR_WEIGHT
        for code in d.countries:
            countries[row, places[code]] = 1
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
    columns: dict[str, int] = {}
    places: dict[str, int] = {}
    for d in (*needs, *offers):
        for code in d.categories:
            columns.setdefault("f:" + code, len(columns))
        for code in d.ecosystems:
            columns.setdefault("e:" + code, len(columns))
        for code in d.sectors:
            columns.setdefault("s:" + code, len(columns))
        for code in d.countries:
            places.setdefault(code, len(places))
    need_side, offer_side = _side(needs, columns, places), _side(offers, columns, places)
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
