"""clusterbridge export_records TYPE FILE --user NAME: write the records of a type that the
named user may see to FILE, as CSV or XLSX by its extension — the format import_records and
the import page read."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clusterbridge.accounts.roles import is_editor
from clusterbridge.interop import sheets


class Command(BaseCommand):
    help = "Export records of one type to a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("record_type", choices=[t.key for t in sheets.available_types()])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", required=True, help="Username whose view of the records is exported."
        )

    def handle(self, *args, record_type: str, file: Path, user: str, **options):
        fmt = file.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise CommandError("The file name must end in .csv or .xlsx.")
        try:
            person = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no active user “{user}”.") from None
        spec = sheets.get_type(record_type)
        file.write_bytes(
            sheets.export_bytes(spec, spec.queryset(person), fmt, editor=is_editor(person))
        )
        self.stdout.write(f"Wrote {file}.")
