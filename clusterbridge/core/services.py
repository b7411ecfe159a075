"""One write door per model.

Every tracked model has one service (a `ModelService` subclass in its app's `services.py`)
that creates, updates, deletes, restores and reverts its records. Pages, the API, the
importers, the commands, the administration site and `POST /history/<id>/revert/` all call
it, and it alone:

1. checks the permission policy (`can_create`, `can_change`, `can_delete`; a revert obeys
   the rule of the write it amounts to: an update, or a delete for a creation);
2. validates once (`validate` = the model's `full_clean`, which carries the shared input
   rules of core/validation.py; forms and serializers reach the same checks);
3. writes only the fields that change, on a row read under lock, and increments `version`;
4. appends one history entry (core/history.py) in the same transaction.

`bulk_write` is the same for imports: plans made (and validated) with `plan`, written with a
handful of queries per batch, history entries included.

A model without a service of its own gets the plain `ModelService`; an app adds behaviour
by overriding hooks (`initialise`, `prepare`, `apply`, `can_*`) — see docs/adding-a-model.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange, TrackedModel

Action = ObjectChange.Action
M = TypeVar("M", bound=TrackedModel)
Values = dict[str, Any]


class Conflict(Exception):
    """The record changed after the version the writer had read (stale form or If-Match)."""

    def __init__(self, obj: TrackedModel, expected: int) -> None:
        self.obj = obj
        self.expected = expected
        self.current = obj.version
        super().__init__(
            f"This {obj._meta.verbose_name} was changed by someone else since you read it "
            f"(version {expected}, now {obj.version}). Read it again, then apply your change."
        )

    def changes_since(self) -> list[ObjectChange]:
        """The history entries written after the writer's version, oldest first."""
        return list(
            history.history_of(self.obj).filter(version__gt=self.expected).order_by("time", "pk")
        )

    def fields_changed_since(self) -> set[str]:
        names: set[str] = set()
        for change in self.changes_since():
            names.update(name for name, _, _ in change.diff())
        return names


@dataclass
class WriteResult(Generic[M]):
    """What a write did: the record as stored, its history entry (None when nothing
    changed), and what waits for review instead of being applied (e.g. a change request)."""

    obj: M
    change: ObjectChange | None = None
    review: models.Model | None = None

    @property
    def changed(self) -> bool:
        return self.change is not None

    @property
    def waiting_for_review(self) -> bool:
        return self.review is not None


@dataclass
class Plan(Generic[M]):
    """One record an import will write: validated, with the columns that change."""

    obj: M
    before: dict | None  # history snapshot before the write; None for a new record
    columns: list[str]  # attnames that change (updates only)
    m2m: dict[str, list] = field(default_factory=dict)  # many-to-many values that change
    version: int | None = None  # the version read when planning (updates only)
    position: Any = None  # the row or record number in the file, for reports

    @property
    def is_new(self) -> bool:
        return self.before is None


class BulkConflict(Exception):
    """Records of a batch changed between planning and writing."""

    def __init__(self, plans: list[Plan]) -> None:
        self.plans = plans
        super().__init__(f"{len(plans)} record(s) were changed by someone else during the import.")


def _pks(values: Iterable) -> set:
    return {v.pk if isinstance(v, models.Model) else v for v in values}


class ModelService(Generic[M]):
    """Create, update, delete, restore and revert records of `model`."""

    model: ClassVar[type[TrackedModel]]
    # Fields a revert leaves alone: state that only actions of its own may change
    # (moderation status, ownership...). Deletion state is never reverted (the trash is).
    revert_exclude: ClassVar[tuple[str, ...]] = ()

    # Policy -------------------------------------------------------------------------------
    # `user=None` is the system (commands, reference loads); people pass their user, signed in
    # or anonymous, and are checked.
    def can_create(self, user) -> bool:
        return user is None or self.model.user_can_create(user)

    def can_change(self, obj: M, user) -> bool:
        return user is None or obj.user_can_change(user)

    def can_delete(self, obj: M, user) -> bool:
        return self.can_change(obj, user)

    def can_restore(self, obj: M, user) -> bool:
        from clusterbridge.accounts.roles import is_admin

        return user is None or is_admin(user)

    @staticmethod
    def require(allowed: bool, message: str) -> None:
        if not allowed:
            raise PermissionDenied(message)

    # Hooks --------------------------------------------------------------------------------
    def initialise(self, obj: M, user) -> None:
        """Fill what a new record needs beyond the values given (e.g. its owner)."""

    def prepare(self, obj: M, user, changed: set[str], *, note: str = "", author=None) -> None:
        """Adjust a record about to be written, knowing which fields change (e.g. record
        where a value came from). `note` says by what means (an import, a revert...);
        `author` is the person the values come from when not the writer (a reviewed change)."""

    # Values -------------------------------------------------------------------------------
    def assign(self, obj: M, values: Values) -> dict[str, list]:
        """Set the concrete values on `obj` in memory; return the many-to-many values.

        Keys are field names (or attnames for foreign keys); a foreign key takes an instance
        or a primary key, a many-to-many field a list of instances or primary keys."""
        m2m: dict[str, list] = {}
        many = {f.name for f in obj._meta.many_to_many}
        for name, value in values.items():
            if name in many:
                m2m[name] = list(value or [])
                continue
            model_field = obj._meta.get_field(name)
            if model_field.is_relation and not isinstance(value, models.Model | None):
                setattr(obj, model_field.attname, value)
            else:
                setattr(obj, model_field.name, value)
        return m2m

    def differences(self, obj: M, values: Values) -> Values:
        """The values that differ from the record's (without changing it)."""
        changed: Values = {}
        for name, value in values.items():
            model_field = obj._meta.get_field(name)
            if model_field.many_to_many:
                current = _pks(getattr(obj, model_field.name).all()) if obj.pk else set()
                if current != _pks(value or []):
                    changed[name] = value
                continue
            new = value.pk if isinstance(value, models.Model) else value
            if not model_field.is_relation and new is not None:
                new = model_field.to_python(new)
            if getattr(obj, model_field.attname) != new:
                changed[name] = value
        return changed

    @staticmethod
    def columns(obj: models.Model) -> dict[str, Any]:
        return {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields}

    def changed_m2m(self, obj: M, m2m: dict[str, list]) -> dict[str, list]:
        if obj.pk is None:
            return {name: values for name, values in m2m.items() if values}
        return {
            name: values
            for name, values in m2m.items()
            if _pks(getattr(obj, name).all()) != _pks(values)
        }

    # Validation ---------------------------------------------------------------------------
    def validate(self, obj: M, fields: Iterable[str] | None = None) -> None:
        """The model's checks (fields, record rules, unique values), limited to `fields`
        when given: what a write changes is checked, the rest was checked when written."""
        exclude = None
        if fields is not None:
            wanted = set(fields)
            exclude = [
                f.name
                for f in obj._meta.concrete_fields
                if f.name not in wanted and f.attname not in wanted
            ]
        obj.full_clean(exclude=exclude)

    # Writes -------------------------------------------------------------------------------
    def _locked(self, obj: M) -> M:
        return self.model.all_objects.select_for_update().get(pk=obj.pk)

    def _sync(self, target: M, source: M) -> None:
        """Give the caller's copy the stored values (and forget stale related caches)."""
        if target is source:
            return
        for column, value in self.columns(source).items():
            setattr(target, column, value)
        target.__dict__.pop("_prefetched_objects_cache", None)
        target._state.fields_cache = {}

    @transaction.atomic
    def create(
        self,
        user,
        values: Values,
        *,
        message: str = "",
        action: str | None = None,
        note: str = "",
    ) -> WriteResult[M]:
        self.require(
            self.can_create(user), f"You may not add {self.model._meta.verbose_name_plural}."
        )
        obj = self.model()
        self.initialise(obj, user)
        m2m = self.assign(obj, values)
        changed = {n for n, v in values.items() if v not in (None, "", [], {})}
        self.prepare(obj, user, changed, note=note)
        self._prepare_for_save(obj)
        self.validate(obj)
        change = self._write(obj, None, user=user, m2m=m2m, action=action, message=message)
        return WriteResult(obj, change)

    @transaction.atomic
    def update(
        self,
        obj: M,
        user,
        values: Values,
        *,
        version: int | None = None,
        message: str = "",
        action: str | None = None,
        note: str = "",
    ) -> WriteResult[M]:
        """Write the values that differ from the stored record (read under lock, so two
        writers of different fields both keep theirs). A `version` other than the stored
        one raises `Conflict`."""
        stored = self._locked(obj)
        if stored.is_deleted:
            raise ValidationError("This record was deleted meanwhile.")
        self.require(self.can_change(stored, user), "You may not change this record.")
        if version is not None and stored.version != version:
            raise Conflict(stored, version)
        result = self.apply(stored, user, values, message=message, action=action, note=note)
        self._sync(obj, result.obj)
        return result

    def apply(
        self,
        obj: M,
        user,
        values: Values,
        *,
        message: str = "",
        action: str | None = None,
        note: str = "",
        author=None,
    ) -> WriteResult[M]:
        """Apply permitted values to the locked record. Overridden where a write may have
        to wait for review instead (clusters)."""
        before = history.snapshot(obj)
        columns_before = self.columns(obj)
        m2m = self.changed_m2m(obj, self.assign(obj, values))
        changed = self._changed_columns(obj, columns_before) | set(m2m)
        if not changed:
            return WriteResult(obj)
        self.prepare(obj, user, self._names(obj, changed), note=note, author=author)
        self._prepare_for_save(obj)
        columns = sorted(self._changed_columns(obj, columns_before))
        self.validate(obj, fields=self._names(obj, set(columns)))
        change = self._write(
            obj,
            before,
            user=user,
            m2m=m2m,
            columns=columns,
            action=action or Action.UPDATE,
            message=message,
        )
        return WriteResult(obj, change)

    @transaction.atomic
    def delete(
        self, obj: M, user, *, version: int | None = None, message: str = ""
    ) -> WriteResult[M]:
        """Soft delete: the record leaves every list and page; the trash restores it."""
        stored = self._locked(obj)
        self.require(self.can_delete(stored, user), "You may not delete this record.")
        if version is not None and stored.version != version:
            raise Conflict(stored, version)
        if stored.is_deleted:
            return WriteResult(stored)
        change = self._set_deleted(stored, timezone.now(), user, Action.DELETE, message)
        self._sync(obj, stored)
        return WriteResult(stored, change)

    @transaction.atomic
    def restore(self, obj: M, user, *, message: str = "") -> WriteResult[M]:
        stored = self._locked(obj)
        self.require(self.can_restore(stored, user), "Only administrators restore deleted records.")
        if not stored.is_deleted:
            return WriteResult(stored)
        self.validate_restore(stored)
        change = self._set_deleted(stored, None, user, Action.RESTORE, message)
        self._sync(obj, stored)
        return WriteResult(stored, change)

    def validate_restore(self, obj: M) -> None:
        """A restored record must not clash with a live one that took its unique values."""
        deleted_at, obj.deleted_at = obj.deleted_at, None
        try:
            obj.validate_unique()
        finally:
            obj.deleted_at = deleted_at

    @transaction.atomic
    def revert(self, change: ObjectChange, user) -> WriteResult[M]:
        """Undo `change` with a new change bringing back its `before` state — under the
        rule of the write this amounts to: deleting for a creation, else updating."""
        obj = change.target
        if obj is None:
            raise ValidationError("The record of this change no longer exists.")
        if obj.is_deleted:
            raise PermissionDenied(
                "This record is deleted: an administrator restores it from the trash."
            )
        message = f"Revert of change #{change.pk}"
        if change.before is None:
            return self.delete(obj, user, message=message)
        return self.update(
            obj,
            user,
            self.values_from_state(obj, change.before),
            message=message,
            action=Action.REVERT,
            note=f"revert of change #{change.pk}",
        )

    def values_from_state(self, obj: M, state: dict[str, Any]) -> Values:
        """The values of a history snapshot that a revert may bring back: not derived or
        action-owned fields (not editable: recomputed, or set by actions of their own)."""
        skipped = {
            *(f.name for f in obj._meta.concrete_fields if not f.editable),
            *self.revert_exclude,
        }
        values: Values = {}
        concrete = {f.attname: f for f in obj._meta.concrete_fields}
        for model_field in obj._meta.many_to_many:
            if model_field.name in state and model_field.name not in skipped:
                key = history.m2m_key_field(model_field)
                related = model_field.related_model._default_manager
                values[model_field.name] = list(
                    related.filter(**{f"{key}__in": state[model_field.name]})
                )
        for attname, value in state.items():
            model_field = concrete.get(attname)
            if model_field is None or model_field.primary_key or model_field.name in skipped:
                continue
            values[attname] = model_field.to_python(value) if value is not None else None
        return values

    def write(
        self,
        obj: M,
        *,
        user=None,
        m2m: dict[str, list] | None = None,
        action: str | None = None,
        message: str = "",
    ) -> ObjectChange | None:
        """Save `obj` as it is in memory (a step of a service that has checked its policy,
        or a reference load) and record the difference; None when nothing changed."""
        with transaction.atomic():
            stored = (
                self.model.all_objects.select_for_update().filter(pk=obj.pk).first()
                if obj.pk is not None
                else None
            )
            before = history.snapshot(stored) if stored is not None else None
            if stored is not None:
                obj.version = stored.version
            self._prepare_for_save(obj)
            if stored is not None:
                unchanged_columns = not self._changed_columns(obj, self.columns(stored))
                if unchanged_columns and not self.changed_m2m(obj, m2m or {}):
                    return None
            return self._write(
                obj, before, user=user, m2m=m2m or {}, action=action, message=message
            )

    # Bulk (imports) -----------------------------------------------------------------------
    def plan(
        self,
        obj: M,
        user,
        values: Values,
        *,
        note: str = "",
        position: Any = None,
        validate_unique: bool = True,
    ) -> Plan[M] | None:
        """Check and prepare one imported record without writing it: the permission, the
        values and the model's validation (raises PermissionDenied or ValidationError).
        Returns None when the record would not change."""
        is_new = obj.pk is None
        if is_new:
            self.initialise(obj, user)
            self.require(
                self.can_create(user), f"you may not add {self.model._meta.verbose_name_plural}"
            )
            before, columns_before = None, None
        else:
            self.require(self.can_change(obj, user), "you may not change this record")
            before = history.snapshot(obj, with_m2m=False)
            columns_before = self.columns(obj)
        m2m = self.changed_m2m(obj, self.assign(obj, values))
        if is_new:
            changed = {n for n, v in values.items() if v not in (None, "", [], {})}
        else:
            changed = self._names(obj, self._changed_columns(obj, columns_before)) | set(m2m)
            if not changed:
                return None
            for name in m2m:
                before[name] = sorted(
                    history.plain(v)
                    for v in getattr(obj, name).values_list(
                        history.m2m_key_field(obj._meta.get_field(name)), flat=True
                    )
                )
        self.prepare(obj, user, changed, note=note)
        self._prepare_for_save(obj)
        columns = [] if is_new else sorted(self._changed_columns(obj, columns_before))
        if is_new:
            # The values given and the fields a record cannot be without; the rest keep their
            # defaults (thousands of imported records: checking every field costs seconds).
            required = {f.name for f in obj._meta.concrete_fields if f.editable and not f.blank}
            fields = set(values) | required
        else:
            fields = self._names(obj, set(columns))
        self.validate_planned(obj, fields, validate_unique=validate_unique)
        return Plan(obj, before, columns, m2m, None if is_new else obj.version, position)

    def validate_planned(self, obj: M, fields, *, validate_unique: bool) -> None:
        if validate_unique:
            self.validate(obj, fields)
            return
        exclude = None
        if fields is not None:
            exclude = [f.name for f in obj._meta.concrete_fields if f.name not in fields]
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)

    def bulk_write(
        self,
        plans: Sequence[Plan[M]],
        *,
        user=None,
        action: str = Action.IMPORT,
        message: str = "",
        batch_size: int = 500,
    ) -> list[ObjectChange]:
        """Write planned records with a few queries: new ones bulk-created, changed ones
        bulk-updated (their columns only, version + 1, after checking under lock that nobody
        changed them since planning: else `BulkConflict`), many-to-many links, then one
        history entry each. The caller's transaction decides what one batch is."""
        if not plans:
            return []
        with transaction.atomic():
            created = [p for p in plans if p.is_new]
            updated = [p for p in plans if not p.is_new]
            self._check_versions(updated)
            now = timezone.now()
            for plan in created:
                plan.obj.version = 1
            self.model.all_objects.bulk_create([p.obj for p in created], batch_size=batch_size)
            columns = sorted({c for p in updated for c in p.columns})
            for plan in updated:
                plan.obj.version = plan.version + 1
                plan.obj.updated_at = now
            if updated:
                self.model.all_objects.bulk_update(
                    [p.obj for p in updated],
                    [*columns, "version", "updated_at"],
                    batch_size=batch_size,
                )
            self._bulk_m2m(plans, batch_size)
            self.after_bulk_write(plans)
            changes = [
                history.entry(
                    p.obj,
                    action,
                    user=user,
                    before=p.before,
                    after=history.snapshot(p.obj, with_m2m=False) | self._m2m_state(p),
                    message=message,
                )
                for p in plans
            ]
            ObjectChange.objects.bulk_create(changes, batch_size=batch_size)
        return changes

    def after_bulk_write(self, plans: Sequence[Plan[M]]) -> None:
        """Rows that mirror a record's values (e.g. an instrument's deadline rows)."""

    def _check_versions(self, plans: list[Plan[M]]) -> None:
        stale = []
        chunk = 900
        for start in range(0, len(plans), chunk):
            part = plans[start : start + chunk]
            stored = dict(
                self.model.all_objects.select_for_update()
                .filter(pk__in=[p.obj.pk for p in part])
                .values_list("pk", "version")
            )
            stale += [p for p in part if stored.get(p.obj.pk) != p.version]
        if stale:
            raise BulkConflict(stale)

    def _bulk_m2m(self, plans: Sequence[Plan[M]], batch_size: int) -> None:
        names = {name for p in plans for name in p.m2m}
        for name in names:
            model_field = self.model._meta.get_field(name)
            through = model_field.remote_field.through
            source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
            touched = [p for p in plans if name in p.m2m]
            ids = [p.obj.pk for p in touched if not p.is_new]
            for start in range(0, len(ids), 900):
                through.objects.filter(**{f"{source}_id__in": ids[start : start + 900]}).delete()
            through.objects.bulk_create(
                [
                    through(**{f"{source}_id": p.obj.pk, f"{target}_id": pk})
                    for p in touched
                    for pk in _pks(p.m2m[name])
                ],
                batch_size=batch_size,
            )

    @staticmethod
    def _m2m_state(plan: Plan) -> dict[str, list]:
        state = {}
        for name, values in plan.m2m.items():
            key = history.m2m_key_field(plan.obj._meta.get_field(name))
            state[name] = sorted(
                history.plain(getattr(v, key) if isinstance(v, models.Model) else v) for v in values
            )
        return state

    # Internals ----------------------------------------------------------------------------
    @staticmethod
    def _prepare_for_save(obj: M) -> None:
        prepare = getattr(obj, "prepare_for_save", None)
        if prepare is not None:
            prepare()

    def _changed_columns(self, obj: M, before: dict[str, Any]) -> set[str]:
        ignored = {"updated_at", "version"}
        return {
            column
            for column, value in self.columns(obj).items()
            if column not in ignored and before.get(column) != value
        }

    @staticmethod
    def _names(obj: M, columns: set[str]) -> set[str]:
        by_attname = {f.attname: f.name for f in obj._meta.concrete_fields}
        return {by_attname.get(c, c) for c in columns}

    def _write(
        self,
        obj: M,
        before: dict | None,
        *,
        user,
        m2m: dict[str, list],
        columns: Sequence[str] | None = None,
        action: str | None,
        message: str,
    ) -> ObjectChange | None:
        if before is None:
            obj.version = 1
            obj.save()
        else:
            obj.version = (obj.version or 0) + 1
            if columns is None:
                obj.save()
            else:
                obj.save(update_fields=[*columns, "version", "updated_at"])
        for name, values in m2m.items():
            getattr(obj, name).set(values)
        after = history.snapshot(obj)
        if before == after and before is not None:
            return None
        return history.record(
            obj,
            action or (Action.UPDATE if before is not None else Action.CREATE),
            user=user,
            before=before,
            after=after,
            message=message,
        )

    def _set_deleted(self, obj: M, when, user, action: str, message: str) -> ObjectChange:
        before = history.snapshot(obj)
        obj.deleted_at = when
        obj.version += 1
        obj.save(update_fields=["deleted_at", "updated_at", "version"])
        return history.record(
            obj, action, user=user, before=before, after=history.snapshot(obj), message=message
        )


# Registry ---------------------------------------------------------------------------------
_SERVICES: dict[type[models.Model], ModelService] = {}
_discovered = False

S = TypeVar("S", bound=ModelService)


def register(service: S) -> S:
    """Make `service` the write door of its model (for revert, the admin, bulk imports)."""
    _SERVICES[service.model] = service
    return service


def _discover() -> None:
    """Import every ClusterBridge app's `services` module, which registers its services."""
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if config.name.startswith("clusterbridge.") and module_has_submodule(
            config.module, "services"
        ):
            importlib.import_module(f"{config.name}.services")
    _discovered = True


def service_for(model_or_obj: type[models.Model] | models.Model) -> ModelService:
    """The registered service of a model (a plain ModelService when it has none)."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    model = model._meta.concrete_model
    _discover()
    service = _SERVICES.get(model)
    if service is None:
        service = type(f"{model.__name__}Service", (ModelService,), {"model": model})()
        _SERVICES[model] = service
    return service
