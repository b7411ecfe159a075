"""The projects × features matrix of seed 001 (figure 1, Annex 2): features are rows grouped
by category, the projects are columns, as in the document."""

from django.db.models import QuerySet

from clusterbridge.core.spreadsheets import Table
from clusterbridge.taxonomy.groups import feature_rows, with_feature_codes


def project_matrix(projects: QuerySet) -> Table:
    projects = list(with_feature_codes(projects))
    columns = [{f.code for f in p.features.all()} for p in projects]
    header = [
        ["", "Supporting cluster", *(p.supporting_cluster for p in projects)],
        ["", "Project", *(p.name for p in projects)],
        ["", "Stage", *(p.get_stage_display() for p in projects)],
        ["", "Call", *(p.call for p in projects)],
    ]
    return Table("Projects × features", header, feature_rows(columns))
