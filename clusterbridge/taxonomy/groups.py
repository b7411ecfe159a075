"""The feature taxonomy as pages and matrices use it: categories with their features in
order, and the records × features matrices of seed 001 (figures 1–2): features are rows
grouped by category, records are columns, as in the document.

One `Matrix` serves the page (grouped rows, columns with links) and the downloads
(`Matrix.table()`, the spreadsheet layout of the document), so both always agree. The apps
build their own matrices from it (projects, funding).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from clusterbridge.core.spreadsheets import Table
from clusterbridge.taxonomy.models import Feature, FeatureCategory


def feature_groups() -> QuerySet:
    """Feature categories with their features, for grouped checkboxes."""
    return FeatureCategory.objects.prefetch_related(
        Prefetch("features", queryset=Feature.objects.order_by("order"))
    )


def with_feature_codes(queryset: QuerySet) -> QuerySet:
    """Records with their features' codes prefetched (one query for all of them)."""
    return queryset.prefetch_related(Prefetch("features", queryset=Feature.objects.only("code")))


def mark(present: bool) -> str:
    return "Y" if present else ""


@dataclass
class Column:
    """A project or an instrument: its name, page, the header values of the spreadsheet
    (`Matrix.header_labels` order) and the codes of its features."""

    name: str
    url: str
    header: list[str]
    codes: set[str]

    @property
    def details(self) -> list[str]:
        """The header values other than the name, for the page."""
        return [value for value in self.header if value and value != self.name]


@dataclass
class Row:
    feature: Feature
    cells: list[bool]

    @property
    def count(self) -> int:
        return sum(self.cells)


@dataclass
class Group:
    category: FeatureCategory
    rows: list[Row] = field(default_factory=list)


@dataclass
class Matrix:
    title: str
    header_labels: list[str]
    columns: list[Column]
    groups: list[Group]

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    def by_column(self) -> list[tuple[Column, list[tuple[FeatureCategory, list[Feature]]]]]:
        """Each column with its features by category: the list view of a phone."""
        result = []
        for index, column in enumerate(self.columns):
            groups = [
                (group.category, [row.feature for row in group.rows if row.cells[index]])
                for group in self.groups
            ]
            result.append((column, [(c, features) for c, features in groups if features]))
        return result

    def table(self) -> Table:
        """The spreadsheet layout of the document: header rows, then one row per feature."""
        header = [
            ["", label, *(column.header[i] for column in self.columns)]
            for i, label in enumerate(self.header_labels)
        ]
        rows = [
            [
                group.category.label,
                f"{row.feature.code} {row.feature.label}",
                *(mark(cell) for cell in row.cells),
            ]
            for group in self.groups
            for row in group.rows
        ]
        return Table(self.title, header, rows)


def all_features() -> list[Feature]:
    """Every feature with its category, in taxonomy order (one query)."""
    return list(Feature.objects.select_related("category").order_by("category__order", "order"))


def matrix_groups(
    columns: list[Column],
    features: list[Feature],
    categories: Iterable[str] = (),
    only_used: bool = False,
) -> list[Group]:
    """Feature rows by category (all categories unless some are chosen); `only_used` leaves
    out the features no column has."""
    chosen = set(categories)
    groups: dict[str, Group] = {}
    for feature in features:
        if chosen and feature.category.code not in chosen:
            continue
        cells = [feature.code in column.codes for column in columns]
        if only_used and not any(cells):
            continue
        groups.setdefault(feature.category.code, Group(feature.category)).rows.append(
            Row(feature, cells)
        )
    return list(groups.values())
