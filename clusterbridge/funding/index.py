"""The funding search's inverted index: one per server process, answering the filters and
facet counts of `InstrumentFilterSet` from bitmaps (pyroaring), so SQL only fetches the page
of rows. docs/decisions.md ("Funding search: an inverted index per process") says why.

What it holds, for the live (not deleted) instruments:
- a bitmap per feature, country, origin, kind, synthetic flag and status bucket;
- the deadlines as sorted arrays (a deadline window is a slice), the budgets as an array;
- for each sort order of the search, every instrument's rank, read from the database with
  the filter set's own ORDER BY (so ties and collation are the database's);
- per word of the search texts (the very text the database's full-text index holds), the
  instruments having it, having it more than once, and having it in the name: a query word
  is a prefix (FTS5's "word"*, tsquery's word:*), a sorted vocabulary gives its range.

Freshness: `SearchVersion.token` changes with every write (triggers on the instrument,
feature and deadline tables). Each request reads it (one small query); an index built at
another token is not used. The same triggers write the change log (`SearchChange`), naming
the instruments written: the request re-reads only those and makes a new index from the old
one (`apply`). When that is not possible (a taxonomy write, a pruned log, a rolled-back
write the index had applied, too many writes) the index is rebuilt whole, in this request
(`SEARCH_INDEX_BACKGROUND` false, as in tests) or in a background thread while this request
is answered by the ORM filter itself — correct, only slower.

Statuses come from the one status rule of the model (`funding.models.status_of`, which
`Instrument.status_on` and the database conditions follow), applied once per distinct
combination of the fields it reads, for the day asked.
"""

from __future__ import annotations

import array
import bisect
import contextlib
import ctypes
import dataclasses
import datetime
import gc
import inspect
import itertools
import re
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from pyroaring import BitMap, FrozenBitMap

from clusterbridge.core.search import fold, terms
from clusterbridge.funding.models import Deadline, Instrument, Status, status_of, today
from clusterbridge.taxonomy.models import Country, Feature

# The fields the status rule (`status_of`) reads; the index groups instruments by them.
STATUS_FIELDS = tuple(name for name in inspect.signature(status_of).parameters if name != "on")
STATUSES = list(Status)
STATUS_CODES = {status: code for code, status in enumerate(STATUSES)}

# Sort orders of the search, as the filter set names them, and their ORDER BY.
SOONEST = (F("final_deadline").asc(nulls_last=True), "name", "pk")
ORDERS = {
    "deadline": SOONEST,
    "-deadline": (F("final_deadline").desc(nulls_last=True), "name", "pk"),
    "name": ("name", "pk"),
    "-name": ("-name", "pk"),
}
# Free-text words whose matches are kept (least recently used go first).
TERM_CACHE_SIZE = 256

# A word as FTS5's unicode61 tokenizer sees one: letters and digits (the text is folded).
TOKEN = re.compile(r"[^\W_]+")

TABLES = (
    "funding_instrument",
    "funding_instrument_features",
    "funding_deadline",
    "taxonomy_feature",
    "taxonomy_country",
)


RESTRICTED_COVER = (Instrument.CoverLevel.NATIONAL, Instrument.CoverLevel.REGIONAL)


def is_restricted(origin: str, cover_level: str) -> bool:
    """National and regional instruments are for applicants of their own country
    (`Instrument.is_country_specific`, matching's country rule)."""
    return origin == Instrument.Origin.NATIONAL or cover_level in RESTRICTED_COVER


def _bitmap(ids) -> BitMap:
    # pyroaring reads an array.array of unsigned ints at once; a numpy array or a list it
    # walks one value at a time (several times slower).
    values = array.array("I")
    values.frombytes(np.ascontiguousarray(ids, dtype=np.uint32).tobytes())
    return BitMap(values)


# The bitmap of no instrument, shared by the words that have none (never changed in place).
EMPTY = FrozenBitMap()


def _union(bitmaps) -> BitMap:
    return BitMap.union(*bitmaps) if bitmaps else BitMap()


@dataclass
class Term:
    """The instruments having a word starting with a query word: anywhere, more than once,
    in the name."""

    ids: BitMap
    repeated: BitMap
    in_name: BitMap


@dataclass
class Words:
    """The words of every instrument's search text, sorted, with their bitmaps."""

    vocabulary: list[str]
    anywhere: list[BitMap]
    repeated: list[BitMap]
    in_name: list[BitMap]


@dataclass
class Index:
    token: str
    universe: BitMap
    synthetic: BitMap
    origin: dict[str, BitMap]
    kind: dict[str, BitMap]
    country: dict[int | None, BitMap]
    unrestricted: BitMap  # open to applicants from every country (not national/regional)
    feature: dict[int, BitMap]
    # The facts the status rule reads: each distinct combination once (a row of codes into
    # `status_values`, one table per field of STATUS_FIELDS), and each instrument's row
    # (indexed by instrument id, -1 for none).
    status_values: tuple[dict, ...]
    status_combos: np.ndarray
    status_combo: np.ndarray
    deadline_days: np.ndarray  # sorted ordinals
    deadline_ids: np.ndarray  # the instrument of each
    budget_ids: np.ndarray
    budgets: np.ndarray  # float, NaN where not stated
    ranks: dict[str, np.ndarray]  # order → rank, indexed by instrument id
    words: Words
    feature_codes: dict[str, int]  # the live taxonomy, code → id
    country_codes: dict[str, int]
    country_labels: dict[str, str]
    built_in: float = 0.0
    seq: int = 0  # the last row of the change log applied
    known: frozenset = frozenset()  # the log rows applied, within WINDOW of `seq`
    incomplete: BitMap = field(default_factory=BitMap)  # incomplete at source
    source_group: dict[str, BitMap] = field(default_factory=dict)  # programme entry → ids
    _status: dict = field(default_factory=dict)
    _terms: OrderedDict = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # Statuses ------------------------------------------------------------------------------
    def status(self, on: datetime.date, known=None) -> dict[str, BitMap]:
        """Status → ids on the day, from the model's own status rule (`known`: the statuses
        of the first combinations, already computed)."""
        if on not in self._status:
            codes = self.combo_statuses(on, known)
            ids = np.frombuffer(self.universe.to_array(), dtype=np.uint32)
            of_each = codes[self.status_combo[ids]]
            self._status = {
                on: (
                    codes,
                    {STATUSES[s]: _bitmap(ids[of_each == s]) for s in np.unique(of_each)},
                )
            }
        return self._status[on][1]

    def combo_statuses(self, on: datetime.date, known=None) -> np.ndarray:
        """The status on the day of each distinct combination of facts: the model's own
        rule, once per combination. `known`: those of the first combinations, already
        computed."""
        start = 0 if known is None else len(known)
        values = [list(table) for table in self.status_values]
        fresh = np.fromiter(
            (
                STATUS_CODES[
                    status_of(
                        on=on,
                        **{
                            name: values[j][code]
                            for j, (name, code) in enumerate(zip(STATUS_FIELDS, row, strict=True))
                        },
                    )
                ]
                for row in self.status_combos[start:].tolist()
            ),
            dtype=np.int8,
            count=len(self.status_combos) - start,
        )
        return fresh if known is None else np.concatenate([known, fresh])

    # Free text -----------------------------------------------------------------------------
    def term(self, word: str) -> Term:
        """Every word of the texts starting with `word` (FTS5's "word"*, tsquery's word:*)."""
        with self._lock:
            if word in self._terms:
                self._terms.move_to_end(word)
                return self._terms[word]
        vocabulary = self.words.vocabulary
        lo = bisect.bisect_left(vocabulary, word)
        hi = bisect.bisect_left(vocabulary, word[:-1] + chr(ord(word[-1]) + 1))
        found = Term(
            _union(self.words.anywhere[lo:hi]),
            _union(self.words.repeated[lo:hi]),
            _union(self.words.in_name[lo:hi]),
        )
        with self._lock:
            self._terms[word] = found
            while len(self._terms) > TERM_CACHE_SIZE:
                self._terms.popitem(last=False)
        return found

    def text(self, query: str) -> tuple[BitMap, list[Term]]:
        """Instruments with every word of the query as a word prefix."""
        words = [part for word in terms(query) for part in TOKEN.findall(word)]
        found = [self.term(word) for word in words]
        if not found:
            return BitMap(), []
        return BitMap.intersection(*[t.ids for t in found]), found

    # Filters -------------------------------------------------------------------------------
    def deadline_window(self, after, before) -> BitMap:
        lo = 0 if after is None else np.searchsorted(self.deadline_days, after.toordinal(), "left")
        hi = (
            len(self.deadline_days)
            if before is None
            else np.searchsorted(self.deadline_days, before.toordinal(), "right")
        )
        return _bitmap(self.deadline_ids[lo:hi])

    def budget(self, low=None, high=None) -> BitMap:
        mask = ~np.isnan(self.budgets)
        if low is not None:
            mask &= self.budgets >= float(low)
        if high is not None:
            mask &= self.budgets <= float(high)
        return _bitmap(self.budget_ids[mask])

    def open_to(self, country_ids) -> BitMap:
        """Open to applicants from any of the countries (`filtersets.open_to`)."""
        return _union(
            [self.unrestricted, self.country.get(None, BitMap())]
            + [self.country.get(pk, BitMap()) for pk in country_ids]
        )

    def memory(self) -> int:
        """Bytes held by the bitmaps (their serialized size, close to the memory they use)
        and the arrays: an estimate for the bench."""
        bitmaps = [self.universe, self.synthetic, self.unrestricted, self.incomplete]
        for group in (self.origin, self.kind, self.country, self.feature, self.source_group):
            bitmaps += group.values()
        arrays = [self.deadline_days, self.deadline_ids, self.budget_ids, self.budgets]
        arrays += [self.status_combos, self.status_combo, *self.ranks.values()]
        for codes, buckets in self._status.values():
            arrays.append(codes)
            bitmaps += buckets.values()
        for term in self._terms.values():
            bitmaps += [term.ids, term.repeated, term.in_name]
        bitmaps += self.words.anywhere + self.words.repeated + self.words.in_name
        return sum(len(b.serialize()) for b in bitmaps) + sum(a.nbytes for a in arrays)


# Building ----------------------------------------------------------------------------------
# Change-log rows below the last one applied that are read again: on PostgreSQL a
# transaction can commit a row numbered below one committed earlier.
WINDOW = 256
# The log is pruned down to KEEP rows when a full build finds more than PRUNE_AT.
PRUNE_AT = 50000
KEEP = 5000
# What is read of each instrument, in one pass: these, the status rule's facts, the texts.
FACTS = (
    "pk",
    "origin",
    "kind",
    "country_id",
    "is_synthetic",
    "budget_amount",
    "cover_level",
    "incomplete_at_source",
    "source_group",
)
STATUS_AT = len(FACTS)
COLUMNS = (*FACTS, *STATUS_FIELDS, "name", "search_text")
# Rows read at a time: the build never holds a list of every row, only one chunk of them
# (a server-side cursor on PostgreSQL), and turns each into arrays and bitmaps.
CHUNK = 10000
PAIR_CHUNK = 100000


def read_token() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM funding_searchversion ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else ""


def _in_chunks(rows, size: int):
    """Lists of at most `size` rows from an iterator."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, size)):
        yield batch


def _or_into(target: dict, found: dict) -> None:
    """Add each key's ids (a list) to the key's bitmap in `target`."""
    for key, pks in found.items():
        if key in target:
            target[key] |= _bitmap(pks)
        else:
            target[key] = _bitmap(pks)


@dataclass
class Read:
    """What the index keeps of some instruments, read in chunks (`_read`)."""

    ids: np.ndarray  # uint32, in the order read
    origin: dict[str, BitMap] = field(default_factory=dict)
    kind: dict[str, BitMap] = field(default_factory=dict)
    country: dict[int | None, BitMap] = field(default_factory=dict)
    source_group: dict[str, BitMap] = field(default_factory=dict)
    synthetic: BitMap = field(default_factory=BitMap)
    unrestricted: BitMap = field(default_factory=BitMap)
    incomplete: BitMap = field(default_factory=BitMap)
    budget_ids: np.ndarray = None
    budgets: np.ndarray = None
    facts: np.ndarray = None  # per instrument, its status facts as codes (`status_values`)
    anywhere: dict[str, BitMap] = field(default_factory=dict)
    repeated: dict[str, BitMap] = field(default_factory=dict)
    in_name: dict[str, BitMap] = field(default_factory=dict)


def _read(querysets, tables: tuple[dict, ...]) -> Read:
    """Read the instruments of the querysets, a chunk at a time. `tables` (one per status
    field: value → code) get the values not seen before."""
    read = Read(ids=np.empty(0, dtype=np.uint32))
    ids, budget_ids, budgets, facts = [], [], [], []
    for queryset in querysets:
        rows = queryset.values_list(*COLUMNS).iterator(chunk_size=CHUNK)
        for batch in _in_chunks(rows, CHUNK):
            ids.append(np.fromiter((row[0] for row in batch), dtype=np.uint32, count=len(batch)))
            groups: tuple[dict, ...] = ({}, {}, {}, {})
            synthetic, unrestricted, incomplete, budgeted, amounts = [], [], [], [], []
            words: tuple[dict, ...] = ({}, {}, {})
            for row in batch:
                pk, origin, kind, country, fake, budget, cover, partial, group = row[:9]
                groups[0].setdefault(origin, []).append(pk)
                groups[1].setdefault(kind, []).append(pk)
                groups[2].setdefault(country, []).append(pk)
                if group:
                    groups[3].setdefault(group, []).append(pk)
                if fake:
                    synthetic.append(pk)
                if partial:
                    incomplete.append(pk)
                if not is_restricted(origin, cover):
                    unrestricted.append(pk)
                if budget is not None:
                    budgeted.append(pk)
                    amounts.append(float(budget))
                for word, n in Counter(TOKEN.findall(row[-1])).items():
                    words[0].setdefault(word, []).append(pk)
                    if n > 1:
                        words[1].setdefault(word, []).append(pk)
                for word in set(TOKEN.findall(fold(row[-2]))):
                    words[2].setdefault(word, []).append(pk)
            codes = np.empty((len(batch), len(tables)), dtype=np.int32)
            for j, table in enumerate(tables):
                codes[:, j] = [table.setdefault(row[STATUS_AT + j], len(table)) for row in batch]
            facts.append(codes)
            budget_ids.append(np.array(budgeted, dtype=np.uint32))
            budgets.append(np.array(amounts, dtype=np.float64))
            for target, found in zip(
                (read.origin, read.kind, read.country, read.source_group), groups, strict=True
            ):
                _or_into(target, found)
            for target, found in zip(
                (read.anywhere, read.repeated, read.in_name), words, strict=True
            ):
                _or_into(target, found)
            read.synthetic |= _bitmap(synthetic)
            read.unrestricted |= _bitmap(unrestricted)
            read.incomplete |= _bitmap(incomplete)
    if ids:
        read.ids = np.concatenate(ids)
    read.budget_ids = np.concatenate(budget_ids) if ids else np.empty(0, dtype=np.uint32)
    read.budgets = np.concatenate(budgets) if ids else np.empty(0, dtype=np.float64)
    read.facts = np.concatenate(facts) if facts else np.empty((0, len(tables)), dtype=np.int32)
    return read


def _feature_pairs(sql: str, params=()) -> dict[int, BitMap]:
    """Feature → its instruments, from (instrument, feature) rows read a chunk at a time."""
    feature: dict[int, BitMap] = {}
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(PAIR_CHUNK):
            pairs = np.fromiter(
                itertools.chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows)
            ).reshape(-1, 2)
            del rows
            pairs = pairs[np.argsort(pairs[:, 1], kind="stable")]
            features, starts = np.unique(pairs[:, 1], return_index=True)
            for feature_id, chunk in zip(
                features.tolist(), np.split(pairs[:, 0], starts[1:]), strict=True
            ):
                if feature_id in feature:
                    feature[feature_id] |= _bitmap(chunk)
                else:
                    feature[feature_id] = _bitmap(chunk)
    return feature


def _deadlines(queryset) -> tuple[np.ndarray, np.ndarray]:
    """(days, instruments) of the deadlines, sorted by day."""
    days, owners = [], []
    rows = queryset.values_list("date", "instrument_id").iterator(chunk_size=PAIR_CHUNK)
    for batch in _in_chunks(rows, PAIR_CHUNK):
        days.append(
            np.fromiter((d.toordinal() for d, _ in batch), dtype=np.int32, count=len(batch))
        )
        owners.append(np.fromiter((i for _, i in batch), dtype=np.uint32, count=len(batch)))
    days_ = np.concatenate(days) if days else np.empty(0, dtype=np.int32)
    owners_ = np.concatenate(owners) if owners else np.empty(0, dtype=np.uint32)
    order = np.argsort(days_, kind="stable")
    return days_[order], owners_[order]


def _combos(facts: np.ndarray, top: int, ids: np.ndarray, offset: int = 0):
    """The distinct rows of status facts, and each instrument's (by id) row number."""
    combos, inverse = np.unique(facts, axis=0, return_inverse=True)
    of_id = np.full(top, -1, dtype=np.int32)
    of_id[ids] = inverse.reshape(-1) + offset
    return combos, of_id


def _words_of(read: Read) -> Words:
    vocabulary = sorted(read.anywhere)
    return Words(
        vocabulary,
        [read.anywhere[w] for w in vocabulary],
        [read.repeated.get(w, EMPTY) for w in vocabulary],
        [read.in_name.get(w, EMPTY) for w in vocabulary],
    )


def release_memory() -> None:
    """Give the memory freed by a build back to the system: the chunks read come and go,
    and glibc's malloc keeps freed memory for the process unless asked to return it."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def build() -> Index:
    started = time.perf_counter()
    token = read_token()
    seq, known = _log_position()
    live = Instrument.objects.order_by()
    tables = tuple({} for _ in STATUS_FIELDS)
    read = _read([live], tables)
    ids = read.ids
    universe = _bitmap(ids)
    top = int(ids.max()) + 1 if len(ids) else 1
    feature = _feature_pairs("SELECT instrument_id, feature_id FROM funding_instrument_features")
    feature = {k: v & universe for k, v in feature.items()}
    deadline_days, deadline_ids = _deadlines(Deadline.objects.order_by())
    combos, of_id = _combos(read.facts, top, ids)
    words = _words_of(read)
    built = Index(
        token=token,
        universe=universe,
        synthetic=read.synthetic,
        origin=read.origin,
        kind=read.kind,
        country=read.country,
        unrestricted=read.unrestricted,
        feature=feature,
        status_values=tables,
        status_combos=combos,
        status_combo=of_id,
        deadline_days=deadline_days,
        deadline_ids=deadline_ids,
        budget_ids=read.budget_ids,
        budgets=read.budgets,
        ranks=_ranks(live, len(ids), top),
        words=words,
        feature_codes=dict(Feature.objects.values_list("code", "id")),
        country_codes=dict(Country.objects.values_list("code", "id")),
        country_labels=dict(Country.objects.values_list("code", "label")),
        seq=seq,
        known=known,
        incomplete=read.incomplete,
        source_group=read.source_group,
    )
    del read
    built.status(today())  # today's buckets, before the first request needs them
    release_memory()
    built.built_in = time.perf_counter() - started
    return built


def _ranks(live, count: int, top: int) -> dict[str, np.ndarray]:
    """Every instrument's rank in each sort order, read with the database's ORDER BY."""
    ranks = {}
    for name, order in ORDERS.items():
        ordered = np.fromiter(
            live.order_by(*order).values_list("pk", flat=True).iterator(chunk_size=PAIR_CHUNK),
            dtype=np.int64,
            count=count,
        )
        rank = np.full(top, np.iinfo(np.int32).max, dtype=np.int32)
        rank[ordered] = np.arange(len(ordered), dtype=np.int32)
        ranks[name] = rank
    return ranks


def _log_position() -> tuple[int, frozenset]:
    """The last row of the change log and the rows within WINDOW of it; prunes a long log
    (a row without an instrument then tells the processes behind it to rebuild whole)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM funding_searchchange")
        low, high = cursor.fetchone()
        if high is None:
            return 0, frozenset()
        if high - low > PRUNE_AT:
            cursor.execute("DELETE FROM funding_searchchange WHERE id <= %s", [high - KEEP])
            cursor.execute(
                "INSERT INTO funding_searchchange (instrument_id, token) VALUES (NULL, '')"
            )
            cursor.execute("SELECT max(id) FROM funding_searchchange")
            high = cursor.fetchone()[0]
        cursor.execute("SELECT id, token FROM funding_searchchange WHERE id > %s", [high - WINDOW])
        return high, frozenset(row for row in cursor.fetchall() if row[0] <= high)


def changes_since(index: Index) -> tuple[str, int, frozenset, set[int]] | None:
    """(token, last row, rows known, instruments written) since the index, or None when it
    must be rebuilt whole: a taxonomy write or a truncation, a pruned log, a row it applied
    that is gone (a rolled-back transaction), or too many instruments written."""
    token = read_token()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, token, instrument_id FROM funding_searchchange WHERE id > %s",
            [index.seq - WINDOW],
        )
        rows = cursor.fetchall()
    present = {row[:2] for row in rows}
    if not index.known <= present:
        return None
    new = [row for row in rows if row[:2] not in index.known]
    if any(instrument is None for _, _, instrument in new):
        return None
    changed = {instrument for _, _, instrument in new}
    if len(changed) > max(2000, len(index.universe) // 5):
        return None
    seq = max([index.seq] + [row[0] for row in rows])
    return token, seq, frozenset(row for row in present if row[0] > seq - WINDOW), changed


def _minus_plus(bitmap: BitMap, gone: BitMap, added: BitMap | None = None) -> BitMap:
    """`bitmap` without `gone`, with `added`: a new bitmap when that changes it (the index
    in use by other threads is never changed)."""
    out = bitmap - gone if bitmap.intersect(gone) else bitmap
    if added:
        out = out | added
    return out


def _chunks(ids, size: int = 500):
    ids = sorted(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def apply(index: Index, token: str, seq: int, known: frozenset, changed: set[int]) -> Index:
    """A new index: `index` with the instruments in `changed` read again (edited, added,
    deleted, their features or deadlines changed). Bitmaps not touched are shared."""
    started = time.perf_counter()
    gone = _bitmap(sorted(changed))
    changed_ids = np.fromiter(changed, dtype=np.int64, count=len(changed))
    live = Instrument.objects.order_by()
    parts = list(_chunks(changed))
    tables = tuple(dict(table) for table in index.status_values)
    read = _read([live.filter(pk__in=part) for part in parts], tables)
    deadline_rows, pairs = [], []
    for part in parts:
        deadline_rows += (
            Deadline.objects.order_by()
            .filter(instrument_id__in=part)
            .values_list("date", "instrument_id")
        )
        pairs += Instrument.features.through.objects.filter(instrument_id__in=part).values_list(
            "instrument_id", "feature_id"
        )
    alive = set(read.ids.tolist())
    universe = _minus_plus(index.universe, gone, _bitmap(read.ids))

    def regroup(old: dict, added: dict) -> dict:
        merged = {k: _minus_plus(v, gone, added.get(k)) for k, v in old.items()}
        merged.update({k: v for k, v in added.items() if k not in old})
        return merged

    features: dict[int, list[int]] = {}
    for pk, feature_id in pairs:
        if pk in alive:
            features.setdefault(feature_id, []).append(pk)
    keep = ~np.isin(index.deadline_ids, changed_ids)
    days = np.concatenate(
        [
            index.deadline_days[keep],
            np.array([d.toordinal() for d, _ in deadline_rows], dtype=np.int32),
        ]
    )
    owners = np.concatenate(
        [index.deadline_ids[keep], np.array([i for _, i in deadline_rows], dtype=np.uint32)]
    )
    order = np.argsort(days, kind="stable")
    keep_budget = ~np.isin(index.budget_ids, changed_ids)
    top = max(int(universe.max()) + 1 if universe else 1, 1)
    # The status facts: the instruments written get rows appended to the distinct
    # combinations (a repeated one does no harm); the others keep theirs.
    new_combos, of_id = _combos(read.facts, max(top, len(index.status_combo)), read.ids)
    of_id[read.ids] += len(index.status_combos)
    previous = index.status_combo
    unchanged = np.ones(len(previous), dtype=bool)
    unchanged[changed_ids[changed_ids < len(previous)]] = False
    of_id[: len(previous)][unchanged] = previous[unchanged]
    fresh = dataclasses.replace(
        index,
        token=token,
        seq=seq,
        known=known,
        universe=universe,
        synthetic=_minus_plus(index.synthetic, gone, read.synthetic),
        unrestricted=_minus_plus(index.unrestricted, gone, read.unrestricted),
        incomplete=_minus_plus(index.incomplete, gone, read.incomplete),
        source_group=regroup(index.source_group, read.source_group),
        origin=regroup(index.origin, read.origin),
        kind=regroup(index.kind, read.kind),
        country=regroup(index.country, read.country),
        feature={
            k: v & universe
            for k, v in regroup(index.feature, {k: _bitmap(v) for k, v in features.items()}).items()
        },
        status_values=tables,
        status_combos=np.concatenate([index.status_combos, new_combos]),
        status_combo=of_id,
        deadline_days=days[order],
        deadline_ids=owners[order],
        budget_ids=np.concatenate([index.budget_ids[keep_budget], read.budget_ids]),
        budgets=np.concatenate([index.budgets[keep_budget], read.budgets]),
        ranks=_reranked(index, live, gone, read.ids.tolist(), len(universe), top),
        words=_rewords(index.words, gone, read),
        _status={},
        _terms=OrderedDict(),
        _lock=threading.Lock(),
    )
    # Today's statuses: the rule runs only for the combinations just added.
    on = today()
    fresh.status(on, index._status[on][0] if on in index._status else None)
    fresh.built_in = time.perf_counter() - started
    return fresh


# Up to this many instruments written, their places in each order are counted in SQL;
# more, and the orders are read again whole.
RANK_COUNTS = 64


def _before(order: str, pk: int, name: str, deadline) -> Q:
    """The instruments before this one in a sort order (`ORDERS`), for a COUNT: the
    database's own comparison, so its collation, as in its ORDER BY."""
    after_name = Q(name__lt=name) | Q(name=name, pk__lt=pk)
    if order in ("name", "-name"):
        first = Q(name__lt=name) if order == "name" else Q(name__gt=name)
        return first | Q(name=name, pk__lt=pk)
    if deadline is None:
        return Q(final_deadline__isnull=False) | (Q(final_deadline__isnull=True) & after_name)
    earlier = (
        Q(final_deadline__lt=deadline) if order == "deadline" else Q(final_deadline__gt=deadline)
    )
    return earlier | (Q(final_deadline=deadline) & after_name)


def _reranked(index: Index, live, gone: BitMap, alive: list[int], count: int, top: int):
    """The ranks after a write: the instruments not written keep their order among
    themselves; each one written goes to the place the database counts for it."""
    if len(alive) > RANK_COUNTS:
        return _ranks(live, count, top)
    facts = {
        pk: (name, deadline)
        for pk, name, deadline in live.filter(pk__in=alive).values_list(
            "pk", "name", "final_deadline"
        )
    }
    kept = np.array((index.universe - gone).to_array(), dtype=np.int64)
    if len(kept) + len(facts) != count:
        return _ranks(live, count, top)
    ranks = {}
    for order, rank in index.ranks.items():
        places = {pk: live.filter(_before(order, pk, *fact)).count() for pk, fact in facts.items()}
        if len(set(places.values())) != len(places) or any(p >= count for p in places.values()):
            return _ranks(live, count, top)
        ordered = np.empty(count, dtype=np.int64)
        taken = np.zeros(count, dtype=bool)
        for pk, place in places.items():
            ordered[place] = pk
            taken[place] = True
        ordered[~taken] = kept[np.argsort(rank[kept], kind="stable")]
        new = np.full(top, np.iinfo(np.int32).max, dtype=np.int32)
        new[ordered] = np.arange(count, dtype=np.int32)
        ranks[order] = new
    return ranks


def _rewords(words: Words, gone: BitMap, read: Read) -> Words:
    """The word index with the instruments in `gone` taken out and those `read` (their new
    search texts) put in, as a build would make it."""
    position = {word: i for i, word in enumerate(words.vocabulary)}
    vocabulary = words.vocabulary
    if any(word not in position for word in read.anywhere):
        vocabulary = sorted(set(vocabulary) | set(read.anywhere))
    out = Words(vocabulary, [], [], [])
    for word in vocabulary:
        i = position.get(word)
        for target, old, added in (
            (out.anywhere, words.anywhere, read.anywhere),
            (out.repeated, words.repeated, read.repeated),
            (out.in_name, words.in_name, read.in_name),
        ):
            kept = _minus_plus(old[i] if i is not None else EMPTY, gone, added.get(word))
            target.append(kept if kept else EMPTY)
    return out


# The process's index ------------------------------------------------------------------------
_current: Index | None = None
_building = threading.Lock()


def reset() -> None:
    global _current
    _current = None


def enabled() -> bool:
    return getattr(settings, "SEARCH_INDEX", True)


def current() -> Index | None:
    """The index for the data as this request's connection sees it, or None when it is
    being rebuilt in the background (the caller then uses the ORM filter)."""
    global _current
    if not enabled():
        return None
    token = read_token()
    index = _current
    if index is not None and index.token == token:
        return index
    background = getattr(settings, "SEARCH_INDEX_BACKGROUND", False)
    if index is not None and (found := changes_since(index)) is not None:
        # Only the instruments written since are read again, in this request; while a
        # whole rebuild runs in the background, the ORM answers.
        if not _building.acquire(blocking=not background):
            return None
        try:
            if _current is index:
                _current = apply(index, *found)
            if _current.token == found[0]:
                return _current
            index = _current
        finally:
            _building.release()
    if index is None or not background:
        with _building:
            if _current is None or _current.token != token:
                _current = build()
            return _current if _current.token == token else None
    if _building.acquire(blocking=False):
        threading.Thread(target=_rebuild_in_background, daemon=True).start()
    return None


def _rebuild_in_background() -> None:
    global _current
    from django.db import connections

    try:
        _current = build()
    finally:
        connections.close_all()
        _building.release()


# Answering a filter set ---------------------------------------------------------------------
def matches(
    index: Index,
    data: dict,
    on: datetime.date,
    statuses,
    feature_ids,
    country_ids,
    skip=(),
    hidden=(),
    group_incomplete=False,
):
    """The ids a filter set's cleaned data selects (the filters in `skip` left out), and the
    text terms used (for ranking). With `group_incomplete`, records incomplete at source
    sharing a programme entry count as one, the first among the selected
    (`filtersets.collapse_incomplete_groups`)."""
    result = index.universe.copy()
    found_terms: list[Term] = []
    if not data.get("include_synthetic"):
        result -= index.synthetic
    if hidden:
        result -= _bitmap(sorted(hidden))
    if "q" not in skip and terms(data.get("q") or ""):
        text, found_terms = index.text(data["q"])
        result &= text
    if "origin" not in skip and data.get("origin"):
        result &= _union([index.origin.get(v, BitMap()) for v in data["origin"]])
    if "kind" not in skip and data.get("kind"):
        result &= _union([index.kind.get(v, BitMap()) for v in data["kind"]])
    if "country" not in skip and data.get("country"):
        result &= index.open_to([country_ids[c] for c in data["country"]])
    if "origin_country" not in skip and data.get("origin_country"):
        chosen = [index.country.get(country_ids[c], BitMap()) for c in data["origin_country"]]
        result &= _union(chosen)
    if "feature" not in skip and data.get("feature"):
        chosen = [index.feature.get(feature_ids[c], BitMap()) for c in data["feature"]]
        if data.get("feature_mode") == "any":
            result &= _union(chosen)
        else:
            for ids in chosen:
                result &= ids
    if "status" not in skip and statuses:
        buckets = index.status(on)
        result &= _union([buckets.get(status, BitMap()) for status in statuses])
    after, before = data.get("deadline_after"), data.get("deadline_before")
    if "deadline_after" not in skip and (after or before):
        result &= index.deadline_window(after, before)
    if "budget_min" not in skip and (
        data.get("budget_min") is not None or data.get("budget_max") is not None
    ):
        result &= index.budget(data.get("budget_min"), data.get("budget_max"))
    if data.get("source_group"):
        result &= index.source_group.get(data["source_group"], BitMap())
    elif group_incomplete:
        result = collapse(index, result)
    return result, found_terms


def collapse(index: Index, result: BitMap) -> BitMap:
    """Of the records incomplete at source in a programme entry, only the first (lowest id)
    among `result` stays."""
    grouped = result & index.incomplete
    if not grouped:
        return result
    dropped = []
    for members in index.source_group.values():
        within = grouped & members
        if len(within) > 1:
            dropped.append(within - BitMap([within.min()]))
    return result - _union(dropped) if dropped else result


def ordered_ids(index: Index, result: BitMap, ordering: str, found_terms):
    """The result ids in the order asked, and with free text their relevance (else None)."""
    ids = np.array(result.to_array(), dtype=np.int64)
    score = None
    if found_terms:
        # Relevance: per query word, 1 for having it, 1 more for having it more than once,
        # 2 more for having it in the name.
        score = np.full(len(ids), float(len(found_terms)))
        for term in found_terms:
            for bitmap, weight in ((term.repeated, 1.0), (term.in_name, 2.0)):
                having = np.array((result & bitmap).to_array(), dtype=np.int64)
                score[np.searchsorted(ids, having)] += weight
    # Records incomplete at source come after the complete ones, whatever the order.
    later = np.zeros(len(ids), dtype=np.int8)
    incomplete = np.array((result & index.incomplete).to_array(), dtype=np.int64)
    later[np.searchsorted(ids, incomplete)] = 1
    if ordering in ORDERS:
        order = np.lexsort((index.ranks[ordering][ids], later))
    elif score is None:
        order = np.lexsort((index.ranks["deadline"][ids], later))
    else:
        order = np.lexsort((index.ranks["deadline"][ids], -score, later))
    return ids[order], (None if score is None else score[order])


def facet_counts(
    index: Index,
    data: dict,
    on,
    statuses,
    feature_ids,
    country_ids,
    country_codes,
    hidden=(),
    group_incomplete=False,
):
    """The same numbers as `InstrumentFilterSet.facet_counts` computes with SQL."""
    scalar = ("origin", "kind", "country", "status")
    grouped = {"hidden": hidden, "group_incomplete": group_incomplete}
    base, _ = matches(index, data, on, statuses, feature_ids, country_ids, skip=scalar, **grouped)
    buckets = index.status(on)
    chosen = {
        "origin": set(data.get("origin") or []),
        "kind": set(data.get("kind") or []),
        "country": set(data.get("country") or []),
        "status": set(statuses),
    }
    # The countries counted: those with an instrument of their own among the results, and
    # the ticked ones; ticking one selects the instruments open to its applicants.
    present = [
        country_codes[pk]
        for pk, bitmap in index.country.items()
        if pk in country_codes and base.intersection_cardinality(bitmap)
    ]
    values = {
        "origin": index.origin,
        "kind": index.kind,
        "country": {
            code: index.open_to([country_ids[code]]) for code in set(present) | chosen["country"]
        },
        "status": buckets,
    }

    def within(facet) -> BitMap:
        ids = base
        for other in scalar:
            if other != facet and chosen[other]:
                ids = ids & _union([values[other].get(v, BitMap()) for v in chosen[other]])
        return ids

    counts: dict[str, Counter] = {}
    for facet in scalar:
        ids = within(facet)
        counts[facet] = Counter(
            {
                value: n
                for value, bitmap in values[facet].items()
                if (n := ids.intersection_cardinality(bitmap))
            }
        )
    counts["status"]["all"] = sum(counts["status"].values())
    everything = within(None)
    total = len(everything)
    mode_any = data.get("feature_mode") == "any"
    if mode_any:
        feature_base = matches(
            index, data, on, statuses, feature_ids, country_ids, skip=("feature",), **grouped
        )[0]
    elif group_incomplete and not data.get("source_group"):
        # The ORM counts features within the grouped results themselves.
        feature_base = matches(index, data, on, statuses, feature_ids, country_ids, **grouped)[0]
    else:
        feature_base = everything
    code_of = {v: k for k, v in feature_ids.items()}
    counts["feature"] = Counter(
        {
            code_of[fid]: n
            for fid, bitmap in index.feature.items()
            if fid in code_of and (n := feature_base.intersection_cardinality(bitmap))
        }
    )
    ticked = set(data.get("feature") or [])
    if mode_any and ticked:
        outside = feature_base - _union(
            [index.feature.get(feature_ids[c], BitMap()) for c in ticked]
        )
        for code in set(counts["feature"]) - ticked:
            counts["feature"][code] = total + outside.intersection_cardinality(
                index.feature[feature_ids[code]]
            )
    return counts, total, present, everything


# Freshness: the triggers that change the token ---------------------------------------------
# Which instrument a written row belongs to, for the change log (None: rebuild whole).
OWNER = {
    "funding_instrument": "id",
    "funding_instrument_features": "instrument_id",
    "funding_deadline": "instrument_id",
}


def _sqlite_triggers() -> list[str]:
    statements = []
    bump = "UPDATE funding_searchversion SET token = lower(hex(randomblob(8)));"
    log = (
        "INSERT INTO funding_searchchange (instrument_id, token) "
        "SELECT {}, token FROM funding_searchversion;"
    )
    for table in TABLES:
        owner = OWNER.get(table)
        for op in ("INSERT", "UPDATE", "DELETE"):
            if owner is None:
                logged = log.format("NULL")
            elif op == "INSERT":
                logged = log.format(f"NEW.{owner}")
            elif op == "DELETE":
                logged = log.format(f"OLD.{owner}")
            else:
                logged = log.format(f"NEW.{owner}")
                if owner != "id":
                    logged += (
                        " INSERT INTO funding_searchchange (instrument_id, token) "  # noqa: S608
                        f"SELECT OLD.{owner}, token FROM funding_searchversion "
                        f"WHERE OLD.{owner} IS NOT NEW.{owner};"
                    )
            name = f"{table}_search_{op.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {op} ON {table} BEGIN {bump} {logged} END",
            ]
    return statements


def _postgres_triggers() -> list[str]:
    statements = [
        "CREATE OR REPLACE FUNCTION funding_search_bump() RETURNS trigger AS $$ BEGIN "
        "UPDATE funding_searchversion SET token = md5(random()::text || clock_timestamp()::text);"
        " RETURN NULL; END $$ LANGUAGE plpgsql"
    ]
    # The change log: the instruments a statement wrote, from its transition tables.
    for table, owner in OWNER.items():
        for op, rows in (("INSERT", "new_rows"), ("UPDATE", "new_rows"), ("DELETE", "old_rows")):
            function = f"{table}_search_{op.lower()}_log"
            both = f" UNION SELECT {owner}, '' FROM old_rows" if op == "UPDATE" else ""  # noqa: S608
            tables = "NEW TABLE AS new_rows" if rows == "new_rows" else "OLD TABLE AS old_rows"
            if op == "UPDATE":
                tables = "NEW TABLE AS new_rows OLD TABLE AS old_rows"
            statements += [
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN "  # noqa: S608
                "INSERT INTO funding_searchchange (instrument_id, token) "
                f"SELECT {owner}, '' FROM {rows}{both}; RETURN NULL; END $$ LANGUAGE plpgsql",
                f"DROP TRIGGER IF EXISTS {function} ON {table}",
                f"CREATE TRIGGER {function} AFTER {op} ON {table} REFERENCING {tables} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            ]
    statements.append(
        "CREATE OR REPLACE FUNCTION funding_search_log_all() RETURNS trigger AS $$ BEGIN "
        "INSERT INTO funding_searchchange (instrument_id, token) VALUES (NULL, ''); "
        "RETURN NULL; END $$ "
        "LANGUAGE plpgsql"
    )
    for table in TABLES:
        events = "TRUNCATE" if table in OWNER else "INSERT OR UPDATE OR DELETE OR TRUNCATE"
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_search ON {table}",
            f"CREATE TRIGGER {table}_search AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION funding_search_bump()",
            f"DROP TRIGGER IF EXISTS {table}_search_all ON {table}",
            f"CREATE TRIGGER {table}_search_all AFTER {events} "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION funding_search_log_all()",
        ]
    return statements


def ensure_triggers(using: str = "default", **kwargs) -> None:
    """Create the version row and its triggers (after every migrate: SQLite drops a table's
    triggers when a migration rebuilds the table)."""
    from django.db import connections

    db = connections[using]
    if not {"funding_searchversion", "funding_searchchange"} <= set(db.introspection.table_names()):
        return
    tables = set(db.introspection.table_names())
    with db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM funding_searchversion")
        if cursor.fetchone()[0] == 0:
            cursor.execute("INSERT INTO funding_searchversion (token) VALUES ('initial')")
        statements = _sqlite_triggers() if db.vendor == "sqlite" else _postgres_triggers()
        for statement in statements:
            if any(f" ON {t}" in statement and t not in tables for t in TABLES):
                continue
            cursor.execute(statement)


__all__ = ["Index", "build", "current", "ensure_triggers", "facet_counts", "matches", "reset"]
