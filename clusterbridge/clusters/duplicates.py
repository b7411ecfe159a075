"""Probable duplicates in the catalogue, offered to editors as merge candidates, and the
merge itself (through the clusters' write door, with history).

Two listed clusters are candidates when they share a website (same host), when they are in
the same country and city, or when their names are near-identical within one country: the
same distinctive words for the most part ("Estonian Defence Industry Association" /
"Estonian Defence & Security Industry Innovation Cluster"), or a spelling difference only.
Generic words (cluster, association, industry, innovation…) do not count as distinctive.
"""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db import transaction

from clusterbridge.accounts.roles import is_editor
from clusterbridge.clusters.models import (
    Cluster,
    ClusterManager,
    NetworkMembership,
    Status,
    normalise_name,
)
from clusterbridge.core import history

GENERIC = {
    "a", "and", "association", "assoc", "cluster", "clusters", "de", "del", "des", "for",
    "group", "in", "industries", "industry", "innovation", "network", "of", "the", "und",
    "y", "et", "la", "le", "ltd", "oy", "co", "op", "platform", "pole", "ry",
}  # fmt: skip
SPELLING_RATIO = 0.92  # whole names this alike differ in spelling only
SPELLING_WORD = 0.8  # two words this alike are one word spelt two ways


@dataclass
class Candidate:
    first: Cluster
    second: Cluster
    reasons: list[str] = field(default_factory=list)


def _host(url: str) -> str:
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def _words(name: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", normalise_name(name)) if w and w not in GENERIC}


def _spelling_only(left: set[str], right: set[str]) -> bool:
    """The words that differ are spelling variants of each other ("centre" / "center")."""
    only_left, only_right = sorted(left - right), sorted(right - left)
    if len(only_left) != len(only_right):
        return False
    return all(
        any(difflib.SequenceMatcher(None, w, v).ratio() >= SPELLING_WORD for v in only_right)
        for w in only_left
    )


def _names_alike(a: Cluster, b: Cluster) -> str:
    words_a, words_b = _words(a.name), _words(b.name)
    if not words_a or not words_b:
        return ""
    ratio = difflib.SequenceMatcher(None, normalise_name(a.name), normalise_name(b.name)).ratio()
    if ratio >= SPELLING_RATIO and _spelling_only(words_a, words_b):
        return "near-identical names"
    smaller, larger = sorted((words_a, words_b), key=len)
    if len(smaller) >= 2 and smaller < larger:
        return "one name's distinctive words are all in the other"
    return ""


def merge_candidates(queryset=None) -> list[Candidate]:
    """Pairs of listed clusters that are probably one organisation, with the reasons."""
    clusters = list(
        (queryset if queryset is not None else Cluster.objects.all())
        .filter(status__in=[Status.PUBLISHED, Status.PENDING])
        .select_related("country")
        .order_by("name", "pk")
    )
    pairs: dict[tuple[int, int], Candidate] = {}

    def note(a: Cluster, b: Cluster, reason: str) -> None:
        first, second = (a, b) if a.pk < b.pk else (b, a)
        candidate = pairs.setdefault((first.pk, second.pk), Candidate(first, second))
        if reason not in candidate.reasons:
            candidate.reasons.append(reason)

    by_host: dict[str, list[Cluster]] = defaultdict(list)
    by_place: dict[tuple, list[Cluster]] = defaultdict(list)
    by_country: dict[int | None, list[Cluster]] = defaultdict(list)
    for cluster in clusters:
        if _host(cluster.website):
            by_host[_host(cluster.website)].append(cluster)
        if cluster.country_id and cluster.city.strip():
            by_place[(cluster.country_id, normalise_name(cluster.city))].append(cluster)
        by_country[cluster.country_id].append(cluster)
    for host, group in by_host.items():
        for a, b in combinations(group, 2):
            note(a, b, f"same website ({host})")
    for group in by_place.values():
        for a, b in combinations(group, 2):
            note(a, b, f"same country and city ({group[0].city})")
    for group in by_country.values():
        for a, b in combinations(group, 2):
            reason = _names_alike(a, b)
            if reason:
                note(a, b, reason)
    return sorted(pairs.values(), key=lambda c: (c.first.name, c.second.name))


SCALAR_FIELDS = (
    "region",
    "city",
    "description",
    "mission",
    "member_benefits",
    "contact_email",
    "contact_phone",
    "contact_form_url",
    "website",
    "founding_year",
)
MEMBER_FIELDS = ("members_total", "members_sme", "members_large", "members_research")


@transaction.atomic
def merge(keep: Cluster, other: Cluster, user) -> Cluster:
    """Merge `other` into `keep`: its names become `keep`'s other names, the fields `keep`
    leaves empty take `other`'s values, classifications, networks, countries and managers
    move over, and `other` goes to the trash saying where it went. Both writes are in the
    history (action "update" on `keep`, "delete" on `other`), so the merge can be read and
    `other` restored."""
    if not is_editor(user):
        raise PermissionDenied("Only editors and administrators merge clusters.")
    if keep.pk == other.pk:
        raise ValueError("A cluster cannot be merged into itself.")
    keep = Cluster.all_objects.select_for_update().get(pk=keep.pk)
    other = Cluster.all_objects.select_for_update().get(pk=other.pk)
    names = [*keep.also_known_as]
    for name in [other.name, *other.also_known_as]:
        if name != keep.name and name not in names:
            names.append(name)
    keep.also_known_as = names
    keep.former_names = [
        *keep.former_names,
        *[n for n in other.former_names if n not in keep.former_names],
    ]
    for name in SCALAR_FIELDS:
        if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(keep, name, getattr(other, name))
    # Member figures are one source's set: taken whole, only when keep has none.
    if all(getattr(keep, f) is None for f in MEMBER_FIELDS):
        for name in (*MEMBER_FIELDS, "members_note"):
            setattr(keep, name, getattr(other, name))
    keep.domains = [*keep.domains, *[d for d in other.domains if d not in keep.domains]]
    keep.provenance = [
        *keep.provenance,
        *[p for p in other.provenance if p not in keep.provenance],
    ]
    sources = dict(keep.field_sources)
    for name, places in other.field_sources.items():
        sources[name] = [
            *sources.get(name, []),
            *[p for p in places if p not in sources.get(name, [])],
        ]
    keep.field_sources = sources
    if not keep.priority_section:
        keep.priority_section = other.priority_section
    # Classifications: other's move over where keep has none for the term.
    held = set(keep.classifications.values_list("term_id", flat=True))
    for classification in other.classifications.exclude(term_id__in=held):
        classification.cluster = keep
        history.save(classification, user=user, message=f"Moved from {other.name} (merge)")
    m2m = {
        name: list({*getattr(keep, name).all(), *getattr(other, name).all()})
        for name in ("sectors", "ecosystems", "technologies", "services", "countries")
    }
    for membership in NetworkMembership.objects.filter(cluster=other):
        NetworkMembership.objects.get_or_create(
            cluster=keep, network=membership.network, defaults={"provenance": membership.provenance}
        )
    for link in ClusterManager.objects.filter(cluster=other):
        if not ClusterManager.objects.filter(cluster=keep, user=link.user).exists():
            link.cluster = keep
            history.save(link, user=user, message=f"Moved from {other.name} (merge)")
    from clusterbridge.clusters.services import clusters

    clusters.write(keep, user=user, m2m=m2m, message=f"Merged “{other.name}” into this profile")
    history.soft_delete(
        other,
        user=user,
        message=f"Merged into “{keep.name}” ({keep.get_absolute_url()})",
        checked=True,
    )
    return keep
