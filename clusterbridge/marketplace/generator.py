"""Synthetic marketplace posts for scale tests and demos (`generate_marketplace N`): N
offers and N needs (and a few partner searches) published by synthetic organisations, in
the shape of the 2020 crisis burst (seed 004 L11–13: over 1,100 offers in one week).

Every record is flagged `is_synthetic`: the marketplace's list, facets, API and matches of
real posts leave them out. Written with bulk inserts and without per-record history (test
data, as the other generators' records are).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from clusterbridge.marketplace.models import Kind, Post, Status, Urgency
from clusterbridge.organisations.generator import generate_organisations
from clusterbridge.organisations.models import Organisation
from clusterbridge.taxonomy.models import Country, Feature, Term, Vocabulary

GOODS = (
    ("FFP2 masks", "masks per week"),
    ("ventilators", "ventilators"),
    ("hand sanitiser", "litres per week"),
    ("nitrile gloves", "pairs per week"),
    ("test kits", "kits per week"),
    ("3D-printed visors", "visors per week"),
    ("cleanroom capacity", "hours per month"),
    ("logistics capacity", "pallets per week"),
)
BATCH = 2000
# Organisations per post made when there are too few synthetic ones.
POSTS_PER_ORGANISATION = 4


def _sample(rng: random.Random, items: list, least: int, most: int) -> list:
    return rng.sample(items, min(len(items), rng.randint(least, most)))


@transaction.atomic
def generate_marketplace(count: int, *, seed: int | None = None, crisis_share: float = 0.1) -> int:
    """Create `count` published offers and `count` published needs (plus one partner search
    per 20), synthetic. Returns the number of posts made."""
    rng = random.Random(seed)
    wanted = max(1, (2 * count) // POSTS_PER_ORGANISATION)
    have = Organisation.all_objects.filter(is_synthetic=True).count()
    if have < wanted:
        generate_organisations(wanted - have, seed=seed, owners=True)
    organisations = list(
        Organisation.all_objects.filter(is_synthetic=True).values_list("pk", flat=True)
    )
    # Posts of a crisis speak of a few dozen features, not the whole taxonomy.
    features = list(
        Feature.objects.filter(category__code__in=["T", "P", "D", "G"]).values_list("pk", flat=True)
    )[:40]
    ecosystems = list(
        Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS).values_list("pk", flat=True)
    )
    sectors = list(Term.objects.filter(vocabulary=Vocabulary.SECTORS).values_list("pk", flat=True))
    countries = list(Country.objects.values_list("pk", flat=True))
    now = timezone.now()
    today = timezone.localdate()
    start = Post.all_objects.filter(is_synthetic=True).count()
    kinds = [Kind.OFFER] * count + [Kind.NEED] * count + [Kind.PARTNER_SEARCH] * (count // 20)
    posts = []
    for index, kind in enumerate(kinds, start=start):
        goods, unit = rng.choice(GOODS)
        crisis = rng.random() < crisis_share
        quantity = rng.choice([None, rng.randint(1, 500) * 1000])
        post = Post(
            organisation_id=rng.choice(organisations),
            kind=kind,
            title=f"{'Offer' if kind == Kind.OFFER else 'Need'}: {goods} #{index:06d}",
            description=f"Synthetic {kind} of {goods} for the crisis benchmark.",
            quantity=quantity if kind != Kind.PARTNER_SEARCH else None,
            unit=unit if quantity and kind != Kind.PARTNER_SEARCH else "",
            urgency=Urgency.CRISIS if crisis else Urgency.NORMAL,
            valid_until=today + datetime.timedelta(days=rng.randint(7, 90)),
            roles_sought="Manufacturer\nDistributor" if kind == Kind.PARTNER_SEARCH else "",
            status=Status.PUBLISHED,
            submitted_at=now,
            prevalidated_at=now,
            published_at=now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 7)),
            is_synthetic=True,
            provenance=[{"document": "synthetic (generate_marketplace)"}],
        )
        post.prepare_for_save()
        posts.append(post)
    created = Post.objects.bulk_create(posts, batch_size=BATCH)
    links = {
        "features": [
            Post.features.through(post_id=p.pk, feature_id=pk)
            for p in created
            for pk in _sample(rng, features, 1, 4)
        ],
        "ecosystems": [
            Post.ecosystems.through(post_id=p.pk, term_id=pk)
            for p in created
            for pk in _sample(rng, ecosystems, 0, 2)
        ],
        "sectors": [
            Post.sectors.through(post_id=p.pk, term_id=pk)
            for p in created
            for pk in _sample(rng, sectors, 0, 1)
        ],
        "countries": [
            Post.countries.through(post_id=p.pk, country_id=pk)
            for p in created
            for pk in _sample(rng, countries, 0, 3)
        ],
    }
    for name, rows in links.items():
        getattr(Post, name).through.objects.bulk_create(rows, batch_size=BATCH * 5)
    return len(created)
