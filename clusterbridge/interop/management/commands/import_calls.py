"""clusterbridge import_calls FILE [--dry-run] [--batch-size N]: import calls from an EU
Funding & Tenders Portal file (Search API results or grantsTenders.json; recognised from the
content), in committed batches; run it again after an interruption and it resumes."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from clusterbridge.core.request_context import request_id_scope
from clusterbridge.interop import file_imports, portal, runs


class Command(BaseCommand):
    help = "Import funding calls from an EU Funding & Tenders Portal JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and compare only; write nothing and print the same report.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=runs.BATCH_SIZE,
            help="Topics written per committed batch (default %(default)s): other writers "
            "wait at most one batch.",
        )

    def handle(self, *args, file: Path, dry_run: bool, batch_size: int, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist or is not a file.")
        size = file.stat().st_size
        if size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                f"{file.name} is {size / 1_048_576:.0f} MB; the import limit is "
                f"{settings.IMPORT_MAX_BYTES / 1_048_576:.0f} MB (IMPORT_MAX_BYTES). Nothing was "
                "imported."
            )
        show_progress = options.get("verbosity", 1) > 0

        def progress(items, total):
            return tqdm(
                items, total=total, unit="topic", disable=not show_progress, file=self.stderr._out
            )

        try:
            with request_id_scope():
                report = file_imports.run(
                    "calls",
                    file.read_bytes(),
                    dry_run=dry_run,
                    filename=file.name,
                    progress=progress,
                    batch_size=max(1, batch_size),
                )
        except (portal.PortalFileError, runs.ImportInProgress) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(report.summary())
        for reason, count in sorted(report.skipped_reasons.items()):
            self.stdout.write(f"  skipped {count}: {reason}")
        for problem in report.errors:
            self.stdout.write(f"  error in {problem}")
