from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database by the backup in FILE (made by `clusterbridge backup`). "
        "Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file: Path, interactive: bool, **options):
        if interactive:
            answer = input(
                f"Every record in the database will be replaced by those in {file}. "
                "Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled: nothing was changed.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Database restored from {file}."))
