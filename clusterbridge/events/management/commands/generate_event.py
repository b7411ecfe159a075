import time

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.events.generator import generate_event


class Command(BaseCommand):
    help = (
        "Create a synthetic brokerage event (flagged synthetic) with N participants and M "
        "accepted meeting requests, for scale tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=1000)
        parser.add_argument("--requests", type=int, default=6000)
        parser.add_argument("--pending", type=int, default=0)
        parser.add_argument("--slots", type=int, default=16)
        parser.add_argument("--tables", type=int, default=100)
        parser.add_argument("--online", action="store_true", help="Video rooms, no tables.")
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, participants, requests, pending, slots, tables, online, seed, **kw):
        if participants < 2 or requests < 0 or slots < 1 or tables < 0:
            raise CommandError("Give at least 2 participants, 1 slot, and no negative count.")
        started = time.perf_counter()
        event = generate_event(
            participants,
            requests,
            slots=slots,
            tables=tables,
            pending=pending,
            seed=seed,
            online=online,
        )
        self.stdout.write(
            f"Generated {event.slug}: {participants} participants, {requests} accepted "
            f"requests, {slots} slots in {time.perf_counter() - started:.1f} s."
        )
