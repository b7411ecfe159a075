"""The one place where alerts and feeds ask other apps which instruments match.

- A saved *search* is the query string of /funding/; it is evaluated by the funding search's
  own FilterSet (`funding.filtersets.InstrumentFilterSet`), so an alert, a feed and the page
  always agree.
- A saved *profile* (features, country) is ranked by the matching engine
  (`matching.engine.rank`), like /match/.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict

from clusterbridge.funding.filtersets import InstrumentFilterSet
from clusterbridge.funding.models import Instrument
from clusterbridge.matching.engine import Profile, rank

PROFILE_LIMIT = 100  # a profile's digest: the best-ranked instruments only


def search_instruments(query: str) -> QuerySet:
    """The instruments that the /funding/ page shows for `query` (raises ValidationError)."""
    params = QueryDict(query.lstrip("?"))
    filterset = InstrumentFilterSet(params, queryset=Instrument.objects.all())
    if not filterset.is_valid():
        messages = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
        raise ValidationError(messages)
    return filterset.qs


def validate_query(query: str) -> None:
    search_instruments(query).exists()


def profile_instrument_ids(
    codes: list[str], country: str | None, description: str = "", on: datetime.date | None = None
) -> list[int]:
    """Instruments matching a profile, best first."""
    profile = Profile(features=frozenset(codes), country=country, description=description)
    return [match.instrument_id for match in rank(profile, on=on, limit=PROFILE_LIMIT)]


def matching_instruments(alert, on: datetime.date | None = None) -> QuerySet:
    """The instruments an alert currently matches (the digest takes the ones not yet sent)."""
    if alert.kind == alert.Kind.PROFILE:
        codes = [feature.code for feature in alert.features.all()]
        country = alert.country.code if alert.country_id else None
        ids = profile_instrument_ids(codes, country, alert.description, on)
        return Instrument.objects.filter(pk__in=ids)
    return search_instruments(alert.query)


def instrument_url(instrument: Instrument) -> str:
    return instrument.get_absolute_url()
