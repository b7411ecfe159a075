"""Importing records from a spreadsheet: validate every row first, then write all of them in
one transaction through the history, or nothing at all."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.interop import sheets
from clusterbridge.interop.calls import concrete_snapshot

LOOKUP_CHUNK = 900


@dataclass
class SheetProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class SheetImportReport:
    record_type: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[SheetProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }

    def summary(self) -> str:
        if self.errors:
            return (
                f"{len(self.errors)} problem(s) in {self.rows} rows: nothing was imported. "
                "Correct the file and upload it again."
            )
        counts = ", ".join(f"{v} {k}" for k, v in self.counts().items() if k != "errors")
        prefix = "Dry run, nothing written: " if self.dry_run else ""
        return f"{prefix}{self.rows} rows: {counts}."


@dataclass
class _Planned:
    row: int
    obj: object
    m2m: dict
    is_new: bool
    changed: bool


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
    record_type_key: str, raw: bytes, *, user=None, dry_run: bool = False, filename: str = ""
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
        if record_type.column(name) is None:
            known = ", ".join(c.name for c in record_type.columns)
            report.errors.append(
                sheets_problem(
                    1, all_rows[0][index].strip(), f"unknown column; the columns are: {known}"
                )
            )
        elif name in positions:
            report.errors.append(sheets_problem(1, name, "this column appears twice"))
        else:
            positions[name] = index
    if not any(c in positions for c in record_type.key_columns):
        report.errors.append(
            sheets_problem(
                1, record_type.key_columns[-1], "this column is needed to find or create records"
            )
        )
    if report.errors:
        return report
    rows = [(number, row) for number, row in enumerate(all_rows[1:], start=2) if any(row)]
    report.rows = len(rows)
    existing = _find_existing(record_type, rows, positions, user)
    lookups = sheets.Lookups(user)
    planned: list[_Planned] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        plan = _plan_row(
            record_type,
            number,
            row,
            positions,
            existing,
            lookups,
            seen,
            user,
            report,
            note=f"spreadsheet import {filename}".strip(),
        )
        if plan is not None:
            planned.append(plan)
    if report.errors:
        return report
    for plan in planned:
        if plan.is_new:
            report.created += 1
        elif plan.changed:
            report.updated += 1
        else:
            report.unchanged += 1
    if not dry_run:
        _write(planned, user=user, message=f"Imported from the spreadsheet {filename}".strip())
    return report


def sheets_problem(row: int, column: str, message: str) -> SheetProblem:
    return SheetProblem(row, column, message)


def _plan_row(
    record_type, number, row, positions, existing, lookups, seen, user, report, *, note: str
):
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
    is_new = obj is None
    if is_new:
        obj = record_type.model()
        if record_type.on_create is not None:
            record_type.on_create(obj, user)
        if not record_type.model.user_can_create(user):
            report.errors.append(SheetProblem(number, "", "you may not create these records"))
            return None
    elif not obj.user_can_change(user):
        report.errors.append(SheetProblem(number, "", "you may not change this record"))
        return None
    before = concrete_snapshot(obj) if not is_new else None
    m2m: dict[str, list] = {}
    failed: list[str] = []
    for name, index in positions.items():
        column = record_type.column(name)
        text = row[index] if index < len(row) else ""
        try:
            value = column.read(text, lookups)
        except sheets.CellError as error:
            report.errors.append(SheetProblem(number, name, str(error)))
            failed.append(name)
            continue
        if column.m2m:
            m2m[name] = value
        elif name == "identifier":
            obj.identifier = value or None
        else:
            setattr(obj, name, value)
    _as_stored(obj)
    prepare = getattr(obj, "prepare_for_save", None)
    if prepare:
        prepare()  # derived fields (e.g. a slug) before the model's checks
    try:
        # Cells that could not be read are left out, so the row's other problems still show.
        obj.full_clean(exclude=[*m2m, *failed], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field_name, messages in sheets.validation_messages(error).items():
            if field_name in failed:
                continue  # the cell's own error already says what is wrong
            column = field_name if field_name != "__all__" else ""
            for message in messages:
                if column and column not in positions and message == "This field cannot be blank.":
                    message = "required to create a record, and the file has no such column"
                report.errors.append(SheetProblem(number, column, message))
        return None
    if failed:
        return None
    changed_fields = _changed_fields(obj, before, m2m)
    if changed_fields and record_type.on_change is not None:
        record_type.on_change(obj, changed_fields, user, note)
    return _Planned(number, obj, m2m, is_new, is_new or bool(changed_fields))


def _changed_fields(obj, before: dict | None, m2m: dict[str, list]) -> list[str]:
    """Names of the fields this row changes (for a new record: those it fills)."""
    after = concrete_snapshot(obj)
    names = {obj._meta.get_field(f).name if f.endswith("_id") else f: f for f in after}
    changed = [
        name
        for name, attname in names.items()
        if (before is None and after[attname] not in (None, "", [], {}))
        or (before is not None and before.get(attname) != after[attname])
    ]
    for name, values in m2m.items():
        if before is None:
            if values:
                changed.append(name)
        elif set(getattr(obj, name).values_list("pk", flat=True)) != {v.pk for v in values}:
            changed.append(name)
    return changed


def _as_stored(obj) -> None:
    """Give decimals the precision the database keeps, so that 5000 and 5000.00 compare
    equal and an unchanged row is not counted as an update."""
    for model_field in obj._meta.concrete_fields:
        if isinstance(model_field, models.DecimalField):
            value = getattr(obj, model_field.attname)
            if value is not None:
                step = Decimal(1).scaleb(-model_field.decimal_places)
                setattr(obj, model_field.attname, Decimal(value).quantize(step))


@transaction.atomic
def _write(planned: list[_Planned], *, user, message: str) -> None:
    for plan in planned:
        if plan.changed:
            history.save(
                plan.obj,
                user=user,
                m2m=plan.m2m or None,
                action=ObjectChange.Action.IMPORT,
                message=message,
            )
