"""The one place where alerts and feeds ask other apps which instruments match.

- A saved *search* is the query string of /funding/; it is evaluated by the funding search's
  own FilterSet (`funding.filtersets.InstrumentFilterSet`), so an alert, a feed and the page
  always agree. Where that FilterSet is not installed, a minimal equivalent (open calls,
  feature / country / q) is used.
- A saved *profile* (features, country) is ranked by the matching engine
  (`matching.engine.rank`); where that engine is not installed, instruments sharing at least
  one feature, open and eligible for the country, are taken.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import NoReverseMatch

from clusterbridge.core.search import search, terms
from clusterbridge.funding.models import Instrument
from clusterbridge.taxonomy.models import Country, Feature

PROFILE_LIMIT = 100  # a profile's digest: the best-ranked instruments only


def _filterset_class():
    try:
        from clusterbridge.funding.filtersets import InstrumentFilterSet
    except ImportError:
        return None
    return InstrumentFilterSet


def _unknown(codes: list[str], model, label: str) -> None:
    known = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ValidationError(f"Unknown {label} code(s): {', '.join(unknown)}.")


def _minimal_search(params: QueryDict) -> QuerySet:
    queryset = Instrument.objects.open().real()
    features = params.getlist("feature")
    countries = params.getlist("country")
    _unknown(features, Feature, "feature")
    _unknown(countries, Country, "country")
    for code in features:
        queryset = queryset.filter(features__code=code)
    if countries:
        queryset = queryset.filter(country__code__in=countries)
    if terms(params.get("q", "")):
        queryset = search(queryset, params["q"])
    return queryset.distinct()


def search_instruments(query: str) -> QuerySet:
    """The instruments that the /funding/ page shows for `query` (raises ValidationError)."""
    params = QueryDict(query.lstrip("?"))
    filterset_class = _filterset_class()
    if filterset_class is None:
        return _minimal_search(params)
    filterset = filterset_class(params, queryset=Instrument.objects.all())
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
    try:
        from clusterbridge.matching.engine import Profile, rank
    except ImportError:
        return _overlap(codes, country, on)
    profile = Profile(features=frozenset(codes), country=country, description=description)
    return [match.instrument_id for match in rank(profile, on=on, limit=PROFILE_LIMIT)]


def _overlap(codes: list[str], country: str | None, on: datetime.date | None) -> list[int]:
    if not codes:
        return []
    queryset = Instrument.objects.open(on).real().filter(features__code__in=codes)
    eligible = queryset.filter(origin=Instrument.Origin.INTERNATIONAL)
    if country:
        eligible = eligible | queryset.filter(country__code=country)
    return list(eligible.values_list("pk", flat=True).distinct()[:PROFILE_LIMIT])


def matching_instruments(alert, on: datetime.date | None = None) -> QuerySet:
    """The instruments an alert currently matches (the digest takes the ones not yet sent)."""
    if alert.kind == alert.Kind.PROFILE:
        codes = [feature.code for feature in alert.features.all()]
        country = alert.country.code if alert.country_id else None
        ids = profile_instrument_ids(codes, country, alert.description, on)
        return Instrument.objects.filter(pk__in=ids)
    return search_instruments(alert.query)


def instrument_url(instrument: Instrument) -> str:
    """The instrument's page (the funding app's), else the source link."""
    try:
        return instrument.get_absolute_url()
    except NoReverseMatch:
        return instrument.link or "/funding/"
