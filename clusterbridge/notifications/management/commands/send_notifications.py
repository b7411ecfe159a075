"""Mail pending notifications: urgent ones now, the others as one digest per person.

Safe to run as often as wanted, and by two schedulers at once: each notification is claimed
with a conditional UPDATE before it is mailed."""

from django.core.management.base import BaseCommand

from clusterbridge.notifications.services import send_due


class Command(BaseCommand):
    help = "Mail due notifications (urgent at once, others in digests); never mails one twice."

    def handle(self, *args, **options):
        report = send_due()
        self.stdout.write(
            f"urgent sent: {report.urgent}, digests sent: {report.digests} "
            f"({report.digest_items} item(s)), failed: {report.failed}"
        )
        if report.failed:
            self.stderr.write("Some notifications could not be mailed; the next run retries.")
