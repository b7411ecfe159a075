"""Small builders for instruments and projects used by the matching and projects tests."""

import datetime

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.projects.models import Project, Visibility
from clusterbridge.taxonomy.models import Country, Feature


def make_instrument(
    name,
    features,
    *,
    origin="international",
    cover_level="",
    country=None,
    deadlines=(),
    opening=None,
    synthetic=False,
    period_end=datetime.date(2099, 12, 31),
    **fields,
) -> Instrument:
    """An instrument; by default within a (test) programme period running to 2099, so it is
    open without a deadline. Pass period_end=None for one whose dates are unknown."""
    instrument = Instrument(
        name=name,
        origin=origin,
        cover_level=cover_level,
        country=Country.objects.get(code=country) if country else None,
        deadline_dates=[d.isoformat() if isinstance(d, datetime.date) else d for d in deadlines],
        opening_date=opening,
        is_synthetic=synthetic,
        period_end=period_end,
        **fields,
    )
    history.save(instrument, m2m={"features": list(Feature.objects.filter(code__in=features))})
    return instrument


def make_project(
    name, features, *, owner=None, country=None, visibility=Visibility.PUBLIC
) -> Project:
    project = Project(
        name=name,
        owner=owner,
        visibility=visibility,
        country=Country.objects.get(code=country) if country else None,
    )
    history.save(
        project, user=owner, m2m={"features": list(Feature.objects.filter(code__in=features))}
    )
    return project
