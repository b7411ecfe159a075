"""Loading reference data from the versioned files under clusterbridge/data/.

Policy: a record that a person has changed on the site is not overwritten by a reload; a
record only ever touched by loads follows the file. Both go through the history.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@cache
def read_json(relative_path: str) -> Any:
    with (DATA_DIR / relative_path).open(encoding="utf-8") as handle:
        return json.load(handle)


def changed_by_people(obj: models.Model) -> bool:
    # Entries without a user (loads, expire_calls and other commands) are not people's edits.
    return (
        history.history_of(obj)
        .filter(user__isnull=False)
        .exclude(action=ObjectChange.Action.LOAD)
        .exists()
    )


def upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    m2m: dict[str, list] | None = None,
) -> str:
    """Create or refresh one reference record. Returns "created", "updated" or "unchanged"."""
    manager = getattr(model, "all_objects", model._default_manager)
    obj = manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        history.save(
            obj, m2m=m2m, action=ObjectChange.Action.LOAD, message="Loaded from reference data"
        )
        return "created"
    if changed_by_people(obj):
        return "unchanged"
    for name, value in values.items():
        setattr(obj, name, value)
    change = history.save(
        obj, m2m=m2m, action=ObjectChange.Action.LOAD, message="Reloaded from reference data"
    )
    return "updated" if change else "unchanged"


def run_loaders(stdout=None) -> dict[str, dict[str, int]]:
    from django.utils.module_loading import import_string

    results = {}
    for dotted in settings.REFERENCE_LOADERS:
        results[dotted] = import_string(dotted)(stdout=stdout)
    return results
