"""What each app contributes to a person's account, without the accounts app knowing the
apps: a panel on "My ClusterBridge" (`/account/`), the records in "download my data", and
what happens to the person's own records when the account is deleted.

An app registers in its `AppConfig.ready()`:

    from clusterbridge.accounts import dashboard
    dashboard.register(dashboard.Panel(
        key="alerts", title="Saved searches and alerts", order=30,
        template="alerts/_account_panel.html", context=lambda request: {...},
    ))
    dashboard.register_personal_data("alerts", export=lambda user: [...], erase=...)

`context(request)` returns the template context of the panel, or None to hide the panel
for this person (e.g. an editors-only panel).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = 100


@dataclass(frozen=True)
class PersonalData:
    key: str
    # JSON-able records the person made or that describe them ("download my data").
    export: Callable[[Any], Any]
    # Called inside the account-deletion transaction, before the user row goes: remove
    # what is private to the person (saved searches, tokens); records written for others
    # stay and are attributed to "deleted user" in the history.
    erase: Callable[[Any], None] | None = None


_panels: dict[str, Panel] = {}
_personal_data: dict[str, PersonalData] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def register_personal_data(
    key: str,
    export: Callable[[Any], Any],
    erase: Callable[[Any], None] | None = None,
) -> None:
    _personal_data[key] = PersonalData(key, export, erase)


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict]]:
    """The panels this person sees, in order, each with its context (none when signed out)."""
    if not request.user.is_authenticated:
        return []
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request)
        if context is not None:
            shown.append((panel, context))
    return shown


def personal_data() -> list[PersonalData]:
    return sorted(_personal_data.values(), key=lambda d: d.key)
