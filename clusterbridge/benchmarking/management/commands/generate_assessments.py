"""Synthetic submitted assessments (flagged) for scale tests and the peer views."""

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.benchmarking.generator import generate
from clusterbridge.clusters.models import Cluster


class Command(BaseCommand):
    help = "Create synthetic clusters with one submitted assessment each (flagged synthetic)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--like", default="", help="Slug of a cluster whose sectors the synthetic ones share."
        )

    def handle(self, *args, count, seed, like, **options):
        cluster = None
        if like:
            cluster = Cluster.objects.filter(slug=like).first()
            if cluster is None:
                raise CommandError(f"No cluster with the slug {like!r}.")
        created = generate(count, seed, like=cluster)
        self.stdout.write(f"{len(created)} synthetic assessments created.")
