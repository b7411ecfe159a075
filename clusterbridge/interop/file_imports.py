"""Imports of whole files in formats other than spreadsheets, each run by the app that owns
the records (the EU portal's calls → funding). The app registers its import here in its
`AppConfig.ready()`; interop's page, API and command find it by key, so interop imports no
app."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clusterbridge.accounts.roles import is_editor


@dataclass(frozen=True)
class FileImport:
    key: str  # e.g. "calls"
    label: str  # e.g. "EU Funding & Tenders Portal"
    # run(raw, *, user, dry_run, filename, progress) → a report (e.g. portal.ImportReport);
    # raises the format's error (e.g. portal.PortalFileError) when the file cannot be read.
    run: Callable[..., Any]
    can_import: Callable[[Any], bool] = is_editor


_IMPORTS: dict[str, FileImport] = {}


def register(file_import: FileImport) -> FileImport:
    _IMPORTS[file_import.key] = file_import
    return file_import


def get(key: str) -> FileImport | None:
    return _IMPORTS.get(key)


def run(key: str, raw: bytes, **kwargs) -> Any:
    """Run the registered import `key` (LookupError when no installed app provides it)."""
    found = get(key)
    if found is None:
        raise LookupError(f"No installed app imports “{key}” files.")
    return found.run(raw, **kwargs)
