"""The one append-only history: what a record was before and after each write, who wrote it,
when, in which request.

The entries are written by the models' services (core/services.py) in the same transaction
as the write — never by signals, so imports and commands record as reliably as pages (NetBox
records from request signals, which silently skip commands). `before` is read back from the
database inside the service, so callers cannot forget to snapshot.

`save`, `soft_delete`, `restore` and `revert` here are shorthands for the model's service
(`service_for(obj)`), kept for steps of services and for reference loads.
"""

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from clusterbridge.core.models import ObjectChange, TrackedModel
from clusterbridge.core.request_context import current_request_id

Action = ObjectChange.Action
# Never part of a snapshot: a revert must not bring an old version number back.
ALWAYS_EXCLUDED = ("version",)


def plain(value: Any) -> Any:
    """A value as JSON holds it."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def m2m_key_field(field: models.ManyToManyField) -> str:
    related = field.related_model
    return "code" if any(f.name == "code" for f in related._meta.fields) else "pk"


def snapshot(obj: models.Model, *, with_m2m: bool = True) -> dict[str, Any]:
    """The record as JSON: concrete fields by attname, many-to-many as sorted keys.

    `with_m2m=False` reads no related rows, for bulk writers that compare thousands of
    records and never change their many-to-many values."""
    exclude = {*getattr(obj, "history_exclude", ()), *ALWAYS_EXCLUDED}
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
        state[field.attname] = plain(value)
    if with_m2m and obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.name in exclude:
                continue
            key = m2m_key_field(field)
            values = getattr(obj, field.name).values_list(key, flat=True)
            state[field.name] = sorted(plain(v) for v in values)
    return state


def entry(
    obj: models.Model,
    action: str,
    *,
    user=None,
    before: dict | None = None,
    after: dict | None = None,
    message: str = "",
) -> ObjectChange:
    """An unsaved history entry (bulk writers insert many at once)."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return ObjectChange(
        user=user if authenticated else None,
        user_name=user.get_username() if authenticated else "",
        request_id=current_request_id(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        version=getattr(obj, "version", None),
        before=before,
        after=after,
        message=message,
    )


def record(obj: models.Model, action: str, **fields) -> ObjectChange:
    """Append one history entry (for domain actions such as approve or reject); `fields` are
    those of `entry` (user, before, after, message)."""
    change = entry(obj, action, **fields)
    change.save()
    return change


# Shorthands for the model's service ----------------------------------------------------------
def _service(obj):
    from clusterbridge.core.services import service_for

    return service_for(obj)


def save(
    obj: models.Model,
    *,
    user=None,
    m2m: dict[str, list] | None = None,
    message: str = "",
    action: str | None = None,
) -> ObjectChange | None:
    """Write `obj` as it is in memory (and its many-to-many values) through its service;
    returns the history entry, or None when nothing changed. No permission check: for steps
    of services that checked it, and for loads."""
    return _service(obj).write(obj, user=user, m2m=m2m, action=action, message=message)


def save_form(form, *, user=None, message: str = "") -> ObjectChange | None:
    """`save` for a validated ModelForm: its instance with its many-to-many values."""
    obj = form.save(commit=False)
    m2m = {
        field.name: form.cleaned_data[field.name]
        for field in obj._meta.many_to_many
        if field.name in form.cleaned_data
    }
    return save(obj, user=user, m2m=m2m, message=message)


def soft_delete(
    obj: TrackedModel, *, user=None, message: str = "", checked: bool = False
) -> ObjectChange | None:
    """Soft-delete through the model's service. `checked=True` is for a step of a business
    action that has checked its own rules (who may leave an organisation, end a link…): the
    deletion is written and recorded for `user` without asking the model's policy again."""
    if checked:
        obj.deleted_at = timezone.now()
        return _service(obj).write(obj, user=user, action=Action.DELETE, message=message)
    return _service(obj).delete(obj, user, message=message).change


def restore(obj: TrackedModel, *, user=None, message: str = "") -> ObjectChange | None:
    return _service(obj).restore(obj, user, message=message).change


def revert(change: ObjectChange, *, user=None) -> ObjectChange | None:
    """Undo one change by writing a new one that brings back its `before` state (with the
    permission rule of that write: see ModelService.revert)."""
    target_model = change.content_type.model_class()
    return _service(target_model).revert(change, user).change


def history_of(obj: models.Model):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return ObjectChange.objects.filter(
        content_type=content_type, object_id=str(obj.pk)
    ).select_related("user")


def check_can_change(obj: TrackedModel, user) -> None:
    from django.core.exceptions import PermissionDenied

    if not obj.user_can_change(user):
        raise PermissionDenied("You may not change this record.")
