"""clusterbridge import_regional FILE [--dry-run] [--dataset CODE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.analytics import eurostat, services


def report_or_fail(command: BaseCommand, report: services.RegionalImportReport) -> None:
    for error in report.errors:
        command.stderr.write(str(error))
    if report.errors:
        raise CommandError(report.headline())
    command.stdout.write(report.headline())


class Command(BaseCommand):
    help = (
        "Import regional employment by industry from a Eurostat bulk TSV or SDMX-CSV file "
        "(all or nothing: any wrong line stops the import)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dataset", default="", help="Eurostat dataset code.")
        parser.add_argument("--dry-run", action="store_true", help="Check only.")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            report = services.import_regional(
                path.read_bytes(),
                dataset_code=options["dataset"],
                filename=path.name,
                dry_run=options["dry_run"],
            )
        except eurostat.EurostatFileError as error:
            raise CommandError(str(error)) from error
        report_or_fail(self, report)
