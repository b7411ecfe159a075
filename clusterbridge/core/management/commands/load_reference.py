from django.core.management.base import BaseCommand

from clusterbridge.core.reference import run_loaders
from clusterbridge.core.request_context import request_id_scope


class Command(BaseCommand):
    help = "Load (or refresh) the reference data shipped in clusterbridge/data/."

    def handle(self, *args, **options):
        with request_id_scope():
            results = run_loaders(stdout=self.stdout)
        total = sum(sum(c.values()) for c in results.values())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {total} records checked."))
