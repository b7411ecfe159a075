"""What each app shows on the home page, without the core app knowing the apps: an app
registers a section in its `AppConfig.ready()`:

    from clusterbridge.core import home
    home.register(home.Section(key="funding", order=10,
                               template="funding/_home.html", context=funding_home))

`context(request)` returns the section's template context, or None to leave it out.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = 100


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    _sections[section.key] = section


def sections_for(request: HttpRequest) -> list[tuple[Section, dict]]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request)
        if context is not None:
            shown.append((section, context))
    return shown
