"""clusterbridge fetch_regional DATASET [--years 2019-2021] [--base-url URL] [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.analytics import eurostat, fetch, services
from clusterbridge.analytics.management.commands.import_regional import report_or_fail
from clusterbridge.analytics.models import RegionalDataset


def parse_years(text: str) -> list[int]:
    if not text:
        return []
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError as error:
        raise CommandError("--years takes a year or a range, e.g. 2019-2021.") from error
    if not 1900 < low <= high < 2200:
        raise CommandError("--years takes a year or a range, e.g. 2019-2021.")
    return list(range(low, high + 1))


class Command(BaseCommand):
    help = (
        "Read a regional dataset (e.g. sbs_r_nuts06_r2) from Eurostat's dissemination API "
        "as SDMX-CSV, one page per year, and import it. Needs the internet (or --base-url "
        "of a mirror)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("dataset")
        parser.add_argument("--years", default="", help="A year or a range, e.g. 2019-2021.")
        parser.add_argument("--base-url", default=fetch.DEFAULT_BASE_URL)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--pause",
            type=float,
            default=0.5,
            help="Seconds before retrying a page answered 5xx (times the attempt).",
        )

    def handle(self, *args, **options) -> None:
        dataset = options["dataset"].strip().lower()
        try:
            result = fetch.fetch(
                dataset,
                base_url=options["base_url"],
                years=parse_years(options["years"]),
                pause=options["pause"],
            )
        except fetch.FetchError as error:
            raise CommandError(f"Nothing imported: {error}") from error
        self.stdout.write(
            f"Read {len(result.urls)} page(s) ({len(result.empty_pages)} without data, "
            f"{result.retries} retried)."
        )
        try:
            report = services.import_regional(
                result.content,
                dataset_code=dataset,
                filename=result.urls[0],
                dry_run=options["dry_run"],
                origin=RegionalDataset.Origin.API,
            )
        except eurostat.EurostatFileError as error:
            raise CommandError(f"Nothing imported: {error}") from error
        report_or_fail(self, report)
