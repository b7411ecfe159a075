"""The value chain of an industrial ecosystem (seed 004 L896–928), from the marketplace's
published, real offers and needs tagged with that ecosystem: per feature, which
organisations offer it and which need it, and where the chain is fragile — a need with a
single supplier on the platform, or with none — and which needs are reported supply
disruptions.

Only what the public list shows counts (`PostQuerySet.public`). It is what organisations
posted, not a census of the ecosystem: a feature with no supplier here may have many
elsewhere, and the page says so."""

from __future__ import annotations

from dataclasses import dataclass, field

from clusterbridge.marketplace.models import Kind, Post

SINGLE = "single supplier"
NONE = "no supplier on the platform"


@dataclass
class Link:
    feature: object
    suppliers: dict = field(default_factory=dict)  # organisation pk → organisation
    buyers: dict = field(default_factory=dict)
    disruptions: list = field(default_factory=list)  # needs marked as disruptions

    @property
    def risk(self) -> str:
        if not self.buyers:
            return ""
        if not self.suppliers:
            return NONE
        if len(self.suppliers) == 1:
            return SINGLE
        return ""


def value_chain(ecosystem_code: str) -> list[Link]:
    """The ecosystem's links, fragile ones first, then by feature code (two queries plus one
    per prefetch)."""
    posts = (
        Post.objects.public()
        .filter(ecosystems__code=ecosystem_code, kind__in=[Kind.OFFER, Kind.NEED])
        .distinct()
        .select_related("organisation")
        .prefetch_related("features")
        .order_by("pk")
    )
    links: dict[int, Link] = {}
    for post in posts:
        for feature in post.features.all():
            link = links.setdefault(feature.pk, Link(feature))
            side = link.suppliers if post.kind == Kind.OFFER else link.buyers
            side[post.organisation_id] = post.organisation
            if post.kind == Kind.NEED and post.is_disruption:
                link.disruptions.append(post)
    order = {NONE: 0, SINGLE: 1, "": 2}
    return sorted(links.values(), key=lambda link: (order[link.risk], link.feature.code))
