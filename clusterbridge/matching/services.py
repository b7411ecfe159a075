"""Matching as used by the pages and the API: profiles from records described by features
(projects, or any kind registered in taxonomy.profiles) or from a request, and ranked matches
with their instruments loaded in one query."""

from dataclasses import dataclass

from clusterbridge.funding.models import Instrument
from clusterbridge.matching import engine


def profile_for(record) -> engine.Profile:
    """The profile of a record described by features (a project…): its features, country
    and description. Features must be prefetched or are read in one query."""
    codes = frozenset(f.code for f in record.features.all())
    country = record.country.code if record.country_id else None
    return engine.Profile(codes, country, record.description)


@dataclass
class Result:
    match: engine.Match
    instrument: Instrument
    labels: dict[str, str]

    @property
    def shared(self) -> list[tuple[str, str]]:
        return [(code, self.labels[code]) for code in self.match.shared]

    @property
    def missing(self) -> list[tuple[str, str]]:
        return [(code, self.labels[code]) for code in self.match.missing]

    @property
    def url(self) -> str:
        return self.instrument.get_absolute_url()

    @property
    def explanation(self) -> str:
        text = "Fits because: " + ", ".join(label for _, label in self.shared)
        if self.missing:
            text += "; missing: " + ", ".join(label for _, label in self.missing)
        return text


def with_instruments(matches: list[engine.Match]) -> list[Result]:
    instruments = Instrument.objects.select_related("country").in_bulk(
        [m.instrument_id for m in matches]
    )
    labels = engine.feature_labels()
    return [
        Result(m, instruments[m.instrument_id], labels)
        for m in matches
        if m.instrument_id in instruments
    ]


def results_for(
    profile: engine.Profile,
    *,
    limit: int = 20,
    offset: int = 0,
    statuses=engine.CURRENT_STATUSES,
):
    """(count, results) for one profile, real instruments only; open and forthcoming ones
    unless `statuses` asks for more ("unknown")."""
    count, matches = engine.search(profile, offset=offset, limit=limit, statuses=statuses)
    return count, with_instruments(matches)
