from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database to FILE (SQLite: its online backup API, safe "
        "while the site runs; PostgreSQL: pg_dump's custom format)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            written = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = written.stat().st_size / 1_048_576
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written} ({size:.1f} MB)."))
