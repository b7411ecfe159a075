"""Input rules every record obeys, whatever path the value came by (form, API, spreadsheet,
portal file, command): control characters are removed, dates stay within a sane range and
long texts have a ceiling. `TrackedModel.clean_fields` applies them, so a ModelForm, the
services' `validate` and the importers all refuse the same values with the same messages.

The bounds protect the outputs as much as the database: a deadline in year 9999 breaks
iCalendar feeds, a BEL character breaks XML (Atom) and a 2 MB description every page that
shows it."""

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

# C0 control characters except tab, line feed and carriage return, and DEL: XML 1.0 cannot
# hold most of them (an Atom feed with one is not XML) and none belongs in a text typed by
# a person. The same set is dropped from spreadsheet exports.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
# Longest text a TextField accepts; the longest EU portal topic description is far below it.
TEXT_MAX_LENGTH = 50_000


def clean_text(value: str) -> str:
    """The text without control characters (tab, line feed and carriage return stay)."""
    return CONTROL_CHARACTERS.sub("", value)


def clean_value(value: Any) -> Any:
    """`clean_text` applied to a text or to every text inside a JSON value."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value


def date_range_message() -> str:
    return f"Enter a date between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}."


def date_in_range(value: datetime.date | datetime.datetime | None) -> bool:
    if value is None:
        return True
    day = value.date() if isinstance(value, datetime.datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def check_date(value: datetime.date | datetime.datetime | None) -> None:
    """Raise the shared message when a date lies outside the sane range."""
    if not date_in_range(value):
        raise ValidationError(date_range_message(), code="date_range")


def text_too_long_message(length: int) -> str:
    return f"Ensure this text has at most {TEXT_MAX_LENGTH:,} characters (it has {length:,})."


def field_errors(obj: models.Model, exclude: set[str]) -> dict[str, list[str]]:
    """Clean the record's texts in place; return the range and length problems by field."""
    errors: dict[str, list[str]] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.CharField | models.TextField | models.JSONField):
            cleaned = clean_value(value)
            if cleaned != value:
                setattr(obj, field.attname, cleaned)
                value = cleaned
        too_long = (
            isinstance(field, models.TextField)
            and field.max_length is None
            and isinstance(value, str)
            and len(value) > TEXT_MAX_LENGTH
        )
        out_of_range = (
            isinstance(field, models.DateField)  # DateTimeField is one too
            and field.editable
            and isinstance(value, datetime.date)
            and not date_in_range(value)
        )
        if too_long:
            errors.setdefault(field.name, []).append(text_too_long_message(len(value)))
        elif out_of_range:
            errors.setdefault(field.name, []).append(date_range_message())
    return errors
