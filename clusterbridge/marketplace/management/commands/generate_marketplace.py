import time

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.marketplace.generator import generate_marketplace


class Command(BaseCommand):
    help = (
        "Create N synthetic offers and N synthetic needs (and N/20 partner searches), "
        "published, flagged synthetic, for scale tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--crisis-share", type=float, default=0.1)

    def handle(self, *args, count: int, seed, crisis_share: float, **options):
        if count < 0:
            raise CommandError("N must be zero or more.")
        if not 0 <= crisis_share <= 1:
            raise CommandError("--crisis-share is a share between 0 and 1.")
        started = time.perf_counter()
        made = generate_marketplace(count, seed=seed, crisis_share=crisis_share)
        self.stdout.write(
            f"Generated {made} synthetic posts in {time.perf_counter() - started:.1f} s."
        )
