from django.core.management.base import BaseCommand

from clusterbridge.funding.services import expire_calls


class Command(BaseCommand):
    help = (
        "Archive the funding instruments whose last deadline has passed (they already "
        "leave the default search); running it again archives nothing new."
    )

    def handle(self, *args, **options):
        archived = expire_calls()
        for instrument in archived:
            self.stdout.write(
                f"archived #{instrument.pk} {instrument.name} "
                f"(last deadline {instrument.final_deadline})"
            )
        self.stdout.write(f"{len(archived)} instrument(s) archived.")
