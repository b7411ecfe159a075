"""The projects × features matrix of seed 001 (figure 1, Annex 2)."""

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

PROJECT_HEADER = ["Supporting cluster", "Project", "Stage", "Call"]


def project_matrix(
    projects: QuerySet,
    categories: Iterable[str] = (),
    only_used: bool = False,
    features: list[Feature] | None = None,
) -> Matrix:
    columns = [
        Column(
            p.name,
            p.get_absolute_url(),
            [p.supporting_cluster, p.name, p.get_stage_display(), p.call],
            {f.code for f in p.features.all()},
        )
        for p in with_feature_codes(projects)
    ]
    groups = matrix_groups(columns, features or all_features(), categories, only_used)
    return Matrix("Projects × features", PROJECT_HEADER, columns, groups)
