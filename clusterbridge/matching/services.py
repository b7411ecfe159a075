"""Matching as used by the pages and the API: profiles from records described by features
(projects, or any kind registered in taxonomy.profiles) or from a request, and ranked matches
with their instruments loaded in one query."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from clusterbridge.funding.models import Instrument
from clusterbridge.matching import engine
from clusterbridge.taxonomy import domains


def profile_for(record) -> engine.Profile:
    """The profile of a record described by features (a project…): its features (and its
    industrial ecosystems as application domains), country and description.
    Features must be prefetched or are read in one query."""
    codes = {f.code for f in record.features.all()}
    # Application domains are the industrial ecosystems: a record that states its ecosystems
    # (a cluster, an organisation) is matched on them like on category-A features.
    if hasattr(record, "ecosystems"):
        codes |= {domains.feature_code(term.code) for term in record.ecosystems.all()}
    codes = frozenset(codes)
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
    def suggested(self) -> list[tuple[str, str]]:
        """Features in common only through a suggestion for the instrument, not confirmed."""
        return [(code, self.labels[code]) for code in self.match.suggested]

    @property
    def missing(self) -> list[tuple[str, str]]:
        return [(code, self.labels[code]) for code in self.match.missing]

    @property
    def url(self) -> str:
        return self.instrument.get_absolute_url()

    @property
    def group_url(self) -> str:
        """The funding list of every record of the programme entry this result stands for."""
        if not self.match.group_size:
            return ""
        query = urlencode({"source_group": self.match.group, "status": "all"})
        return f"{reverse('funding:search')}?{query}"

    @property
    def explanation(self) -> str:
        text = engine.fits_because(
            [label for _, label in self.shared], [label for _, label in self.suggested]
        )
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


def hidden_for(request) -> set[int]:
    """The instruments this person dismissed, left out of their matches as of their searches
    (`funding.filtersets.HIDDEN_FOR`), unless the query asks `show_dismissed`."""
    from clusterbridge.funding.filtersets import HIDDEN_FOR

    if request.GET.get("show_dismissed", "").lower() in ("1", "true", "on", "yes"):
        return set()
    hidden: set[int] = set()
    for hook in HIDDEN_FOR:
        hidden |= hook(request)
    return hidden


def results_for(
    profile: engine.Profile,
    *,
    limit: int = 20,
    offset: int = 0,
    statuses=engine.CURRENT_STATUSES,
    hidden=(),
    group_incomplete=False,
):
    """(count, results) for one profile, real instruments only; open and forthcoming ones
    unless `statuses` asks for more ("unknown"); `hidden` left out; with `group_incomplete`
    one entry per programme entry of records incomplete at source (the page; downloads and
    the API list every record, as the funding exports do)."""
    count, matches = engine.search(
        profile,
        offset=offset,
        limit=limit,
        statuses=statuses,
        hidden=hidden,
        group_incomplete=group_incomplete,
    )
    return count, with_instruments(matches)
