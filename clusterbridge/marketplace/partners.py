"""Partner searches ↔ organisations: the organisations whose profile fits the partners a
partner search looks for, ranked and explained like the offers ↔ needs matching
(`matching.py`), whose weights it shares.

An organisation fits when it shares at least one feature, ecosystem or sector with the
search, or its profile answers one of the roles sought, and — when the search names
countries — it is based in one of them. Its score is the weighted share of the search it
covers: shared features weigh what their category weighs in funding matching, an ecosystem
2, a sector 1, and each role sought `ROLE_WEIGHT` when the organisation's type, features,
ecosystems or sectors name it (the roles are free text: "A university lab for clinical trials" is
answered by an organisation whose type is "University", or whose features say "clinical").
Only live organisations, real ones for a real post (synthetic ones for a synthetic post), and
never the searching organisation itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q

from clusterbridge.marketplace.matching import (
    ECOSYSTEM_WEIGHT,
    SECTOR_WEIGHT,
    Vocabulary,
    descriptors,
)
from clusterbridge.marketplace.models import Kind, Post
from clusterbridge.organisations.models import Organisation, OrganisationType

ROLE_WEIGHT = 2
# Words too common in roles to say anything about a partner.
STOPWORDS = frozenset(
    {
        "with",
        "from",
        "that",
        "this",
        "have",
        "will",
        "would",
        "their",
        "they",
        "them",
        "into",
        "about",
        "such",
        "also",
        "other",
        "partner",
        "partners",
        "role",
        "roles",
        "expertise",
        "experience",
        "able",
        "organisation",
        "organisations",
        "company",
        "companies",
        "project",
        "projects",
        "work",
        "working",
        "need",
        "needed",
        "looking",
        "provide",
        "providing",
        "europe",
        "european",
    }
)
WORD = re.compile(r"[^\W\d_]{4,}")
# At most this many organisations are scored (the first by id among those sharing
# something): bounds the time of one search on a directory of tens of thousands.
CANDIDATES = 5000


def stems(text: str) -> set[str]:
    """The first five letters of each word of four letters or more (robot ~ robotics)."""
    return {w[:5] for w in WORD.findall(text.casefold()) if w not in STOPWORDS}


@dataclass
class OrganisationMatch:
    organisation: Organisation
    score: float
    reasons: list[str]
    roles: list[str] = field(default_factory=list)  # the roles sought it answers

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def roles_of(post: Post) -> list[str]:
    return [
        line.strip(" -•*\t")
        for line in (post.roles_sought or "").splitlines()
        if line.strip(" -•*\t")
    ]


def _profiles(ids) -> dict[int, dict[str, set[int]]]:
    found: dict[int, dict[str, set[int]]] = {
        pk: {"features": set(), "ecosystems": set(), "sectors": set()} for pk in ids
    }
    for relation, column in (
        ("features", "feature_id"),
        ("ecosystems", "term_id"),
        ("sectors", "term_id"),
    ):
        through = getattr(Organisation, relation).through
        rows = through.objects.filter(organisation_id__in=list(found)).values_list(
            "organisation_id", column
        )
        for pk, value in rows.iterator(chunk_size=5000):
            found[pk][relation].add(value)
    return found


def for_post(post: Post, *, limit: int | None = 10) -> list[OrganisationMatch]:
    """The organisations that fit a partner search, best first, with the reasons."""
    if post.kind != Kind.PARTNER_SEARCH:
        return []
    target = descriptors(Post.all_objects.filter(pk=post.pk)).get(post.pk)
    if target is None:
        return []
    vocabulary = Vocabulary.load()
    roles = roles_of(post)
    role_stems = [stems(role) for role in roles]
    wanted_types = [
        value
        for value, label in OrganisationType.choices
        if any(stems(label) & s for s in role_stems)
    ]
    organisations = Organisation.objects.filter(is_synthetic=post.is_synthetic).exclude(
        pk=post.organisation_id
    )
    if target.countries:
        organisations = organisations.filter(country_id__in=target.countries)
    sharing = (
        Q(features__in=target.features)
        | Q(ecosystems__in=target.ecosystems)
        | Q(sectors__in=target.sectors)
        | Q(type__in=wanted_types)
    )
    # Role words may also name features, ecosystems or sectors the search did not tick.
    named = _named_by_roles(vocabulary, role_stems)
    if named["features"]:
        sharing |= Q(features__in=named["features"])
    if named["terms"]:
        sharing |= Q(ecosystems__in=named["terms"]) | Q(sectors__in=named["terms"])
    ids = list(
        organisations.filter(sharing)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()[:CANDIDATES]
    )
    if not ids:
        return []
    profiles = _profiles(ids)
    types = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "type"))
    type_labels = dict(OrganisationType.choices)
    total = target.weight(vocabulary) + ROLE_WEIGHT * len(roles)
    scored = []
    for pk in ids:
        profile = profiles[pk]
        features = target.features & profile["features"]
        ecosystems = target.ecosystems & profile["ecosystems"]
        sectors = target.sectors & profile["sectors"]
        type_label = type_labels.get(types.get(pk), "")
        type_stems = stems(type_label)
        answered = []
        for role, wanted in zip(roles, role_stems, strict=True):
            why = _answers(wanted, type_stems, profile, vocabulary, type_label)
            if why:
                answered.append((role, why))
        if not (features or ecosystems or sectors or answered):
            continue
        points = (
            sum(vocabulary.features[f][2] for f in features)
            + ECOSYSTEM_WEIGHT * len(ecosystems)
            + SECTOR_WEIGHT * len(sectors)
            + ROLE_WEIGHT * len(answered)
        )
        value = min(1.0, points / max(total, 1))
        scored.append((-round(value, 6), pk, value, features, ecosystems, sectors, answered))
    scored.sort(key=lambda item: item[:2])
    kept = scored[:limit] if limit else scored
    loaded = Organisation.objects.select_related("country").in_bulk([item[1] for item in kept])
    results = []
    for _, pk, value, features, ecosystems, sectors, answered in kept:
        organisation = loaded[pk]
        results.append(
            OrganisationMatch(
                organisation,
                value,
                _reasons(organisation, vocabulary, features, ecosystems, sectors, answered),
                [role for role, _ in answered],
            )
        )
    return results


def _named_by_roles(vocabulary: Vocabulary, role_stems: list[set[str]]) -> dict[str, set[int]]:
    every = set().union(*role_stems) if role_stems else set()
    if not every:
        return {"features": set(), "terms": set()}
    return {
        "features": {
            pk for pk, (_, label, _) in vocabulary.features.items() if stems(label) & every
        },
        "terms": {pk for pk, (_, label) in vocabulary.terms.items() if stems(label) & every},
    }


def _answers(wanted: set[str], type_stems, profile, vocabulary: Vocabulary, type_label: str):
    """What of the organisation answers one role sought (words in common), or ""."""
    if not wanted:
        return ""
    if type_stems & wanted:
        return type_label
    for pk in sorted(profile["features"], key=lambda f: vocabulary.features[f][0]):
        if stems(vocabulary.features[pk][1]) & wanted:
            return vocabulary.features[pk][1]
    for relation in ("ecosystems", "sectors"):
        for pk in sorted(profile[relation]):
            if stems(vocabulary.terms[pk][1]) & wanted:
                return vocabulary.terms[pk][1]
    return ""


def _names(ids, table) -> str:
    return ", ".join(sorted(table[i][1] for i in ids))


def _reasons(organisation, vocabulary, features, ecosystems, sectors, answered) -> list[str]:
    reasons = [f"Role “{role}”: {why}" for role, why in answered]
    if features:
        by_weight = sorted(
            features, key=lambda f: (-vocabulary.features[f][2], vocabulary.features[f][0])
        )
        reasons.append(
            "Shared features: " + ", ".join(vocabulary.features[f][1] for f in by_weight)
        )
    if ecosystems:
        reasons.append("Ecosystem: " + _names(ecosystems, vocabulary.terms))
    if sectors:
        reasons.append("Sector: " + _names(sectors, vocabulary.terms))
    reasons.append(
        f"Based in {organisation.country.label}" if organisation.country_id else "Country not given"
    )
    return reasons
