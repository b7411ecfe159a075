"""Importing records from a spreadsheet: every row is read and checked by the record's
service first (its permission policy, the model's validation), and problems are reported by
row and column with nothing written; a file without problems is then written through the
same service in committed batches (interop.runs), which an interrupted import resumes."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError

from clusterbridge.core.services import Action, BulkConflict, Plan, service_for
from clusterbridge.interop import runs, sheets
from clusterbridge.interop.reports import ImportCounts

LOOKUP_CHUNK = 900


@dataclass
class SheetProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(kw_only=True)
class SheetImportReport(ImportCounts):
    record_type: str
    rows: int = 0
    errors: list[SheetProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {**super().counts(), "errors": len(self.errors)}

    def summary(self) -> str:
        if self.errors and any(e.message == runs.CHANGED_MEANWHILE for e in self.errors):
            return (
                "The import stopped: records were changed by someone else while it ran. The "
                "rows before them are imported; import the file again to continue."
            )
        if self.errors:
            return (
                f"{len(self.errors)} problem(s) in {self.rows} rows: nothing was imported. "
                "Correct the file and upload it again."
            )
        counts = ", ".join(f"{v} {k}" for k, v in super().counts().items())
        return f"{self.headline(f'{self.rows} rows', 'row')}: {counts}."


def _normal_header(name: str) -> str:
    return "_".join(name.strip().casefold().replace("-", " ").split())


def _find_existing(record_type: sheets.RecordType, rows, positions: dict[str, int], user=None):
    """Existing records for the key columns' values, read in chunks: {column: {value: [obj]}}.

    Only records the importer may see count: another person's private project of the same
    name is neither revealed nor blocks creating one."""
    manager = getattr(record_type.model, "all_objects", record_type.model._default_manager)
    candidates = manager.all()
    if hasattr(candidates, "visible_to"):
        candidates = candidates.visible_to(user)
    found: dict[str, dict[str, list]] = {}
    for column in record_type.key_columns:
        if column not in positions:
            continue
        values = sorted(
            {
                row[positions[column]]
                for _, row in rows
                if positions[column] < len(row) and row[positions[column]]
            }
        )
        by_value: dict[str, list] = {}
        for start in range(0, len(values), LOOKUP_CHUNK):
            lookup = {f"{column}__in": values[start : start + LOOKUP_CHUNK]}
            for obj in candidates.filter(**lookup):
                by_value.setdefault(getattr(obj, column), []).append(obj)
        found[column] = by_value
    return found


def _match(record_type, row, positions, existing):
    """(existing object or None, key column used, problem message or "")."""
    for column in record_type.key_columns:
        if column not in positions:
            continue
        value = row[positions[column]] if positions[column] < len(row) else ""
        if not value:
            continue
        matches = existing.get(column, {}).get(value, [])
        if column != record_type.key_columns[0] and record_type.key_columns[0] in positions:
            # Matching by name is only for records that have no identifier.
            matches = [m for m in matches if not getattr(m, record_type.key_columns[0])]
        live = [m for m in matches if getattr(m, "deleted_at", None) is None]
        if len(live) > 1:
            return None, column, f"{len(live)} records have this {column}; give the identifier"
        if live:
            return live[0], column, ""
        if matches:
            return None, column, f"a deleted record has this {column}: restore it first"
        return None, column, ""
    return None, "", ""


def import_sheet(
    record_type_key: str,
    raw: bytes,
    *,
    user=None,
    dry_run: bool = False,
    filename: str = "",
    batch_size: int = runs.BATCH_SIZE,
) -> SheetImportReport:
    record_type = sheets.get_type(record_type_key)
    if record_type is None:
        raise sheets.SheetFileError(f"There is no record type “{record_type_key}”.")
    if not record_type.can_import(user):
        raise sheets.SheetPermissionError(f"You may not import {record_type.label.lower()}.")
    report = SheetImportReport(record_type=record_type.key, dry_run=dry_run)
    all_rows = sheets.read_rows(raw)
    if not all_rows or not any(all_rows[0]):
        raise sheets.SheetFileError("The file is empty: the first row must name the columns.")
    header = [_normal_header(h) for h in all_rows[0]]
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        column = record_type.column(name)
        if column is not None and column.export_only:
            continue  # a derived column of an export: the site works it out again
        if column is None:
            known = ", ".join(c.name for c in record_type.import_columns)
            report.errors.append(
                SheetProblem(
                    1, all_rows[0][index].strip(), f"unknown column; the columns are: {known}"
                )
            )
        elif name in positions:
            report.errors.append(SheetProblem(1, name, "this column appears twice"))
        else:
            positions[name] = index
    if not any(c in positions for c in record_type.key_columns):
        report.errors.append(
            SheetProblem(
                1, record_type.key_columns[-1], "this column is needed to find or create records"
            )
        )
    if report.errors:
        return report
    rows = [(number, row) for number, row in enumerate(all_rows[1:], start=2) if any(row)]
    report.rows = len(rows)
    existing = _find_existing(record_type, rows, positions, user)
    reader = _RowReader(record_type, positions, sheets.Lookups(user), user)
    reader.note = f"spreadsheet import {filename}".strip()
    plans: list[Plan] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        plan = reader.plan(number, row, existing, seen, report)
        if plan is not None:
            plans.append(plan)
    if report.errors:
        return report
    report.created = sum(1 for p in plans if p.is_new)
    report.updated = len(plans) - report.created
    report.unchanged = report.rows - len(plans)
    if dry_run:
        return report
    service = service_for(record_type.model)
    message = f"Imported from the spreadsheet {filename}".strip()

    def write(batch: list[Plan]) -> dict[str, int]:
        service.bulk_write(batch, user=user, action=Action.IMPORT, message=message)
        return {"written": len(batch)}

    try:
        outcome = runs.run_in_batches(
            f"sheet:{record_type.key}",
            raw,
            plans,
            write,
            user=user,
            file_name=filename,
            batch_size=batch_size,
        )
    except BulkConflict as conflict:
        report.errors = [
            SheetProblem(plan.position, "", runs.CHANGED_MEANWHILE) for plan in conflict.plans
        ]
        return report
    report.resumed_from = outcome.resumed_from
    return report


class _RowReader:
    """Reads the cells of a row into values and plans the row through the service."""

    def __init__(self, record_type, positions: dict[str, int], lookups, user) -> None:
        self.record_type = record_type
        self.positions = positions
        self.lookups = lookups
        self.user = user
        self.service = service_for(record_type.model)
        self.note = ""

    def plan(self, number, row, existing, seen, report) -> Plan | None:
        record_type, positions = self.record_type, self.positions
        obj, key_column, problem = _match(record_type, row, positions, existing)
        if problem:
            report.errors.append(SheetProblem(number, key_column, problem))
            return None
        if key_column:
            key = (key_column, row[positions[key_column]])
            if key in seen:
                report.errors.append(
                    SheetProblem(
                        number, key_column, f"the same {key_column} is already on row {seen[key]}"
                    )
                )
                return None
            seen[key] = number
        values, failed = {}, []
        for name, index in positions.items():
            text = row[index] if index < len(row) else ""
            try:
                value = record_type.column(name).read(text, self.lookups)
            except sheets.CellError as error:
                report.errors.append(SheetProblem(number, name, str(error)))
                failed.append(name)
                continue
            values[name] = (value or None) if name == "identifier" else value
        try:
            # Cells that could not be read are left out, so the row's other problems show.
            plan = self.service.plan(
                obj if obj is not None else record_type.model(),
                self.user,
                values,
                note=self.note,
                position=number,
                validate_unique=False,
            )
        except PermissionDenied as error:
            report.errors.append(SheetProblem(number, "", str(error)))
            return None
        except ValidationError as error:
            self._report(number, error, failed, report)
            return None
        return None if failed else plan

    def _report(self, number, error: ValidationError, failed: list[str], report) -> None:
        for field_name, messages in sheets.validation_messages(error).items():
            if field_name in failed:
                continue  # the cell's own error already says what is wrong
            column = field_name if field_name != "__all__" else ""
            for message in messages:
                missing = column and column not in self.positions
                if missing and message == "This field cannot be blank.":
                    message = "required to create a record, and the file has no such column"
                report.errors.append(SheetProblem(number, column, message))
