"""Kinds of records described by taxonomy features that other apps can work with by kind,
without importing the app that owns them: matching ranks funding for any of them (its match
matrix, `/api/v1/<kind>/<id>/matches/`). The owning app registers its kind in its
`AppConfig.ready()`; a new app (organisations, marketplace…) adds one line.

A record of a registered kind has `features` (taxonomy features), `country` and
`description` — what `matching.services.profile_for` reads."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class ProfileKind:
    key: str  # the API path segment, e.g. "projects"
    label: str  # e.g. "Projects"
    # The records a person may see (anonymous: the public ones), real records only.
    visible: Callable[[object], QuerySet]


_KINDS: dict[str, ProfileKind] = {}


def register(kind: ProfileKind) -> ProfileKind:
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> ProfileKind | None:
    return _KINDS.get(key)


def kinds() -> list[ProfileKind]:
    return list(_KINDS.values())
