import time

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.organisations.generator import generate_organisations


class Command(BaseCommand):
    help = "Create N synthetic organisations (flagged synthetic) for scale tests."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--owners",
            action="store_true",
            help="Give each organisation an owner account (no usable password).",
        )
        parser.add_argument(
            "--cluster-share",
            type=float,
            default=0.5,
            help="Share of organisations listed as members of 1–2 published clusters.",
        )

    def handle(self, *args, count: int, seed, owners: bool, cluster_share: float, **options):
        if count < 0:
            raise CommandError("N must be zero or more.")
        if not 0 <= cluster_share <= 1:
            raise CommandError("--cluster-share is a share between 0 and 1.")
        started = time.perf_counter()
        made = generate_organisations(count, seed=seed, owners=owners, cluster_share=cluster_share)
        self.stdout.write(
            f"Generated {made} synthetic organisations in {time.perf_counter() - started:.1f} s."
        )
