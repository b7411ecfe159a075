"""Synthetic organisations for scale tests and demos (`generate_organisations`), the base
the marketplace and events benchmarks build their posts and participants on.

Every record is flagged `is_synthetic`: the directory, its facets, the API list, exports
and the clusters' member counts leave them out. Written with bulk inserts and without
per-record history (they are test data, as the other generators' records are).
"""

import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from clusterbridge.clusters.models import Cluster
from clusterbridge.organisations.models import (
    ClusterMembership,
    Membership,
    Organisation,
    OrganisationType,
    SizeBand,
)
from clusterbridge.taxonomy.models import Country, Feature, Term

PREFIXES = ("Nordic", "Alpine", "Baltic", "Danube", "Atlantic", "Adriatic", "Iberian", "Rhine")
TRADES = ("Robotics", "Photonics", "Cyber", "Agritech", "Textiles", "Hydrogen", "Health", "Data")
SUFFIXES = ("Labs", "Systems", "Institute", "Works", "Partners", "Solutions", "Foundry")
WORDS = (
    "sensors",
    "software",
    "testing",
    "prototypes",
    "training",
    "consulting",
    "manufacturing",
    "logistics",
    "certification",
    "design",
    "recycling",
    "analytics",
    "automation",
    "materials",
    "security",
)
BATCH = 2000


def _sample(rng: random.Random, items: list, most: int) -> list:
    return rng.sample(items, min(len(items), rng.randint(0, most)))


@transaction.atomic
def generate_organisations(
    count: int, *, seed: int | None = None, owners: bool = False, cluster_share: float = 0.5
) -> int:
    """Create `count` synthetic organisations with features, ecosystems and sectors; a share
    of them approved members of published clusters; with `owners`, one owner account each
    (no usable password). Returns the number created."""
    rng = random.Random(seed)
    countries = list(Country.objects.all())
    features = list(Feature.objects.values_list("pk", flat=True))
    vocabularies = {
        name: list(Term.objects.filter(vocabulary=vocabulary).values_list("pk", flat=True))
        for name, vocabulary in Organisation.TERM_FIELDS.items()
    }
    clusters = list(Cluster.objects.public().values_list("pk", flat=True))
    start = Organisation.all_objects.filter(is_synthetic=True).count()
    now = timezone.now()
    organisations = []
    for index in range(start, start + count):
        organisation = Organisation(
            name=f"{rng.choice(PREFIXES)} {rng.choice(TRADES)} {rng.choice(SUFFIXES)} {index:06d}",
            slug=f"synthetic-organisation-{index:06d}",
            type=rng.choice(OrganisationType.values),
            country=rng.choice(countries),
            region=f"Region {rng.randint(1, 40)}",
            description=" ".join(rng.choice(WORDS) for _ in range(25)),
            size=rng.choice(["", *SizeBand.values]),
            is_synthetic=True,
            provenance=[{"document": "synthetic (generate_organisations)"}],
        )
        organisation.prepare_for_save()  # search text (slug given: no query)
        organisations.append(organisation)
    created = Organisation.objects.bulk_create(organisations, batch_size=BATCH)

    links = [
        Organisation.features.through(organisation_id=o.pk, feature_id=pk)
        for o in created
        for pk in _sample(rng, features, 6)
    ]
    Organisation.features.through.objects.bulk_create(links, batch_size=BATCH * 5)
    for name, terms in vocabularies.items():
        through = getattr(Organisation, name).through
        rows = [
            through(organisation_id=o.pk, term_id=pk)
            for o in created
            for pk in _sample(rng, terms, 2)
        ]
        through.objects.bulk_create(rows, batch_size=BATCH * 5)
    if clusters:
        memberships = [
            ClusterMembership(
                organisation_id=o.pk,
                cluster_id=cluster,
                status=ClusterMembership.Status.APPROVED,
                show_publicly=True,
                decided_at=now,
            )
            for o in created
            if rng.random() < cluster_share
            for cluster in rng.sample(clusters, min(len(clusters), rng.randint(1, 2)))
        ]
        ClusterMembership.objects.bulk_create(memberships, batch_size=BATCH)
    if owners:
        _add_owners(created, now)
    return len(created)


def _add_owners(organisations: list[Organisation], now) -> None:
    User = get_user_model()
    users = []
    for organisation in organisations:
        user = User(username=f"{organisation.slug}-owner", email="", is_active=True)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users, batch_size=BATCH)
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=user.pk,
                organisation_id=organisation.pk,
                role=Membership.Role.OWNER,
                status=Membership.Status.ACTIVE,
                decided_at=now,
            )
            for user, organisation in zip(users, organisations, strict=True)
        ],
        batch_size=BATCH,
    )
