"""clusterbridge import_records TYPE FILE --user NAME [--dry-run]: import a CSV or XLSX
spreadsheet of records (instruments, strategic-documents, projects, clusters), all rows or
none, as the named user (whose permissions apply and who is recorded in the history)."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clusterbridge.core.request_context import request_id_scope
from clusterbridge.interop import runs, sheets
from clusterbridge.interop.sheet_import import import_sheet


class Command(BaseCommand):
    help = "Import records from a CSV or XLSX spreadsheet (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("record_type", choices=[t.key for t in sheets.available_types()])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user",
            required=True,
            help="Username the import is made as (permissions and history).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and print the report; write nothing.",
        )

    def handle(self, *args, record_type: str, file: Path, user: str, dry_run: bool, **options):
        try:
            person = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no active user “{user}”.") from None
        if not file.is_file():
            raise CommandError(f"{file} does not exist or is not a file.")
        if file.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                f"{file.name} is larger than the import limit "
                f"({settings.IMPORT_MAX_BYTES / 1_048_576:.0f} MB)."
            )
        try:
            with request_id_scope():
                report = import_sheet(
                    record_type, file.read_bytes(), user=person, dry_run=dry_run, filename=file.name
                )
        except (sheets.SheetFileError, runs.ImportInProgress) as error:
            raise CommandError(str(error)) from None
        for problem in report.errors:
            self.stdout.write(f"  {problem}")
        if report.errors:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
