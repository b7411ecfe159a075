"""The instruments × features matrix of seed 001 (figure 2)."""

from collections.abc import Iterable

from django.db.models import QuerySet

from clusterbridge.taxonomy.groups import (
    Column,
    Matrix,
    all_features,
    matrix_groups,
    with_feature_codes,
)
from clusterbridge.taxonomy.models import Feature

INSTRUMENT_HEADER = [
    "Name of the instrument",
    "Origin",
    "Country",
    "Cover level (EU, national, regional)",
    "Deadlines",
]


def instrument_matrix(
    instruments: QuerySet,
    categories: Iterable[str] = (),
    only_used: bool = False,
    features: list[Feature] | None = None,
) -> Matrix:
    columns = [
        Column(
            i.name,
            i.get_absolute_url(),
            [
                i.name,
                i.get_origin_display(),
                i.country.label if i.country else "",
                i.get_cover_level_display(),
                ", ".join(i.deadline_dates),
            ],
            {f.code for f in i.features.all()},
        )
        for i in with_feature_codes(instruments.select_related("country"))
    ]
    groups = matrix_groups(columns, features or all_features(), categories, only_used)
    return Matrix("Instruments × features", INSTRUMENT_HEADER, columns, groups)
