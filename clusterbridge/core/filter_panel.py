"""The one filter panel of every list page (funding, clusters, projects, strategic
documents, alerts, and the lists still to come): what the panel shows, the chips of the
active filters, and, when nothing matches, which filter emptied the results.

A list view builds a `FilterPanel` from its FilterSet's form and facet counts and passes it
to `partials/filter_panel.html` (the form) and `partials/filter_chips.html` /
`partials/filter_empty.html` (above the results). The HTML and its behaviour on a phone and
with JavaScript are described in docs/filter-panel.md.

Nothing here knows a domain: labels, counts and the way to count come from the view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from django.db.models import Count
from django.forms import BoundField
from django.http import HttpRequest, QueryDict
from django.utils.text import slugify

# Parameters a new filtering drops: it starts at the first page, on the page (no download).
DROPPED = frozenset({"page", "format"})


@dataclass
class Option:
    """One value of a facet: a checkbox (or radio button) with the number of results it
    would give."""

    value: str
    label: str
    count: int | None = None
    checked: bool = False
    url: str = ""  # set by the panel for a facet of links


@dataclass
class Facet:
    """A group of checkboxes (`multiple`) or radio buttons for one query parameter.

    `default` is the value a radio group takes when the parameter is absent (no chip is
    shown for it); for checkboxes, the comma-separated values ticked when the parameter is
    absent (no chips for them either: they are the list's own default); `unfiltered` is the
    value meaning "no restriction" (e.g. status=all), offered as a way out when the results
    are empty. `folded` groups (long taxonomies) are a `<details>` that opens by itself when
    one of its values is ticked; `long` groups scroll inside themselves. `links` groups are
    quick picks for a parameter a plain field of the panel holds (e.g. frequent values of a
    free-text filter): links, not inputs.
    """

    name: str
    label: str
    options: list[Option]
    multiple: bool = True
    default: str = ""
    unfiltered: str = ""
    folded: bool = False
    long: bool = False
    empty_text: str = ""
    links: bool = False
    key: str = ""  # unique id of the group when several facets share a parameter
    kind: Literal["facet"] = "facet"

    def __post_init__(self) -> None:
        self.key = self.key or slugify(self.name)

    @property
    def input_type(self) -> str:
        return "checkbox" if self.multiple else "radio"

    @property
    def ticked(self) -> list[Option]:
        return [option for option in self.options if option.checked]

    @property
    def is_open(self) -> bool:
        return not self.folded or bool(self.ticked)

    @property
    def default_values(self) -> list[str]:
        return [value for value in self.default.split(",") if value]


@dataclass
class Fields:
    """Plain form fields (free text, dates, amounts, a select) under one legend.

    `chips=False` for fields that only present the results (sort order, page size).
    """

    label: str
    fields: list[BoundField]
    chips: bool = True
    kind: Literal["fields"] = "fields"


Section = Facet | Fields


@dataclass(frozen=True)
class Chip:
    """An active filter shown above the results, removable by its link."""

    label: str
    remove_url: str


@dataclass(frozen=True)
class Relaxation:
    """A way out of an empty result: the same search without one filter, and its count."""

    label: str
    count: int
    url: str


@dataclass
class FilterPanel:
    """What `partials/filter_panel.html` renders. `total` is the number of results (the
    phone's "Show N results" button); `noun` its singular and plural."""

    request: HttpRequest
    sections: list[Section]
    total: int
    label: str = "Filters"
    noun: tuple[str, str] = ("result", "results")
    action: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    count: Callable[[QueryDict], int] | None = None
    # Values the list applies when a parameter is absent: left out of the address that the
    # script builds, so a shared link stays short.
    defaults: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.action = self.action or self.request.path
        self.query = self.request.GET.copy()
        self.query.pop("page", None)
        for facet in self.facets:
            if facet.links:
                for option in facet.options:
                    query = self.query.copy()
                    query[facet.name] = option.value
                    option.url = self._url(query)

    # What the page shows ---------------------------------------------------------------
    @property
    def facets(self) -> list[Facet]:
        return [s for s in self.sections if isinstance(s, Facet)]

    @property
    def total_text(self) -> str:
        return f"{self.total:,} {self.noun[0] if self.total == 1 else self.noun[1]}"

    @property
    def rendered_names(self) -> set[str]:
        names = {facet.name for facet in self.facets if not facet.links}
        for section in self.sections:
            if isinstance(section, Fields):
                names.update(bound.html_name for bound in section.fields)
        return names

    @property
    def hidden(self) -> list[tuple[str, str]]:
        """Parameters of the address that no control of the panel holds (a link from
        another page, a filter added by another app): kept when the form is submitted."""
        shown = self.rendered_names
        return [
            (name, value)
            for name, values in self.query.lists()
            if name not in shown and name not in DROPPED
            for value in values
        ]

    @property
    def defaults_query(self) -> str:
        query = QueryDict(mutable=True)
        for name, value in self.defaults.items():
            query[name] = value
        return query.urlencode()

    @property
    def clear_url(self) -> str:
        return self.action

    @cached_property
    def chips(self) -> list[Chip]:
        chips = []
        for section in self.sections:
            if isinstance(section, Facet):
                by_default = section.multiple and section.name not in self.query
                for option in [] if section.links else section.ticked:
                    if not section.multiple and option.value == section.default:
                        continue
                    if by_default and option.value in section.default_values:
                        continue
                    chips.append(
                        Chip(
                            f"{section.label}: {option.label}",
                            self._url(self._without(section.name, option.value)),
                        )
                    )
            elif section.chips:
                for bound in section.fields:
                    text = _shown_value(bound)
                    if text and bound.html_name in self.query:
                        chips.append(
                            Chip(
                                f"{bound.label}: {text}",
                                self._url(self._without(bound.html_name)),
                            )
                        )
        return chips

    @cached_property
    def relaxations(self) -> list[Relaxation]:
        """When nothing matches: each active filter, and how many results there would be
        without it (counted, not guessed), most results first. Empty when the panel has no
        way to count or there are results."""
        if self.total or self.count is None:
            return []
        candidates: list[tuple[str, QueryDict]] = []
        for section in self.sections:
            if isinstance(section, Facet):
                if (
                    section.multiple
                    and section.unfiltered
                    and section.default_values
                    and section.name not in self.query
                ):
                    # The list's default values (e.g. open and forthcoming): the way out is
                    # every value.
                    query = self.query.copy()
                    query[section.name] = section.unfiltered
                    shown = ", ".join(o.label for o in section.ticked)
                    candidates.append((f"{section.label}: {shown}", query))
                    continue
                for option in [] if section.links else section.ticked:
                    if section.multiple:
                        candidates.append(
                            (
                                f"{section.label}: {option.label}",
                                self._without(section.name, option.value),
                            )
                        )
                    elif section.unfiltered and option.value != section.unfiltered:
                        query = self._without(section.name)
                        query[section.name] = section.unfiltered
                        candidates.append((f"{section.label}: {option.label}", query))
            elif section.chips:
                for bound in section.fields:
                    if _shown_value(bound) and bound.html_name in self.query:
                        candidates.append(
                            (
                                f"{bound.label}: {_shown_value(bound)}",
                                self._without(bound.html_name),
                            )
                        )
        found = []
        for label, query in candidates:
            number = self.count(query)
            if number:
                found.append(Relaxation(label, number, self._url(query)))
        return sorted(found, key=lambda r: -r.count)

    # Query strings ---------------------------------------------------------------------
    def _without(self, name: str, value: str | None = None) -> QueryDict:
        query = self.query.copy()
        if value is None:
            query.pop(name, None)
        else:
            # A repeated parameter may also come comma-separated (feature=T1,T2).
            kept = [
                part
                for item in query.getlist(name)
                for part in (item.split(",") if "," in item else [item])
                if part.strip().upper() != value.upper()
            ]
            query.setlist(name, kept)
            if not kept:
                query.pop(name)
        return query

    def _url(self, query: QueryDict) -> str:
        encoded = query.urlencode()
        return f"{self.action}?{encoded}" if encoded else self.action


def _shown_value(bound: BoundField) -> str:
    """The value of a plain field as a person reads it (the label of a chosen option)."""
    value = bound.value()
    if value in (None, "", [], False):
        return ""
    choices = getattr(bound.field, "choices", None)
    if choices:
        labels = {str(k): str(v) for k, v in choices}
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))
    if value is True or value == "true":
        return "yes"
    return str(value)


def other_filter_counts(
    make_filterset: Callable[[QueryDict], object],
    query: QueryDict,
    fields: dict[str, str],
    labels: dict[str, str] | None = None,
) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """Counts of single-valued facets, each with every *other* filter applied (what ticking
    a value would give), in one grouped query.

    `fields` maps each facet's parameter to the path of its value (`"country__code"`,
    `"stage"`); a facet's ticked values match any of them. `labels` maps a facet to the path
    of its values' labels (`"country__label"`), read in the same query.
    `make_filterset(query)` returns the list's FilterSet for a query (its `.qs` is
    filtered). Returns the counts per facet and the labels of the values seen."""
    labels = labels or {}
    base_query = query.copy()
    for name in fields:
        base_query.pop(name, None)
    base = make_filterset(base_query).qs.order_by()
    paths = [*fields.values(), *labels.values()]
    groups = list(base.values(*paths).annotate(n=Count("pk", distinct=True)))
    return counts_of_groups(groups, query, fields, labels)


def counts_of_groups(
    groups: Iterable[dict],
    query: QueryDict,
    fields: dict[str, str],
    labels: dict[str, str] | None = None,
) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """`other_filter_counts` from groups already counted: one dict per combination of the
    facets' values (keys: the paths of `fields` and `labels`) with its number `n`, counted
    with every filter but these facets applied. For a list that holds its rows' facts in
    memory and counts them in Python."""
    labels = labels or {}
    chosen = {
        name: {p.strip().lower() for item in query.getlist(name) for p in item.split(",") if p}
        for name in fields
    }
    counts: dict[str, dict[str, int]] = {name: {} for name in fields}
    names: dict[str, str] = {}
    for group in groups:
        for name, path in fields.items():
            if group[path] in (None, ""):
                continue
            value = str(group[path])
            if name in labels:
                names[value] = str(group[labels[name]])
            others = all(
                not chosen[other] or str(group[other_path]).lower() in chosen[other]
                for other, other_path in fields.items()
                if other != name
            )
            if others:
                counts[name][value] = counts[name].get(value, 0) + group["n"]
    return counts, names


def options(
    choices: Iterable[tuple[str, str]],
    counts: dict | None = None,
    selected: Iterable[str] = (),
    *,
    hide_empty: bool = False,
) -> list[Option]:
    """Options from (value, label) pairs with their counts; values already ticked always
    stay, so they can be unticked."""
    chosen = {str(v) for v in selected}
    result = []
    for value, label in choices:
        count = None if counts is None else counts.get(value, 0)
        checked = str(value) in chosen
        if hide_empty and not count and not checked:
            continue
        result.append(Option(str(value), str(label), count, checked))
    return result


def selected(request: HttpRequest, name: str) -> list[str]:
    """The values of a repeatable parameter, also when given comma-separated."""
    return [
        part.strip()
        for item in request.GET.getlist(name)
        for part in item.split(",")
        if part.strip()
    ]


def field_errors(form) -> dict[str, list[str]]:
    """The form's errors by field label, for the panel's error summary."""
    errors = {}
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors[str(label or name.replace("_", " ").capitalize())] = list(messages)
    return errors


__all__: Sequence[str] = [
    "Chip",
    "Facet",
    "Fields",
    "FilterPanel",
    "Option",
    "Relaxation",
    "field_errors",
    "counts_of_groups",
    "options",
    "other_filter_counts",
    "selected",
]
