"""Send the digests that are due and the deadline reminders (7 days before).

Safe to run as often as wanted, and by two schedulers at once: each digest is claimed with a
conditional UPDATE, and every sent item is recorded under a unique constraint."""

from django.core.management.base import BaseCommand

from clusterbridge.alerts.services import send_alerts


class Command(BaseCommand):
    help = "Send due alert digests and deadline reminders; never sends the same thing twice."

    def handle(self, *args, **options):
        report = send_alerts()
        self.stdout.write(
            f"digests sent: {report.digests} ({report.digest_items} call(s)), "
            f"reminders sent: {report.reminders}, "
            f"skipped (taken by another run): {report.skipped}, failed: {report.failed}"
        )
        if report.failed:
            self.stderr.write("Some alerts could not be sent; they will be tried again next run.")
