"""Synthetic clusters for scale tests and demos, flagged `is_synthetic`: never shown in the
directory, the landscape or the API, never counted with the real catalogue."""

import random

from django.core.management.base import BaseCommand
from django.db import transaction

from clusterbridge.clusters.models import Cluster, Status
from clusterbridge.taxonomy.models import Country, Term

WORDS = (
    "Digital",
    "Cyber",
    "Green",
    "Smart",
    "Health",
    "Mobility",
    "Photonics",
    "Food",
    "Energy",
    "Space",
    "Textile",
    "Water",
    "Robotics",
    "Materials",
    "Media",
)
KINDS = ("Cluster", "Valley", "Network", "Alliance", "Hub")
FILLER = (
    "members",
    "companies",
    "research",
    "innovation",
    "regional",
    "export",
    "skills",
    "training",
    "projects",
    "partners",
    "industry",
    "services",
    "startups",
    "market",
    "growth",
    "technology",
    "universities",
    "funding",
    "value",
    "chain",
    "platform",
    "network",
    "support",
    "international",
    "quality",
    "production",
    "design",
    "data",
    "software",
    "hardware",
    "testing",
    "pilot",
    "demonstration",
    "sustainability",
    "circular",
    "logistics",
    "tourism",
    "culture",
    "agriculture",
    "maritime",
    "defence",
    "security",
    "automotive",
    "aviation",
    "chemistry",
    "plastics",
    "wood",
    "metal",
)


class Command(BaseCommand):
    help = "Create synthetic (flagged) published clusters for scale tests."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    @transaction.atomic
    def handle(self, *args, count, seed, **options):
        rng = random.Random(seed)
        countries = list(Country.objects.all())
        terms = {
            name: list(Term.objects.filter(vocabulary=vocabulary))
            for name, vocabulary in Cluster.TERM_FIELDS.items()
        }
        start = Cluster.all_objects.filter(is_synthetic=True).count()
        clusters = []
        for index in range(start, start + count):
            cluster = Cluster(
                name=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(KINDS)} {index:06d}",
                slug=f"synthetic-{index:06d}",
                country=rng.choice(countries),
                region=f"Region {rng.randint(1, 40)}",
                description=" ".join(rng.choice(WORDS + FILLER).lower() for _ in range(30)),
                domains=[rng.choice(WORDS).lower() for _ in range(rng.randint(0, 3))],
                members_total=rng.choice([None, rng.randint(5, 900)]),
                founding_year=rng.choice([None, rng.randint(1980, 2024)]),
                status=Status.PUBLISHED,
                is_synthetic=True,
                provenance=[{"document": "synthetic (generate_clusters)"}],
            )
            cluster.prepare_for_save()
            clusters.append(cluster)
        created = Cluster.objects.bulk_create(clusters, batch_size=1000)
        for name, choices in terms.items():
            through = getattr(Cluster, name).through
            links = [
                through(cluster_id=c.pk, term_id=term.pk)
                for c in created
                for term in rng.sample(choices, rng.randint(0, 3))
            ]
            through.objects.bulk_create(links, batch_size=5000)
        self.stdout.write(f"{len(created)} synthetic clusters created.")
