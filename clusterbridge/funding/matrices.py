"""The instruments × features matrix (seed 001 figure 2): features are rows grouped by
category, the instruments are columns, as in the document."""

from django.db.models import QuerySet

from clusterbridge.core.spreadsheets import Table
from clusterbridge.taxonomy.groups import feature_rows, with_feature_codes


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
    return Table("Instruments × features", header, feature_rows(columns))
