"""The write doors of the analytics records and the regional-data import.

`import_regional` reads a whole Eurostat file, checks every line first and writes nothing
when any line is wrong (all or nothing, as the spreadsheet imports); otherwise it replaces
the dataset's values in one transaction and records one history entry on the dataset.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from clusterbridge.analytics import eurostat
from clusterbridge.analytics.models import ProjectGroup, RegionalDataset, RegionalValue
from clusterbridge.core.services import ModelService, register


class RegionalDatasetService(ModelService[RegionalDataset]):
    model = RegionalDataset


class ProjectGroupService(ModelService[ProjectGroup]):
    model = ProjectGroup


datasets = register(RegionalDatasetService())
groups = register(ProjectGroupService())


@dataclass
class RegionalImportReport:
    dataset_code: str
    format: str = ""
    dry_run: bool = False
    observations: int = 0
    confidential: int = 0
    missing: int = 0
    flagged: dict[str, int] = field(default_factory=dict)
    regions: int = 0
    industries: int = 0
    periods: list[int] = field(default_factory=list)
    errors: list[eurostat.RowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def headline(self) -> str:
        if self.errors:
            return (
                f"Nothing imported: {len(self.errors)} problem"
                f"{'s' if len(self.errors) != 1 else ''} in the file."
            )
        verb = "would be imported" if self.dry_run else "imported"
        return (
            f"{self.observations} values {verb} into {self.dataset_code} "
            f"({self.regions} regions × {self.industries} industries, "
            f"{', '.join(map(str, self.periods))}); {self.confidential} confidential and "
            f"{self.missing} not available, kept without a value."
        )


def dataset_code_for(parsed: eurostat.ParsedFile, given: str, filename: str) -> str:
    code = (given or parsed.dataset_code or "").strip().lower()
    if not code and filename:
        # "sbs_r_nuts06_r2.tsv" → "sbs_r_nuts06_r2"
        code = filename.rsplit("/", 1)[-1].split(".")[0].lower()
    return code


def import_regional(
    raw: bytes,
    *,
    user=None,
    dataset_code: str = "",
    filename: str = "",
    dry_run: bool = False,
    origin: str = RegionalDataset.Origin.FILE,
    title: str = "",
) -> RegionalImportReport:
    """Import a Eurostat TSV or SDMX-CSV file. Raises `eurostat.EurostatFileError` when the
    file is in neither format, PermissionDenied for a person who may not import."""
    if user is not None and not RegionalDataset.user_can_create(user):
        raise PermissionDenied("Only editors import regional statistics.")
    parsed = eurostat.parse(raw)
    code = dataset_code_for(parsed, dataset_code, filename)
    report = RegionalImportReport(dataset_code=code, format=parsed.format, dry_run=dry_run)
    report.errors = list(parsed.errors)
    if not code:
        report.errors.append(
            eurostat.RowError(1, "DATAFLOW", "Name the dataset (its Eurostat code).")
        )
    obs = parsed.observations
    report.observations = len(obs)
    report.confidential = sum(1 for o in obs if o.confidential)
    report.missing = sum(1 for o in obs if o.value is None and not o.confidential)
    report.flagged = dict(Counter(flag for o in obs for flag in o.flags))
    report.regions = len({o.geo for o in obs})
    report.industries = len({o.industry for o in obs})
    report.periods = sorted({o.period for o in obs})
    if report.errors or dry_run:
        return report
    _write(parsed, report, raw=raw, user=user, filename=filename, origin=origin, title=title)
    return report


@transaction.atomic
def _write(parsed, report, *, raw, user, filename, origin, title) -> None:
    obs = parsed.observations
    dataset = RegionalDataset.all_objects.filter(code=report.dataset_code).first()
    if dataset is None:
        dataset = RegionalDataset(code=report.dataset_code)
    elif dataset.deleted_at is not None:
        dataset.deleted_at = None
    dataset.title = title or dataset.title
    dataset.origin = origin
    dataset.source_name = filename
    dataset.file_format = parsed.format
    dataset.sha256 = hashlib.sha256(raw).hexdigest()
    dataset.imported_by = user if getattr(user, "is_authenticated", False) else None
    dataset.imported_at = timezone.now()
    dataset.observations = report.observations
    dataset.confidential = report.confidential
    dataset.missing = report.missing
    dataset.periods = report.periods
    dataset.series = sorted({o.series for o in obs})
    dataset.geo_labels = parsed.geo_labels
    dataset.industry_labels = parsed.industry_labels
    datasets.write(
        dataset,
        user=user if getattr(user, "is_authenticated", False) else None,
        action="import",
        message=report.headline(),
    )
    RegionalValue.objects.filter(dataset=dataset).delete()
    RegionalValue.objects.bulk_create(
        (
            RegionalValue(
                dataset=dataset,
                series=o.series,
                geo=o.geo,
                industry=o.industry,
                period=o.period,
                value=o.value,
                flags=o.flags,
            )
            for o in obs
        ),
        batch_size=2000,
    )
    report.written = True
