"""The feature matrices of seed 001: projects × features (figure 1, Annex 2) and
instruments × features (figure 2). Features are rows grouped by category, the projects or
instruments are columns, as in the document."""

from django.db.models import Prefetch, QuerySet

from clusterbridge.projects.exports import Table, mark
from clusterbridge.taxonomy.models import Feature


def _features() -> list[Feature]:
    return list(Feature.objects.select_related("category").order_by("category__order", "order"))


def _feature_rows(columns: list[set[str]]) -> list[list]:
    rows = []
    for feature in _features():
        rows.append(
            [
                feature.category.label,
                f"{feature.code} {feature.label}",
                *(mark(feature.code in codes) for codes in columns),
            ]
        )
    return rows


def with_feature_codes(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(Prefetch("features", queryset=Feature.objects.only("code")))


def project_matrix(projects: QuerySet) -> Table:
    projects = list(with_feature_codes(projects))
    columns = [{f.code for f in p.features.all()} for p in projects]
    header = [
        ["", "Supporting cluster", *(p.supporting_cluster for p in projects)],
        ["", "Project", *(p.name for p in projects)],
        ["", "Stage", *(p.get_stage_display() for p in projects)],
        ["", "Call", *(p.call for p in projects)],
    ]
    return Table("Projects × features", header, _feature_rows(columns))


def instrument_matrix(instruments: QuerySet) -> Table:
    instruments = list(with_feature_codes(instruments.select_related("country")))
    columns = [{f.code for f in i.features.all()} for i in instruments]
    header = [
        ["", "Name of the instrument", *(i.name for i in instruments)],
        ["", "Origin", *(i.get_origin_display() for i in instruments)],
        ["", "Country", *(i.country.label if i.country else "" for i in instruments)],
        [
            "",
            "Cover level (EU, national, regional)",
            *(i.get_cover_level_display() for i in instruments),
        ],
        ["", "Deadlines", *(", ".join(i.deadline_dates) for i in instruments)],
    ]
    return Table("Instruments × features", header, _feature_rows(columns))
