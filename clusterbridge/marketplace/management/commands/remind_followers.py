from django.core.management.base import BaseCommand

from clusterbridge.marketplace.services import REMINDER_DAYS, remind_followers


class Command(BaseCommand):
    help = (
        f"Remind the followers of marketplace posts closing within {REMINDER_DAYS} days "
        "(once per follower and closing date; safe to run twice or concurrently)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{remind_followers()} follower(s) reminded.")
