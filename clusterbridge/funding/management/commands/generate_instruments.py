import time

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.funding.generator import generate_instruments


class Command(BaseCommand):
    help = "Create N synthetic funding instruments (flagged synthetic) for scale tests."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, count: int, seed: int | None, **options):
        if count < 0:
            raise CommandError("N must be zero or more.")
        started = time.perf_counter()
        made = generate_instruments(count, seed=seed)
        self.stdout.write(
            f"Generated {made} synthetic instruments in {time.perf_counter() - started:.1f} s."
        )
