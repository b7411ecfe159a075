"""What an event's participant list knows of its participants whoever looks: each confirmed
participant's organisation (country, type), features offered and sought, ecosystems and
profile words, with the labels of features and ecosystems.

Read once per profiles version (`matchmaking.profiles_version`) in six queries and shared by
every viewer: kept in this process (a few events) and in the shared cache (other processes).
A viewer's page then counts its facets and ranks "suggested for you" in Python; only what
is theirs (who they are, which filters they chose) is worked out per request. Only the
list's pages read it, after checking that the viewer takes part in the event; it holds no
e-mail address.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import cache

from clusterbridge.events.models import Event, Participant, Registration
from clusterbridge.taxonomy.models import Feature, Term, Vocabulary

# Seconds. A profile's, seat's or organisation's change makes a new version anyway; this
# bounds how long an edited label of a feature or an ecosystem may be shown as before.
KEPT_FOR = 600
KEPT_EVENTS = 8  # events whose facts a process keeps (about 1 MB each at 1,000 participants)


@dataclass(frozen=True)
class Person:
    """One participant as the list and the ranking see them (ids of features and terms)."""

    pk: int
    name: str
    organisation_id: int | None
    country: str | None
    country_label: str | None
    type: str | None
    offers: frozenset[int]
    seeks: frozenset[int]
    ecosystems: frozenset[int]
    offer_words: frozenset[str]
    seek_words: frozenset[str]


@dataclass(frozen=True)
class Facts:
    people: dict[int, Person]
    # Codes of every feature and term a profile links to, deleted ones too (as a join reads
    # them); labels of the live ones only, in taxonomy order (as their managers read them).
    feature_codes: dict[int, str]
    term_codes: dict[int, str]
    features: list[tuple[int, str, str]]
    ecosystems: list[tuple[int, str, str]]


def live_participants(event: Event):
    """The participants every viewer of the list may see: confirmed seats, live profiles."""
    confirmed = Registration.Status.CONFIRMED
    return Participant.objects.filter(event=event, registration__status=confirmed)


def read(event: Event) -> Facts:
    """The facts from the database: six queries whatever the number of participants."""
    live = live_participants(event).order_by()
    links: dict[str, dict[int, set[int]]] = {}
    feature_codes: dict[int, str] = {}
    term_codes: dict[int, str] = {}
    for relation, column, codes in (
        ("offer_features", "feature", feature_codes),
        ("seek_features", "feature", feature_codes),
        ("ecosystems", "term", term_codes),
    ):
        through = getattr(Participant, relation).through
        rows = through.objects.filter(participant__in=live.values("pk")).values_list(
            "participant_id", f"{column}_id", f"{column}__code"
        )
        found = links[relation] = {}
        for person, value, code in rows:
            found.setdefault(person, set()).add(value)
            codes[value] = code
    empty: frozenset = frozenset()
    people = {}
    for row in live.values_list(
        "pk",
        "display_name",
        "organisation_id",
        "organisation__country__code",
        "organisation__country__label",
        "organisation__type",
        "offer_words",
        "seek_words",
    ):
        pk, name, organisation, country, label, kind, offer_words, seek_words = row
        people[pk] = Person(
            pk=pk,
            name=name,
            organisation_id=organisation,
            country=country,
            country_label=label,
            type=kind,
            offers=frozenset(links["offer_features"].get(pk, empty)),
            seeks=frozenset(links["seek_features"].get(pk, empty)),
            ecosystems=frozenset(links["ecosystems"].get(pk, empty)),
            offer_words=frozenset(offer_words.split()),
            seek_words=frozenset(seek_words.split()),
        )
    return Facts(
        people=people,
        feature_codes=feature_codes,
        term_codes=term_codes,
        features=list(Feature.objects.values_list("pk", "code", "label")),
        ecosystems=list(
            Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS).values_list("pk", "code", "label")
        ),
    )


_kept: OrderedDict[tuple[int, str], tuple[float, Facts]] = OrderedDict()
_lock = threading.Lock()


def facts_of(event: Event, version: str) -> Facts:
    """The event's facts at this profiles version: kept in this process, else read from the
    shared cache, else from the database (and put in both)."""
    key = (event.pk, version)
    now = time.monotonic()
    with _lock:
        found = _kept.get(key)
        if found is not None and now - found[0] < KEPT_FOR:
            _kept.move_to_end(key)
            return found[1]
    shared_key = f"events.participant-facts.{event.pk}.{version}"
    facts = cache.get(shared_key)
    if facts is None:
        facts = read(event)
        cache.set(shared_key, facts, KEPT_FOR)
    with _lock:
        _kept[key] = (now, facts)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_EVENTS:
            _kept.popitem(last=False)
    return facts


def forget() -> None:
    """Drop what this process keeps (tests: a rolled-back database may reuse an event id)."""
    with _lock:
        _kept.clear()
