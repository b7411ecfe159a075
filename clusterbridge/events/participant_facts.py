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
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

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


@dataclass
class Facts:
    people: dict[int, Person]
    # Codes of every feature and term a profile links to, deleted ones too (as a join reads
    # them); labels of the live ones only, in taxonomy order (as their managers read them).
    feature_codes: dict[int, str]
    term_codes: dict[int, str]
    features: list[tuple[int, str, str]]
    ecosystems: list[tuple[int, str, str]]
    # Who offers, seeks or belongs to each feature, term or word: ranking looks only at the
    # people sharing something with the viewer. Built here, not kept in the shared cache.
    offering: dict[int, set[int]] = field(init=False, repr=False)
    seeking: dict[int, set[int]] = field(init=False, repr=False)
    members: dict[int, set[int]] = field(init=False, repr=False)
    offer_word: dict[str, set[int]] = field(init=False, repr=False)
    seek_word: dict[str, set[int]] = field(init=False, repr=False)
    # Worked out once per version in this process: the counts over everyone (by `side`),
    # and each viewer's ranking (by viewer and length).
    everyone: dict[str, tuple[Counter, Counter, Counter]] = field(init=False, repr=False)
    ranked: dict[tuple[int, int], list] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.everyone, self.ranked = {}, {}
        self.offering, self.seeking, self.members = {}, {}, {}
        self.offer_word, self.seek_word = {}, {}
        for person in self.people.values():
            for index, keys in (
                (self.offering, person.offers),
                (self.seeking, person.seeks),
                (self.members, person.ecosystems),
                (self.offer_word, person.offer_words),
                (self.seek_word, person.seek_words),
            ):
                for key in keys:
                    index.setdefault(key, set()).add(person.pk)

    def tally(self, pks, side: str = "") -> tuple[Counter, Counter, Counter]:
        """Among the people `pks`: how many per (country, organisation type, country's
        label), per ecosystem code, and per feature code they offer or seek (one each,
        however many sides), or only offer or only seek when `side` says so."""
        groups: Counter = Counter()
        ecosystems: Counter = Counter()
        features: Counter = Counter()
        empty: frozenset = frozenset()
        for pk in pks:
            person = self.people[pk]
            groups[(person.country, person.type, person.country_label)] += 1
            ecosystems.update({self.term_codes[t] for t in person.ecosystems})
            linked = (person.offers if side != "seeks" else empty) | (
                person.seeks if side != "offers" else empty
            )
            features.update({self.feature_codes[f] for f in linked})
        return groups, ecosystems, features

    def tally_of_others(self, me: int, side: str = "") -> tuple[Counter, Counter, Counter]:
        """`tally` of everyone but `me`: everyone's, counted once per version, less mine."""
        if side not in self.everyone:
            self.everyone[side] = self.tally(self.people, side)
        if me not in self.people:
            return self.everyone[side]
        mine = self.tally([me], side)
        return tuple(all_ - own for all_, own in zip(self.everyone[side], mine, strict=True))

    def sharing(self, person: Person) -> set[int]:
        """Everyone who offers what `person` seeks or seeks what they offer (features or
        words), or shares an ecosystem with them: the only people a ranking can score."""
        found: set[int] = set()
        for index, keys in (
            (self.offering, person.seeks),
            (self.seeking, person.offers),
            (self.members, person.ecosystems),
            (self.offer_word, person.seek_words),
            (self.seek_word, person.offer_words),
        ):
            for key in keys:
                found.update(index.get(key, ()))
        return found


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
    packed = cache.get(shared_key)
    if packed is None:
        facts = read(event)
        cache.set(shared_key, _pack(facts), KEPT_FOR)
    else:
        facts = _unpack(packed)
    with _lock:
        _kept[key] = (now, facts)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_EVENTS:
            _kept.popitem(last=False)
    return facts


def _pack(facts: Facts) -> tuple:
    """Plain tuples and strings for the shared cache: unpickled several times faster than
    objects and sets."""
    people = [
        (
            *(p.pk, p.name, p.organisation_id, p.country, p.country_label, p.type),
            *(tuple(p.offers), tuple(p.seeks), tuple(p.ecosystems)),
            *(" ".join(p.offer_words), " ".join(p.seek_words)),
        )
        for p in facts.people.values()
    ]
    return (
        people,
        facts.feature_codes,
        facts.term_codes,
        facts.features,
        facts.ecosystems,
    )


def _unpack(packed: tuple) -> Facts:
    people, feature_codes, term_codes, features, ecosystems = packed
    return Facts(
        people={
            row[0]: Person(
                *row[:6],
                frozenset(row[6]),
                frozenset(row[7]),
                frozenset(row[8]),
                frozenset(row[9].split()),
                frozenset(row[10].split()),
            )
            for row in people
        },
        feature_codes=feature_codes,
        term_codes=term_codes,
        features=features,
        ecosystems=ecosystems,
    )


def forget() -> None:
    """Drop what this process keeps (tests: a rolled-back database may reuse an event id)."""
    with _lock:
        _kept.clear()
