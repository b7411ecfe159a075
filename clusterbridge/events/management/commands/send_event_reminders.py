from django.core.management.base import BaseCommand

from clusterbridge.events.services import send_reminders


class Command(BaseCommand):
    help = "Remind registered people of events starting within a day (once each)."

    def handle(self, *args, **options):
        self.stdout.write(f"Event reminders: {send_reminders()}")
