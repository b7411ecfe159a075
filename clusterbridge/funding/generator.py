"""Synthetic funding instruments for scale tests and demos (`generate_instruments`).

Every record is flagged `is_synthetic` and stays out of the catalogue, its counts and its
pages unless asked for. The shape follows the real records: a call usually names a few
techniques, one development stage and some general activities; most are national.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from clusterbridge.core import history
from clusterbridge.core.history import Action
from clusterbridge.funding.models import Deadline, Instrument, today
from clusterbridge.taxonomy.models import Country, Feature

TOPICS = (
    "cybersecurity",
    "drones",
    "robotics",
    "smart cities",
    "energy",
    "health",
    "mobility",
    "agrifood",
    "logistics",
    "manufacturing",
    "space",
    "maritime",
    "textiles",
    "tourism",
    "construction",
    "water",
    "circular economy",
    "creative industries",
    "defence",
    "retail",
    "microelectronics",
    "quantum",
    "hydrogen",
    "batteries",
    "forestry",
    "chemicals",
)
CALL_WORDS = (
    "innovation vouchers",
    "accelerator",
    "pilot projects",
    "cluster cooperation",
    "research and development",
    "demonstration",
    "scale-up support",
    "export support",
    "skills partnership",
    "testing facilities",
    "cascade funding",
    "seed grants",
)
PREFIXES = (
    "Regional",
    "National",
    "Cross-border",
    "European",
    "Open",
    "Green",
    "Digital",
    "Smart",
    "Resilient",
    "Joint",
)
VOCABULARY = """
support small medium enterprises clusters consortium partners applicants eligible costs
grant funding rate lump sum prototype pilot validation market uptake deployment testing
interoperability standards certification security privacy resilience artificial
intelligence machine learning sensors data platform cloud edge analytics detection
monitoring situational awareness emergency response critical infrastructure municipality
region university research organisation laboratory training skills internationalisation
export matchmaking networking mentoring coaching investment venture capital loans
guarantees public procurement innovation demonstration sustainability energy efficiency
emissions climate adaptation circular materials manufacturing automation robotics drones
satellites navigation imaging visualisation simulation digital twin blockchain quantum
photonics semiconductors batteries hydrogen health wellbeing ageing mobility transport
logistics ports maritime agriculture food tourism culture creative heritage construction
buildings water waste forestry textile cooperation collaboration ecosystem value chain
supply resilience recovery transition startups scaleups incubation acceleration
feasibility study business plan intellectual property patents licensing open source
software hardware integration end users citizens
""".split()  # noqa: SIM905 — easier to read and extend as prose
CURRENCIES = ("EUR", "EUR", "EUR", "DKK", "PLN", "SEK", "CZK")


def _weighted(rng: random.Random, items: list, k: int) -> list:
    """k distinct items, earlier ones more likely (a few features are very common)."""
    weights = [1 / (rank + 1) for rank in range(len(items))]
    chosen: dict = {}
    while len(chosen) < min(k, len(items)):
        chosen[rng.choices(items, weights)[0]] = True
    return list(chosen)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(VOCABULARY) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def generate_instruments(
    count: int, *, seed: int | None = None, user=None, batch_size: int = 2000
) -> int:
    """Create `count` synthetic instruments with bulk inserts; one history entry for all."""
    rng = random.Random(seed)
    features = list(Feature.objects.select_related("category").order_by("category__order", "order"))
    by_category: dict[str, list] = {}
    for feature in features:
        by_category.setdefault(feature.category.code, []).append(feature)
    countries = list(Country.objects.order_by("code"))
    start = today()
    first_id = last_id = None
    made = 0
    with transaction.atomic():
        while made < count:
            size = min(batch_size, count - made)
            batch, chosen = [], []
            for _ in range(size):
                instrument, instrument_features = _one(rng, by_category, countries, start)
                instrument.prepare_for_save()
                batch.append(instrument)
                chosen.append(instrument_features)
            Instrument.objects.bulk_create(batch)
            Deadline.objects.bulk_create(
                [Deadline(instrument_id=i.pk, date=d) for i in batch for d in i.deadlines]
            )
            Through = Instrument.features.through
            Through.objects.bulk_create(
                [
                    Through(instrument_id=i.pk, feature_id=f.pk)
                    for i, fs in zip(batch, chosen, strict=True)
                    for f in fs
                ]
            )
            first_id = first_id or batch[0].pk
            last_id = batch[-1].pk
            made += size
        if made:
            # One entry for the batch rather than 100,000: the records are throw-away test
            # data, and the history stays readable. It sits on the first generated record.
            history.record(
                Instrument.all_objects.get(pk=first_id),
                Action.IMPORT,
                user=user,
                before={},
                after={"generated": made, "seed": seed, "first_id": first_id, "last_id": last_id},
                message=f"Generated {made} synthetic instruments (ids {first_id}–{last_id}, "
                f"seed {seed}).",
            )
    return made


def _one(rng, by_category, countries, start):
    national = rng.random() < 0.65
    kind = Instrument.Kind.CALL if rng.random() < 0.8 else Instrument.Kind.PROGRAMME
    topic = rng.choice(TOPICS)
    name = f"{rng.choice(PREFIXES)} {topic} {rng.choice(CALL_WORDS)} {rng.randint(2024, 2028)}"
    opening = start + datetime.timedelta(days=rng.randint(-400, 90))
    if kind == Instrument.Kind.CALL and rng.random() < 0.9:
        periodicity = rng.choice([Instrument.Periodicity.ONE_OFF, Instrument.Periodicity.RECURRING])
        cut_offs = rng.choice([1, 1, 1, 2, 3])
        deadlines = sorted(
            {opening + datetime.timedelta(days=rng.randint(20, 540)) for _ in range(cut_offs)}
        )
    else:
        periodicity = Instrument.Periodicity.CONTINUOUS
        deadlines = []
    features = (
        _weighted(rng, by_category.get("T", []), rng.choice([0, 1, 1, 2, 2, 3]))
        + _weighted(rng, by_category.get("P", []), rng.choice([0, 1, 2, 3]))
        + _weighted(rng, by_category.get("A", []), rng.choice([0, 0, 0, 1]))
        + _weighted(rng, by_category.get("D", []), 1)
        + _weighted(rng, by_category.get("G", []), rng.choice([1, 2, 3, 4]))
    )
    budget = rng.choice([None, None, Decimal(rng.randint(5, 2000) * 10000)])
    instrument = Instrument(
        kind=kind,
        name=name,
        source=f"{rng.choice(PREFIXES)} {topic} agency",
        origin=Instrument.Origin.NATIONAL if national else Instrument.Origin.INTERNATIONAL,
        cover_level=(
            rng.choice([Instrument.CoverLevel.NATIONAL, Instrument.CoverLevel.REGIONAL])
            if national
            else Instrument.CoverLevel.EU
        ),
        country=rng.choice(countries) if national and countries else None,
        budget_amount=budget,
        budget_currency=rng.choice(CURRENCIES) if budget else "",
        periodicity=periodicity,
        opening_date=opening,
        deadline_dates=[d.isoformat() for d in deadlines],
        description=" ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(3)),
        target_organisations=rng.choice(
            [
                "SMEs",
                "SMEs and research organisations",
                "Cluster organisations",
                "Start-ups",
                "Consortia",
            ]
        ),
        is_synthetic=True,
    )
    return instrument, features
