from django.core.management.base import BaseCommand

from clusterbridge.marketplace.services import expire_due


class Command(BaseCommand):
    help = (
        "Mark published marketplace posts past their date as expired (history entry and "
        "the author told, once each; safe to run twice)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_due()} post(s) expired.")
