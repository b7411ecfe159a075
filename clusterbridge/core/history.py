"""Service calls that change domain records and write the history in the same transaction.

Pages, the API, imports and commands all go through these functions, so every write is
recorded whatever its origin (NetBox records from request signals, which silently skip
commands; we call explicitly instead). `before` is read back from the database, so callers
only change the object in memory and hand it over.
"""

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from clusterbridge.core.models import ObjectChange, TrackedModel
from clusterbridge.core.request_context import current_request_id

Action = ObjectChange.Action


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _m2m_key_field(field: models.ManyToManyField) -> str:
    related = field.related_model
    return "code" if any(f.name == "code" for f in related._meta.fields) else "pk"


def snapshot(obj: models.Model, *, with_m2m: bool = True) -> dict[str, Any]:
    """The record as JSON: concrete fields by attname, many-to-many as sorted keys.

    `with_m2m=False` reads no related rows, for bulk writers that compare thousands of
    records and never change their many-to-many values."""
    exclude = set(getattr(obj, "history_exclude", ()))
    state: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.DecimalField) and value is not None:
            # 8200000000 in memory and 8200000000.00 read back are the same amount.
            value = decimal.Decimal(value).quantize(
                decimal.Decimal(1).scaleb(-field.decimal_places)
            )
        state[field.attname] = _plain(value)
    if with_m2m and obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.name in exclude:
                continue
            key = _m2m_key_field(field)
            values = getattr(obj, field.name).values_list(key, flat=True)
            state[field.name] = sorted(_plain(v) for v in values)
    return state


def _stored(obj: models.Model) -> models.Model | None:
    model = type(obj)
    manager = getattr(model, "all_objects", model._default_manager)
    return manager.filter(pk=obj.pk).first() if obj.pk is not None else None


def record(
    obj: models.Model,
    action: str,
    *,
    user=None,
    before: dict | None = None,
    after: dict | None = None,
    message: str = "",
) -> ObjectChange:
    """Append one history entry (for domain actions such as approve or reject)."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return ObjectChange.objects.create(
        user=user if authenticated else None,
        user_name=user.get_username() if authenticated else "",
        request_id=current_request_id(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        message=message,
    )


def _set_m2m(obj: models.Model, m2m: dict[str, list] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)


@transaction.atomic
def save(
    obj: models.Model,
    *,
    user=None,
    m2m: dict[str, list] | None = None,
    message: str = "",
    action: str | None = None,
) -> ObjectChange | None:
    """Create or update `obj` (and its many-to-many values); record what changed.

    Returns the history entry, or None when nothing changed.
    """
    stored = _stored(obj)
    before = snapshot(stored) if stored is not None else None
    obj.save()
    _set_m2m(obj, m2m)
    after = snapshot(obj)
    if before == after:
        return None
    return record(
        obj,
        action or (Action.UPDATE if before is not None else Action.CREATE),
        user=user,
        before=before,
        after=after,
        message=message,
    )


@transaction.atomic
def save_form(form, *, user=None, message: str = "") -> ObjectChange | None:
    """Save a validated ModelForm through the history."""
    obj = form.save(commit=False)
    stored = _stored(obj)
    before = snapshot(stored) if stored is not None else None
    obj.save()
    form.save_m2m()
    after = snapshot(obj)
    if before == after:
        return None
    action = Action.UPDATE if before is not None else Action.CREATE
    return record(obj, action, user=user, before=before, after=after, message=message)


@transaction.atomic
def soft_delete(obj: TrackedModel, *, user=None, message: str = "") -> ObjectChange:
    before = snapshot(obj)
    obj.deleted_at = timezone.now()
    obj.save(update_fields=["deleted_at", "updated_at"])
    return record(
        obj, Action.DELETE, user=user, before=before, after=snapshot(obj), message=message
    )


@transaction.atomic
def restore(obj: TrackedModel, *, user=None, message: str = "") -> ObjectChange:
    before = snapshot(obj)
    obj.deleted_at = None
    obj.save(update_fields=["deleted_at", "updated_at"])
    return record(
        obj, Action.RESTORE, user=user, before=before, after=snapshot(obj), message=message
    )


def _apply_state(obj: models.Model, state: dict[str, Any]) -> dict[str, list]:
    """Set concrete fields from a snapshot; return the many-to-many values to set."""
    m2m: dict[str, list] = {}
    concrete = {f.attname: f for f in obj._meta.concrete_fields}
    for field in obj._meta.many_to_many:
        if field.name in state:
            key = _m2m_key_field(field)
            related = field.related_model._default_manager
            lookup = {f"{key}__in": state[field.name]}
            m2m[field.name] = list(related.filter(**lookup))
    for attname, value in state.items():
        field = concrete.get(attname)
        # Deletion state is never reverted: restoring is the administrators' trash.
        if field is None or field.primary_key or attname == "deleted_at":
            continue
        setattr(obj, attname, field.to_python(value) if value is not None else None)
    return m2m


@transaction.atomic
def revert(change: ObjectChange, *, user=None) -> ObjectChange | None:
    """Undo one change by writing a new one that brings back its `before` state."""
    obj = change.target
    if obj is None:
        raise ValueError("The record of this change no longer exists.")
    if getattr(obj, "is_deleted", False):
        raise PermissionDenied(
            "This record is deleted: an administrator restores it from the trash."
        )
    if change.before is None:
        # Reverting a creation removes the record (softly).
        return soft_delete(obj, user=user, message=f"Revert of change #{change.pk}")
    m2m = _apply_state(obj, change.before)
    return save(
        obj,
        user=user,
        m2m=m2m,
        message=f"Revert of change #{change.pk}",
        action=Action.REVERT,
    )


def history_of(obj: models.Model):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return ObjectChange.objects.filter(
        content_type=content_type, object_id=str(obj.pk)
    ).select_related("user")


def check_can_change(obj: TrackedModel, user) -> None:
    if not obj.user_can_change(user):
        raise PermissionDenied("You may not change this record.")
