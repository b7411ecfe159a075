"""clusterbridge sync_calls [--base-url URL] [--page-size N] [--dry-run]: bring the open and
forthcoming calls of the EU Funding & Tenders Portal in, straight from its public Search API.

Every page is read first; only then is anything written (in committed batches, like
import_calls, which resume when the same answer is imported again). A portal that fails
part-way, after its retries, ends the command with an error and nothing written."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from clusterbridge.core.request_context import request_id_scope
from clusterbridge.funding.portal_import import sync_calls
from clusterbridge.interop import portal, portal_api, runs


class Command(BaseCommand):
    help = (
        "Import the open and forthcoming grant and cascade-funding calls from the EU Funding "
        "& Tenders Portal's Search API (all pages), updating calls already imported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=portal_api.DEFAULT_BASE_URL,
            help="The Search API's server (default %(default)s); another server for tests "
            "or a mirror.",
        )
        parser.add_argument(
            "--page-size",
            type=int,
            default=portal_api.PAGE_SIZE,
            help=f"Records per page (default %(default)s, at most {portal_api.MAX_PAGE_SIZE}).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=portal_api.TIMEOUT,
            help="Seconds to wait for each answer (default %(default)s).",
        )
        parser.add_argument(
            "--retries",
            type=int,
            default=portal_api.RETRIES,
            help="Further attempts per page after a 429, a 5xx, a timeout or a cut-off "
            "answer, with the pause doubling each time (default %(default)s).",
        )
        parser.add_argument(
            "--backoff",
            type=float,
            default=portal_api.BACKOFF,
            help="Seconds before the first retry (default %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and compare only; write nothing."
        )
        parser.add_argument("--batch-size", type=int, default=runs.BATCH_SIZE)

    def handle(self, *args, **options):
        show = options.get("verbosity", 1) > 0
        out = self.stderr._out
        pages_bar = None

        def on_page(number: int, records: int, total: int) -> None:
            nonlocal pages_bar
            if pages_bar is None:
                pages_bar = tqdm(
                    total=total, unit="record", desc="reading the portal", disable=not show,
                    file=out,
                )  # fmt: skip
            pages_bar.update(records - pages_bar.n)

        def progress(items, total):
            return tqdm(
                items, total=total, unit="topic", desc="writing", disable=not show, file=out
            )

        try:
            with request_id_scope():
                report, fetched = sync_calls(
                    options["base_url"],
                    dry_run=options["dry_run"],
                    page_size=options["page_size"],
                    timeout=options["timeout"],
                    retries=max(0, options["retries"]),
                    backoff=max(0.0, options["backoff"]),
                    on_page=on_page,
                    progress=progress,
                    batch_size=max(1, options["batch_size"]),
                )
        except portal_api.PortalSyncError as error:
            raise CommandError(f"The portal could not be read: {error}") from None
        except (portal.PortalFileError, runs.ImportInProgress) as error:
            raise CommandError(str(error)) from None
        finally:
            if pages_bar is not None:
                pages_bar.close()
        counts = report.counts()
        prefix = "Dry run, nothing written: " if report.dry_run else ""
        retried = f", {fetched.retries} retried" if fetched.retries else ""
        self.stdout.write(
            f"{prefix}{len(fetched.pages)} page(s), {fetched.records} of "
            f"{fetched.total_results} records read{retried}: "
            + ", ".join(f"{value} {name}" for name, value in counts.items())
            + "."
        )
        for reason, count in sorted(report.skipped_reasons.items()):
            self.stdout.write(f"  skipped {count}: {reason}")
        for problem in report.errors:
            self.stdout.write(f"  error in {problem}")
