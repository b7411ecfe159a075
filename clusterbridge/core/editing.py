"""Edit pages on top of the models' services: a form carries the version it was opened at,
its cleaned values go to the service (the same door as the API and the importers), and a
form submitted over a newer version gets a conflict page showing, field by field, the value
saved meanwhile and the person's own, from which the person may save theirs consciously."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpResponse
from django.shortcuts import render

from clusterbridge.core import history
from clusterbridge.core.services import Conflict, ModelService, Values, WriteResult

VERSION_FIELD = "version"
CHOICE = "conflict_"  # conflict page: conflict_<field>=theirs keeps the saved value


class VersionedFormMixin:
    """Adds a hidden `version` field holding the version the form was opened at."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0
        )
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.initial.setdefault(VERSION_FIELD, instance.version)


def form_values(form: forms.BaseForm) -> Values:
    """The form's cleaned values of the model's fields (what the service writes)."""
    model = form._meta.model
    values = {}
    for name in form.fields:
        if name == VERSION_FIELD or name not in form.cleaned_data:
            continue
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        values[name] = form.cleaned_data[name]
    return values


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError on the form: on its fields where it has them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def submit(
    form: forms.BaseModelForm,
    service: ModelService,
    user,
    *,
    obj: models.Model | None = None,
    message: str = "",
    keep: set[str] = frozenset(),
) -> WriteResult:
    """Create (obj None) or update through the service with the form's values (but those
    in `keep`, whose saved value stays); a stale version raises Conflict."""
    values = {name: value for name, value in form_values(form).items() if name not in keep}
    if obj is None:
        return service.create(user, values, message=message)
    version = form.cleaned_data.get(VERSION_FIELD)
    return service.update(obj, user, values, version=version, message=message)


# The conflict page ---------------------------------------------------------------------------
def _key(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | dict):
        return sorted(_key(v) for v in value)
    return None if value == "" else value


def _shown(field: forms.Field, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | dict):
        return "; ".join(_shown(field, v) for v in value) or "—"
    choices = dict(getattr(field, "flatchoices", None) or getattr(field, "choices", None) or ())
    return str(choices.get(value, value))


def _comparable(model_field, value: Any) -> Any:
    """A value as a form, a record and a history snapshot can all be compared by."""
    if model_field.many_to_many:
        key = history.m2m_key_field(model_field)
        return sorted(str(getattr(v, key) if isinstance(v, models.Model) else v) for v in value)
    if isinstance(value, models.Model):
        value = value.pk
    if value in (None, "", []):
        return None
    try:
        value = model_field.to_python(value)
    except ValidationError:
        return value
    return value if isinstance(value, Decimal) else history.plain(value)


def _at_version(conflict: Conflict) -> dict[str, Any]:
    """What the fields changed since the person's version held at that version."""
    original: dict[str, Any] = {}
    for change in conflict.changes_since():
        for name, before, _ in change.diff():
            original.setdefault(name, before)
    return original


def conflict_rows(form: forms.BaseModelForm, conflict: Conflict) -> list[dict]:
    """The fields where the stored record and the person's submission differ, each with
    who changed it: someone else since the person's version, the person, or both. The
    suggested choice keeps the person's value where they changed it, the saved one where
    only someone else did."""
    stored = conflict.obj
    original = _at_version(conflict)
    rows = []
    for name, value in form_values(form).items():
        model_field = stored._meta.get_field(name)
        theirs = (
            list(getattr(stored, name).all()) if model_field.many_to_many else getattr(stored, name)
        )
        if _comparable(model_field, theirs) == _comparable(model_field, value):
            continue
        key = name if model_field.many_to_many else model_field.attname
        changed_since = key in original
        mine = not changed_since or _comparable(model_field, value) != _comparable(
            model_field, original[key]
        )
        field = form.fields[name]
        rows.append(
            {
                "name": name,
                "label": field.label or model_field.verbose_name,
                "theirs": _shown(field, theirs),
                "yours": _shown(field, value),
                "changed_since": changed_since,
                "keep": "mine" if mine else "theirs",
            }
        )
    return rows


def conflict_page(
    request, form: forms.BaseModelForm, conflict: Conflict, *, cancel_url: str
) -> HttpResponse:
    """409: what was saved meanwhile beside what the person sent, and a form that carries
    the person's values with the current version, to save them over consciously."""
    resubmit = [
        (key, value)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", VERSION_FIELD) and not key.startswith(CHOICE)
        for value in request.POST.getlist(key)
    ]
    return render(
        request,
        "core/conflict.html",
        {
            "object": conflict.obj,
            "rows": conflict_rows(form, conflict),
            "changes": conflict.changes_since(),
            "resubmit": resubmit,
            "version": conflict.current,
            "cancel_url": cancel_url,
        },
        status=409,
    )


def save_or_conflict(
    request,
    form: forms.BaseModelForm,
    service: ModelService,
    *,
    obj: models.Model | None = None,
    message: str = "",
    cancel_url: str = "",
) -> WriteResult | HttpResponse | None:
    """Submit a valid form: the write's result, the conflict page (a response), or None
    when the service refused the values (the errors are then on the form)."""
    # On the conflict page the person chose, per field, to keep the saved value or theirs.
    keep = {name for name in form.fields if request.POST.get(CHOICE + name) == "theirs"}
    try:
        return submit(form, service, request.user, obj=obj, message=message, keep=keep)
    except Conflict as conflict:
        if not conflict_rows(form, conflict):
            # Someone else saved exactly what this person sends: nothing to decide.
            return submit_again(form, service, request.user, obj, conflict, message)
        return conflict_page(
            request, form, conflict, cancel_url=cancel_url or request.get_full_path()
        )
    except ValidationError as error:
        add_errors(form, error)
        return None


def submit_again(form, service, user, obj, conflict: Conflict, message: str) -> WriteResult:
    form.cleaned_data[VERSION_FIELD] = conflict.current
    return submit(form, service, user, obj=obj, message=message)
