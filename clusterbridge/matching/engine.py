"""Ranking funding instruments for a project profile, with the reasons (docs/matching.md).

Public interface, used by the pages, the API and other apps:

    rank(Profile(frozenset({"T1", "D2"}), "LT"), limit=10) -> list[Match]
    rank_many([profile, ...], limit=10) -> list[list[Match]]     # the match matrix
    score_table(profiles, instrument_ids) -> {(row, instrument_id): Match}

Score: the weighted share of the profile's features that the instrument also has, each
feature weighing what its category weighs (CATEGORY_WEIGHTS); a feature only suggested for
the instrument from its text, not yet confirmed, weighs half (SUGGESTED_FACTOR) and is
labelled "suggested, not confirmed" in the explanation. Only eligible instruments are
ranked: open or forthcoming on the day (plus "status unknown" when a person asks for it; the
status is funding's one rule, `funding.models.status_of`), national/regional ones only for
their own country. Records incomplete at source rank after every complete one. Ties go to
the nearer next deadline, then to the older record.

Speed: the live instruments' features are held in memory as a 0/1 matrix (instruments ×
features) with their country, dates and deadlines as numpy arrays, built once and rebuilt
when a cheap marker of the instrument tables changes (counts, last change, last ids). A
ranking is then one matrix-vector product and a partial sort; the matrix of many profiles is
a matrix-matrix product done in blocks of profiles to bound the memory.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from clusterbridge.core.models import ObjectChange
from clusterbridge.funding.models import CURRENT_STATUSES, Instrument, Status, status_of
from clusterbridge.suggestions.models import FeatureSuggestion
from clusterbridge.taxonomy.models import Feature

# Points per shared feature, by category: what the instrument funds in the way of
# development stage (D) and general activities (G) matters most to an SME, a shared process
# (P) or application domain (A) less, a shared technique (T) least.
CATEGORY_WEIGHTS: dict[str, int] = {"D": 3, "G": 3, "P": 2, "A": 2, "T": 1}
DEFAULT_WEIGHT = 1
# A feature suggested from an instrument's text (and the portal's keywords and tags) and not
# yet confirmed by an editor counts for half its weight, and is named as such in every
# explanation. Rejected suggestions count for nothing.
SUGGESTED_FACTOR = 0.5
SUGGESTED_LABEL = "suggested, not confirmed"
# Points are kept in halves so that a sort key stays an integer.
_POINT_SCALE = 2

_EPOCH = datetime.date(1970, 1, 1).toordinal()
_NO_DAY = 65535  # days since 1970 fit in 16 bits until 2149; also "no deadline"
_NEVER_OPENED = -(2**31)
_POSITION_BITS = 24
_DAY_BITS = 16
_COMPLETE_BIT = 1 << 60  # above every score: complete records before incomplete ones
_STATUS_CODES = {Status.OPEN: 0, Status.FORTHCOMING: 1, Status.UNKNOWN: 2, Status.CLOSED: 3}
_STATUS_NAMES = {code: str(status) for status, code in _STATUS_CODES.items()}


def _day(value: datetime.date | None, default: int) -> int:
    return value.toordinal() - _EPOCH if value else default


def _date(day: int) -> datetime.date | None:
    return None if day >= _NO_DAY else datetime.date.fromordinal(int(day) + _EPOCH)


@dataclass(frozen=True)
class Profile:
    """What a project uses, does and needs (feature codes), and where it is based."""

    features: frozenset[str]
    country: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Match:
    instrument_id: int
    score: float  # 0..1: weighted share of the profile's features the instrument covers
    points: float  # the weighted shared features (score = points / profile points)
    shared: list[str]  # codes in common (confirmed on the instrument), in taxonomy order
    missing: list[str]  # codes the profile needs that the instrument does not cover
    deadline: datetime.date | None  # next cut-off on or after the day; None: none given
    status: str  # "open", "forthcoming" or "unknown" (when asked for)
    opening_date: datetime.date | None
    reasons: list[str] = field(default_factory=list)
    incomplete: bool = False  # incomplete at source: ranked after the complete records
    # codes in common only through a suggestion for the instrument (half weight)
    suggested: list[str] = field(default_factory=list)
    # With `group_incomplete`: the programme entry this match stands for, and how many of
    # its records incomplete at source match (this one, the best of them, included).
    group: str = ""
    group_size: int = 0

    @property
    def percent(self) -> int:
        return round(self.score * 100)


class _Index:
    """Immutable snapshot of the live instruments, as arrays in instrument id order."""

    def __init__(self, marker):
        self.marker = marker
        features = list(
            Feature.objects.select_related("category").order_by("category__order", "order", "code")
        )
        self.codes = [f.code for f in features]
        self.position = {code: i for i, code in enumerate(self.codes)}
        self.labels = {f.code: f.label for f in features}
        self.weights = np.array(
            [CATEGORY_WEIGHTS.get(f.category.code, DEFAULT_WEIGHT) for f in features],
            dtype=np.float32,
        )
        rows = list(
            Instrument.objects.order_by("id").values_list(
                "id",
                "origin",
                "cover_level",
                "country__code",
                "country__label",
                "opening_date",
                "final_deadline",
                "deadline_dates",
                "is_synthetic",
                "kind",
                "period_start",
                "period_end",
                "work_programme_year",
                "closed_reason",
                "incomplete_at_source",
                "source_group",
            )
        )
        n = len(rows)
        self.ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        self.country_codes = sorted({r[3] for r in rows if r[3]})
        self.country_labels = {r[3]: r[4] for r in rows if r[3]}
        country_pos = {code: i for i, code in enumerate(self.country_codes)}
        self.country = np.fromiter(
            (country_pos.get(r[3], -1) for r in rows), dtype=np.int32, count=n
        )
        self.restricted = np.fromiter(
            (
                r[1] == Instrument.Origin.NATIONAL
                or r[2] in (Instrument.CoverLevel.NATIONAL, Instrument.CoverLevel.REGIONAL)
                for r in rows
            ),
            dtype=bool,
            count=n,
        )
        self.opening = np.fromiter(
            (_day(r[5], _NEVER_OPENED) for r in rows), dtype=np.int32, count=n
        )
        self.final = np.fromiter((_day(r[6], _NO_DAY) for r in rows), dtype=np.int32, count=n)
        width = max([len(r[7] or []) for r in rows] + [1])
        self.deadlines = np.full((n, width), _NO_DAY, dtype=np.int32)
        for i, r in enumerate(rows):
            for j, iso in enumerate(r[7] or []):
                self.deadlines[i, j] = _day(datetime.date.fromisoformat(iso), _NO_DAY)
        self.synthetic = np.fromiter((r[8] for r in rows), dtype=bool, count=n)
        # What the status rule reads, per row; statuses are computed once per day.
        self.status_facts = [
            {
                "kind": r[9],
                "opening_date": r[5],
                "final_deadline": r[6],
                "period_start": r[10],
                "period_end": r[11],
                "work_programme_year": r[12],
                "closed_reason": r[13],
            }
            for r in rows
        ]
        self._statuses: dict[int, np.ndarray] = {}
        self.incomplete = np.fromiter((r[14] for r in rows), dtype=bool, count=n)
        # Programme entry (`source_group`) of each record incomplete at source, as a number;
        # -1 for complete records and ungrouped ones.
        self.group_names = sorted({r[15] for r in rows if r[14] and r[15]})
        group_of = {name: i for i, name in enumerate(self.group_names)}
        self.group = np.fromiter(
            (group_of[r[15]] if r[14] and r[15] else -1 for r in rows), dtype=np.int32, count=n
        )
        self.matrix = np.zeros((n, len(self.codes)), dtype=np.float32)
        row_of = {int(pk): i for i, pk in enumerate(self.ids)}
        code_of = dict(Feature.objects.values_list("id", "code"))
        links = Instrument.features.through.objects.values_list("instrument_id", "feature_id")
        for instrument_id, feature_id in links.iterator(chunk_size=20000):
            row = row_of.get(instrument_id)
            column = self.position.get(code_of.get(feature_id))
            if row is not None and column is not None:
                self.matrix[row, column] = 1.0
        for instrument_id, feature_id in _pending_suggestions():
            row = row_of.get(instrument_id)
            column = self.position.get(code_of.get(feature_id))
            if row is not None and column is not None and self.matrix[row, column] == 0:
                self.matrix[row, column] = SUGGESTED_FACTOR
        self.row_of = row_of

    # Per-call vectors ----------------------------------------------------------------------
    def weight_vector(self, codes: Iterable[str]) -> np.ndarray:
        vector = np.zeros(len(self.codes), dtype=np.float32)
        for code in codes:
            column = self.position.get(code)
            if column is not None:
                vector[column] = self.weights[column]
        return vector

    def statuses(self, day: int) -> np.ndarray:
        """Each row's status code on `day` (funding's one rule, cached per day)."""
        codes = self._statuses.get(day)
        if codes is None:
            on = _date(day) or datetime.date.max
            codes = np.fromiter(
                (_STATUS_CODES[status_of(on=on, **facts)] for facts in self.status_facts),
                dtype=np.int8,
                count=len(self.status_facts),
            )
            self._statuses = {day: codes}  # one day at a time is all a process needs
        return codes

    def window(
        self, day: int, include_synthetic: bool, statuses: Iterable[str] = CURRENT_STATUSES
    ) -> np.ndarray:
        """Instruments whose status on `day` is one of `statuses` (open or forthcoming
        unless a person also asks for "unknown"); closed ones never."""
        wanted = [_STATUS_CODES[s] for s in statuses if s != Status.CLOSED]
        keep = np.isin(self.statuses(day), wanted)
        if not include_synthetic:
            keep &= ~self.synthetic
        return keep

    def country_rule(self, country: str | None) -> np.ndarray:
        """National/regional instruments only for their own country; with no country given,
        all of them (each says whom it is for). An instrument whose country is not recorded
        is not excluded."""
        if country is None:
            return np.ones(len(self.ids), dtype=bool)
        code = self.country_codes.index(country) if country in self.country_labels else -2
        return ~self.restricted | (self.country == code) | (self.country == -1)

    def next_deadlines(self, rows: np.ndarray, day: int) -> np.ndarray:
        block = self.deadlines[rows]
        return np.where(block >= day, block, _NO_DAY).min(axis=1)

    def tiebreak(self, rows: np.ndarray, day: int) -> np.ndarray:
        """Lower bits of the sort key: nearer next deadline first, then lower id."""
        upcoming = np.clip(self.next_deadlines(rows, day), 0, _NO_DAY).astype(np.int64)
        later = (_NO_DAY - upcoming) << _POSITION_BITS
        complete = np.where(self.incomplete[rows], 0, _COMPLETE_BIT).astype(np.int64)
        return complete | later | ((1 << _POSITION_BITS) - 1 - rows.astype(np.int64))


def _pending_suggestions():
    """(instrument id, feature id) of the suggestions no one has confirmed or rejected yet."""
    content_type = ContentType.objects.get_for_model(Instrument)
    rows = FeatureSuggestion.objects.filter(
        content_type=content_type, status=FeatureSuggestion.Status.SUGGESTED
    ).values_list("object_id", "feature_id")
    for object_id, feature_id in rows.iterator(chunk_size=20000):
        if object_id.isdigit():
            yield int(object_id), feature_id


_lock = threading.Lock()
_index: _Index | None = None


def _marker() -> tuple:
    """Changes whenever instruments, their feature links, features or the suggestions of
    features change, in one cheap
    query (no table scan): last ids catch bulk inserts, and the last history entry of an
    instrument or a feature catches every edit, soft delete and restore (every write goes
    through core.history). A hard delete outside the history is not seen: call
    clear_cache() after one."""
    instrument = Instrument._meta.db_table
    links = Instrument.features.through._meta.db_table
    feature = Feature._meta.db_table
    change = ObjectChange._meta.db_table
    types = ContentType.objects.get_for_models(Instrument, Feature, FeatureSuggestion)
    # SQLite may hand out the ids of rolled-back rows again, so it also counts the rows
    # (cheap there); PostgreSQL never reuses ids, and counting would scan the table.
    count = f"(SELECT COUNT(*) FROM {instrument})" if connection.vendor == "sqlite" else "0"  # noqa: S608
    sql = (
        f"SELECT {count}, (SELECT MAX(id) FROM {instrument}), "  # noqa: S608
        f"(SELECT MAX(id) FROM {links}), (SELECT COUNT(*) FROM {feature}), "
        f"(SELECT id FROM {change} WHERE content_type_id IN (%s, %s, %s) "
        "ORDER BY id DESC LIMIT 1), "
        f"(SELECT time FROM {change} WHERE content_type_id IN (%s, %s, %s) "
        "ORDER BY id DESC LIMIT 1)"
    )
    ids = [types[Instrument].pk, types[Feature].pk, types[FeatureSuggestion].pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, ids + ids)  # table names come from the models, values are params
        return tuple(cursor.fetchone())


def index() -> _Index:
    global _index
    marker = _marker()
    current = _index
    if current is not None and current.marker == marker:
        return current
    with _lock:
        if _index is None or _index.marker != marker:
            _index = _Index(marker)
        return _index


def clear_cache() -> None:
    global _index
    with _lock:
        _index = None


# Ranking ----------------------------------------------------------------------------------
def _restrict(idx: _Index, instruments) -> np.ndarray | None:
    if instruments is None:
        return None
    if hasattr(instruments, "values_list"):
        instruments = instruments.values_list("id", flat=True)
    wanted = np.fromiter((int(pk) for pk in instruments), dtype=np.int64)
    return np.isin(idx.ids, wanted)


def _ordered(idx: _Index, codes: Iterable[str]) -> list[str]:
    return sorted(codes, key=lambda code: idx.position.get(code, len(idx.codes)))


def _explain(
    idx: _Index, profile: Profile, row: int, points: int, total: float, deadline_day: int, day: int
) -> Match:
    values = idx.matrix[row]
    has = {idx.codes[j] for j in np.flatnonzero(values >= 1)}
    only_suggested = {idx.codes[j] for j in np.flatnonzero((values > 0) & (values < 1))}
    wanted = [code for code in _ordered(idx, profile.features) if code in idx.position]
    shared = [code for code in wanted if code in has]
    suggested = [code for code in wanted if code in only_suggested]
    missing = [code for code in wanted if code not in has and code not in only_suggested]
    opening_day = int(idx.opening[row])
    status = _STATUS_NAMES[int(idx.statuses(day)[row])]
    forthcoming = status == Status.FORTHCOMING
    opening = _date(opening_day) if opening_day != _NEVER_OPENED else None
    deadline = _date(int(deadline_day))
    reasons = [fits_because([idx.labels[c] for c in shared], [idx.labels[c] for c in suggested])]
    if missing:
        reasons.append("Missing: " + ", ".join(idx.labels[c] for c in missing))
    if deadline:
        reasons.append(f"Next deadline: {deadline.isoformat()}")
    else:
        reasons.append("No deadline given (continuous or not stated)")
    if forthcoming:
        start = idx.status_facts[row]["period_start"]
        opens = max(d for d in (opening, start) if d)
        reasons.append(f"Not open yet: opens on {opens.isoformat()}")
    if status == Status.UNKNOWN:
        reasons.append(
            "Status unknown: no deadline or programme period recorded; check at the source"
        )
    if idx.incomplete[row]:
        reasons.append("Incomplete at source: the source truncates or leaves this record unnamed")
    if idx.restricted[row]:
        country = idx.country_codes[idx.country[row]] if idx.country[row] >= 0 else None
        if country is None:
            reasons.append(
                "National or regional instrument; its country is not recorded: check who may apply"
            )
        elif profile.country is None:
            reasons.append(f"Only for applicants from {idx.country_labels[country]}")
        else:
            reasons.append(f"National or regional instrument of {idx.country_labels[country]}")
    else:
        reasons.append("International: open to applicants from every country")
    return Match(
        instrument_id=int(idx.ids[row]),
        score=round(float(points) / float(total), 4) if total else 0.0,
        points=float(points),
        shared=shared,
        missing=missing,
        suggested=suggested,
        deadline=deadline,
        status=status,
        opening_date=opening,
        reasons=reasons,
        incomplete=bool(idx.incomplete[row]),
    )


def fits_because(shared: list[str], suggested: list[str]) -> str:
    """ "Fits because: AI (ML), Prototype; Health (suggested, not confirmed)" """
    parts = list(shared) + [f"{label} ({SUGGESTED_LABEL})" for label in suggested]
    return "Fits because: " + ", ".join(parts)


def _key_points(points: np.ndarray) -> np.ndarray:
    return np.rint(points * _POINT_SCALE).astype(np.int64)


def _day_of(on: datetime.date | None) -> int:
    return _day(on or timezone.localdate(), 0)


def search(
    profile: Profile,
    *,
    on: datetime.date | None = None,
    offset: int = 0,
    limit: int | None = None,
    instruments=None,
    include_synthetic: bool = False,
    statuses: Iterable[str] = CURRENT_STATUSES,
    hidden: Iterable[int] = (),
    group_incomplete: bool = False,
) -> tuple[int, list[Match]]:
    """(number of matching instruments, the ranked matches from `offset`, at most `limit`).
    `statuses`: open and forthcoming by default; add "unknown" to see records whose dates
    are not known. `hidden`: instruments left out (the ones a person dismissed).
    `group_incomplete`: records incomplete at source that share a programme entry count and
    show as one match, their best (`Match.group`, `Match.group_size`), as the public funding
    list shows them; they rank after the complete records either way."""
    idx = index()
    day = _day_of(on)
    vector = idx.weight_vector(profile.features)
    total = float(vector.sum())
    if total == 0 or len(idx.ids) == 0:
        return 0, []
    points = idx.matrix @ vector
    keep = (
        idx.window(day, include_synthetic, statuses)
        & idx.country_rule(profile.country)
        & (points > 0)
    )
    restricted_to = _restrict(idx, instruments)
    if restricted_to is not None:
        keep &= restricted_to
    if hidden:
        keep &= ~np.isin(idx.ids, np.fromiter(hidden, dtype=np.int64))
    rows = np.flatnonzero(keep)
    key = (_key_points(points[rows]) << (_DAY_BITS + _POSITION_BITS)) | idx.tiebreak(rows, day)
    sizes: dict[int, int] = {}
    if group_incomplete and len(rows):
        rows, key, sizes = _one_per_group(idx, rows, key)
    count = len(rows)
    if count == 0 or (limit is not None and limit <= 0) or offset >= count:
        return count, []
    wanted = count if limit is None else min(count, offset + limit)
    top = np.argpartition(-key, wanted - 1)[:wanted] if wanted < count else np.arange(count)
    top = top[np.argsort(-key[top])][offset:wanted]
    chosen = rows[top]
    deadlines = idx.next_deadlines(chosen, day)
    matches = [
        _explain(idx, profile, int(row), points[row], total, deadline, day)
        for row, deadline in zip(chosen, deadlines, strict=True)
    ]
    for position, row in enumerate(chosen):
        group = int(idx.group[row])
        if group in sizes:
            matches[position] = replace(
                matches[position], group=idx.group_names[group], group_size=sizes[group]
            )
    return count, matches


def _one_per_group(idx: _Index, rows: np.ndarray, key: np.ndarray):
    """`rows` and `key` with each programme entry's incomplete records reduced to the best
    ranked of them, and {group number: how many of its records matched}."""
    groups = idx.group[rows]
    grouped = np.flatnonzero(groups >= 0)
    if len(grouped) == 0:
        return rows, key, {}
    # Best key first within each group, then the first of each group.
    order = grouped[np.lexsort((-key[grouped], groups[grouped]))]
    numbers, first, counts = np.unique(groups[order], return_index=True, return_counts=True)
    keep = np.zeros(len(rows), dtype=bool)
    keep[groups < 0] = True
    keep[order[first]] = True
    sizes = {int(n): int(c) for n, c in zip(numbers, counts, strict=True)}
    return rows[keep], key[keep], sizes


def rank(
    profile: Profile,
    *,
    on: datetime.date | None = None,
    limit: int | None = None,
    instruments=None,
    include_synthetic: bool = False,
    statuses: Iterable[str] = CURRENT_STATUSES,
) -> list[Match]:
    """The eligible instruments sharing at least one feature with the profile, best first.

    `instruments` (ids or a queryset) restricts the ranking to those instruments; synthetic
    instruments are left out unless `include_synthetic`."""
    return search(
        profile,
        on=on,
        limit=limit,
        instruments=instruments,
        include_synthetic=include_synthetic,
        statuses=statuses,
    )[1]


def rank_many(
    profiles: Sequence[Profile],
    *,
    on: datetime.date | None = None,
    limit: int = 10,
    include_synthetic: bool = False,
    block: int = 64,
) -> list[list[Match]]:
    """The best `limit` matches of every profile (the projects × instruments matrix).

    Every profile is scored against every instrument; profiles go in blocks so the
    intermediate matrices stay small (block × instruments)."""
    idx = index()
    day = _day_of(on)
    if len(idx.ids) == 0 or limit <= 0:
        return [[] for _ in profiles]
    window = idx.window(day, include_synthetic)
    every_row = np.arange(len(idx.ids))
    tiebreak = idx.tiebreak(every_row, day)
    upcoming = idx.next_deadlines(every_row, day)
    country_rules: dict[str | None, np.ndarray] = {}
    results: list[list[Match]] = []
    transposed = np.ascontiguousarray(idx.matrix.T)
    for start in range(0, len(profiles), block):
        chunk = profiles[start : start + block]
        weights = np.stack([idx.weight_vector(p.features) for p in chunk])
        totals = weights.sum(axis=1)
        points = weights @ transposed  # chunk × instruments
        key = _key_points(points) << (_DAY_BITS + _POSITION_BITS)
        key |= tiebreak
        for i, profile in enumerate(chunk):
            if profile.country not in country_rules:
                country_rules[profile.country] = window & idx.country_rule(profile.country)
            key[i][~country_rules[profile.country] | (points[i] <= 0)] = -1
        take = min(limit, len(idx.ids))
        best = np.argpartition(-key, take - 1, axis=1)[:, :take]
        for i, profile in enumerate(chunk):
            rows = best[i][np.argsort(-key[i, best[i]])]
            rows = rows[key[i, rows] >= 0]
            results.append(
                [
                    _explain(idx, profile, int(row), points[i, row], totals[i], upcoming[row], day)
                    for row in rows
                ]
            )
    return results


def score_table(
    profiles: Sequence[Profile], instrument_ids: Iterable[int], *, on: datetime.date | None = None
) -> dict[tuple[int, int], Match]:
    """Match of each (profile position, instrument id) pair that is eligible and shares a
    feature, for a matrix page whose columns are already chosen."""
    idx = index()
    day = _day_of(on)
    rows = np.array([idx.row_of[pk] for pk in instrument_ids if pk in idx.row_of], dtype=np.int64)
    table: dict[tuple[int, int], Match] = {}
    if len(rows) == 0:
        return table
    window = idx.window(day, include_synthetic=True)[rows]
    upcoming = idx.next_deadlines(rows, day)
    for position, profile in enumerate(profiles):
        vector = idx.weight_vector(profile.features)
        points = idx.matrix[rows] @ vector
        eligible = window & idx.country_rule(profile.country)[rows] & (points > 0)
        for k in np.flatnonzero(eligible):
            match = _explain(
                idx, profile, int(rows[k]), points[k], float(vector.sum()), upcoming[k], day
            )
            table[(position, match.instrument_id)] = match
    return table


def feature_labels() -> dict[str, str]:
    """Feature labels as of the current index (they were checked by the ranking just done)."""
    current = _index or index()
    return dict(current.labels)
