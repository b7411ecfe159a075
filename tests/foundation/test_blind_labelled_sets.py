"""The parts of the suggestion evaluation set written blind (the fresh held-out set and the
later tuning parts) are well formed.

Their figures only mean something, and the engine can only be tuned on them, if each holds
only real T/P/D/G features of the taxonomy the site loads, enough items per language to show
per-language errors, every labelled feature often enough, and ids that cannot be confused
with those of any other part of the evaluation set.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from clusterbridge.taxonomy.models import Feature

# The labelled files are checked against the taxonomy, which every database loads alike:
# SQLite half only.
pytestmark = pytest.mark.same_on_every_database

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
READINGS_DIR = DATA_DIR / "suggest_readings"
LANGUAGES = {"en", "de", "fr", "es", "it", "pl", "lt"}
LABELLED_CATEGORIES = {"T", "P", "D", "G"}

# File name and how often each T/P/D/G feature is used at least, as the
# part's decision entry states.
PARTS = [
    pytest.param("suggest_labelled_fresh.json", 1, id="fresh"),
    pytest.param("suggest_labelled_fresh2.json", 1, id="fresh2"),
    pytest.param("suggest_labelled_fresh3.json", 1, id="fresh3"),
    pytest.param("suggest_labelled_tuning2.json", 3, id="tuning2"),
    pytest.param("suggest_labelled_tuning3.json", 3, id="tuning3"),
    pytest.param("suggest_labelled_tuning4a.json", 2, id="tuning4a"),
    pytest.param("suggest_labelled_tuning4b.json", 2, id="tuning4b"),
    pytest.param("suggest_labelled_tuning5b.json", 1, id="tuning5b"),
    pytest.param("suggest_labelled_tuning5a.json", 1, id="tuning5a"),
    pytest.param("suggest_labelled_tuning6c.json", 2, id="tuning6c"),
    pytest.param("suggest_labelled_tuning6a.json", 2, id="tuning6a"),
    pytest.param("suggest_labelled_tuning6b.json", 1, id="tuning6b"),
    pytest.param("suggest_labelled_tuning7a.json", 1, id="tuning7a"),
    pytest.param("suggest_labelled_tuning7c.json", 1, id="tuning7c"),
    pytest.param("suggest_labelled_tuning7b.json", 2, id="tuning7b"),
    pytest.param("suggest_labelled_tuning8b.json", 1, id="tuning8b"),
    pytest.param("suggest_labelled_tuning8a.json", 1, id="tuning8a"),
    pytest.param("suggest_labelled_tuning8c.json", 1, id="tuning8c"),
    pytest.param("suggest_labelled_tuning9.json", 1, id="tuning9"),
    pytest.param("suggest_labelled_tuning10a.json", 1, id="tuning10a"),
    pytest.param("suggest_labelled_tuning10b.json", 1, id="tuning10b"),
    pytest.param("suggest_labelled_tuning10c.json", 1, id="tuning10c"),
    pytest.param("suggest_labelled_tuning10d.json", 1, id="tuning10d"),
    pytest.param("suggest_labelled_tuning10e.json", 1, id="tuning10e"),
    pytest.param("suggest_labelled_tuning10f.json", 1, id="tuning10f"),
    pytest.param("suggest_labelled_tuning10g.json", 1, id="tuning10g"),
    pytest.param("suggest_labelled_tuning10h.json", 1, id="tuning10h"),
    pytest.param("suggest_labelled_tuning11a.json", 1, id="tuning11a"),
    pytest.param("suggest_labelled_tuning11b.json", 1, id="tuning11b"),
    pytest.param("suggest_labelled_tuning11c.json", 1, id="tuning11c"),
    pytest.param("suggest_labelled_tuning11d.json", 1, id="tuning11d"),
    pytest.param("suggest_labelled_tuning11e.json", 1, id="tuning11e"),
    pytest.param("suggest_labelled_tuning11f.json", 1, id="tuning11f"),
    pytest.param("suggest_labelled_tuning11g.json", 1, id="tuning11g"),
    pytest.param("suggest_labelled_tuning11h.json", 1, id="tuning11h"),
    pytest.param("suggest_labelled_tuning12a.json", 1, id="tuning12a"),
    pytest.param("suggest_labelled_tuning12b.json", 1, id="tuning12b"),
    pytest.param("suggest_labelled_tuning12c.json", 1, id="tuning12c"),
    pytest.param("suggest_labelled_tuning12d.json", 1, id="tuning12d"),
    pytest.param("suggest_labelled_tuning12e.json", 1, id="tuning12e"),
    pytest.param("suggest_labelled_tuning12f.json", 1, id="tuning12f"),
    pytest.param("suggest_labelled_tuning12g.json", 1, id="tuning12g"),
    pytest.param("suggest_labelled_tuning12h.json", 1, id="tuning12h"),
    pytest.param("suggest_labelled_tuning13a.json", 0, id="tuning13a"),
    pytest.param("suggest_labelled_tuning13b.json", 0, id="tuning13b"),
    pytest.param("suggest_labelled_tuning13c.json", 0, id="tuning13c"),
    pytest.param("suggest_labelled_tuning13d.json", 0, id="tuning13d"),
    pytest.param("suggest_labelled_tuning13e.json", 1, id="tuning13e"),
    pytest.param("suggest_labelled_tuning13f.json", 1, id="tuning13f"),
    pytest.param("suggest_labelled_tuning13g.json", 1, id="tuning13g"),
    pytest.param("suggest_labelled_tuning13h.json", 0, id="tuning13h"),
    pytest.param("suggest_labelled_tuning14a.json", 1, id="tuning14a"),
    pytest.param("suggest_labelled_tuning14b.json", 0, id="tuning14b"),
    pytest.param("suggest_labelled_tuning14c.json", 0, id="tuning14c"),
    pytest.param("suggest_labelled_tuning14d.json", 0, id="tuning14d"),
    pytest.param("suggest_labelled_tuning14e.json", 0, id="tuning14e"),
    pytest.param("suggest_labelled_tuning14f.json", 0, id="tuning14f"),
    pytest.param("suggest_labelled_tuning14g.json", 0, id="tuning14g"),
    pytest.param("suggest_labelled_tuning14h.json", 0, id="tuning14h"),
    pytest.param("suggest_labelled_tuning15a.json", 1, id="tuning15a"),
    pytest.param("suggest_labelled_tuning15b.json", 1, id="tuning15b"),
    pytest.param("suggest_labelled_tuning15c.json", 1, id="tuning15c"),
    pytest.param("suggest_labelled_tuning15d.json", 1, id="tuning15d"),
    pytest.param("suggest_labelled_tuning15e.json", 0, id="tuning15e"),
    pytest.param("suggest_labelled_tuning15f.json", 1, id="tuning15f"),
    pytest.param("suggest_labelled_tuning15g.json", 1, id="tuning15g"),
    pytest.param("suggest_labelled_tuning15h.json", 1, id="tuning15h"),
    pytest.param("suggest_labelled_tuning16a.json", 1, id="tuning16a"),
    pytest.param("suggest_labelled_tuning16b.json", 0, id="tuning16b"),
    pytest.param("suggest_labelled_tuning16c.json", 1, id="tuning16c"),
    pytest.param("suggest_labelled_tuning16d.json", 1, id="tuning16d"),
    pytest.param("suggest_labelled_tuning16e.json", 1, id="tuning16e"),
    pytest.param("suggest_labelled_tuning16f.json", 0, id="tuning16f"),
    pytest.param("suggest_labelled_tuning16g.json", 1, id="tuning16g"),
    pytest.param("suggest_labelled_tuning16h.json", 1, id="tuning16h"),
    pytest.param("suggest_labelled_tuning17a.json", 0, id="tuning17a"),
    pytest.param("suggest_labelled_tuning17b.json", 0, id="tuning17b"),
    pytest.param("suggest_labelled_tuning17c.json", 0, id="tuning17c"),
    pytest.param("suggest_labelled_tuning17d.json", 1, id="tuning17d"),
    pytest.param("suggest_labelled_tuning17e.json", 0, id="tuning17e"),
    pytest.param("suggest_labelled_tuning17f.json", 0, id="tuning17f"),
    pytest.param("suggest_labelled_tuning17g.json", 1, id="tuning17g"),
    pytest.param("suggest_labelled_tuning17h.json", 1, id="tuning17h"),
    pytest.param("suggest_labelled_tuning18a.json", 0, id="tuning18a"),
    pytest.param("suggest_labelled_tuning18b.json", 1, id="tuning18b"),
    pytest.param("suggest_labelled_tuning18c.json", 0, id="tuning18c"),
    pytest.param("suggest_labelled_tuning18d.json", 0, id="tuning18d"),
    pytest.param("suggest_labelled_tuning18e.json", 0, id="tuning18e"),
    pytest.param("suggest_labelled_tuning18f.json", 0, id="tuning18f"),
    pytest.param("suggest_labelled_tuning18g.json", 1, id="tuning18g"),
    pytest.param("suggest_labelled_tuning18h.json", 1, id="tuning18h"),
    pytest.param("suggest_labelled_tuning19a.json", 0, id="tuning19a"),
    pytest.param("suggest_labelled_tuning19b.json", 0, id="tuning19b"),
    pytest.param("suggest_labelled_tuning19c.json", 0, id="tuning19c"),
    pytest.param("suggest_labelled_tuning19d.json", 0, id="tuning19d"),
    pytest.param("suggest_labelled_tuning19e.json", 0, id="tuning19e"),
    pytest.param("suggest_labelled_tuning19f.json", 0, id="tuning19f"),
    pytest.param("suggest_labelled_tuning19g.json", 0, id="tuning19g"),
    pytest.param("suggest_labelled_tuning19h.json", 1, id="tuning19h"),
    pytest.param("suggest_labelled_tuning20a.json", 0, id="tuning20a"),
    pytest.param("suggest_labelled_tuning20b.json", 0, id="tuning20b"),
    pytest.param("suggest_labelled_tuning20c.json", 0, id="tuning20c"),
    pytest.param("suggest_labelled_tuning20d.json", 0, id="tuning20d"),
    pytest.param("suggest_labelled_tuning20e.json", 0, id="tuning20e"),
    pytest.param("suggest_labelled_tuning20f.json", 0, id="tuning20f"),
    pytest.param("suggest_labelled_tuning20g.json", 0, id="tuning20g"),
    pytest.param("suggest_labelled_tuning20h.json", 0, id="tuning20h"),
    pytest.param("suggest_labelled_tuning21a.json", 0, id="tuning21a"),
    pytest.param("suggest_labelled_tuning21b.json", 0, id="tuning21b"),
    pytest.param("suggest_labelled_tuning21c.json", 0, id="tuning21c"),
    pytest.param("suggest_labelled_tuning21d.json", 0, id="tuning21d"),
    pytest.param("suggest_labelled_tuning21e.json", 0, id="tuning21e"),
    pytest.param("suggest_labelled_tuning21f.json", 0, id="tuning21f"),
    pytest.param("suggest_labelled_tuning21g.json", 0, id="tuning21g"),
    pytest.param("suggest_labelled_tuning21h.json", 0, id="tuning21h"),
    pytest.param("suggest_labelled_tuning22a.json", 0, id="tuning22a"),
    pytest.param("suggest_labelled_tuning22b.json", 0, id="tuning22b"),
    pytest.param("suggest_labelled_tuning22c.json", 0, id="tuning22c"),
    pytest.param("suggest_labelled_tuning22d.json", 0, id="tuning22d"),
    pytest.param("suggest_labelled_tuning22e.json", 0, id="tuning22e"),
    pytest.param("suggest_labelled_tuning22f.json", 0, id="tuning22f"),
    pytest.param("suggest_labelled_tuning22g.json", 0, id="tuning22g"),
    pytest.param("suggest_labelled_tuning22h.json", 0, id="tuning22h"),
    pytest.param("suggest_labelled_tuning23a.json", 0, id="tuning23a"),
    pytest.param("suggest_labelled_tuning23b.json", 0, id="tuning23b"),
    pytest.param("suggest_labelled_tuning23c.json", 0, id="tuning23c"),
    pytest.param("suggest_labelled_tuning23d.json", 0, id="tuning23d"),
    pytest.param("suggest_labelled_tuning23e.json", 0, id="tuning23e"),
    pytest.param("suggest_labelled_tuning23f.json", 0, id="tuning23f"),
    pytest.param("suggest_labelled_tuning23g.json", 0, id="tuning23g"),
    pytest.param("suggest_labelled_tuning23h.json", 0, id="tuning23h"),
    pytest.param("suggest_labelled_tuning24a.json", 0, id="tuning24a"),
    pytest.param("suggest_labelled_tuning24b.json", 0, id="tuning24b"),
    pytest.param("suggest_labelled_tuning24c.json", 0, id="tuning24c"),
    pytest.param("suggest_labelled_tuning24d.json", 0, id="tuning24d"),
    pytest.param("suggest_labelled_tuning24e.json", 0, id="tuning24e"),
    pytest.param("suggest_labelled_tuning24f.json", 0, id="tuning24f"),
    pytest.param("suggest_labelled_tuning24g.json", 0, id="tuning24g"),
    pytest.param("suggest_labelled_tuning24h.json", 0, id="tuning24h"),
    pytest.param("suggest_labelled_tuning25a.json", 0, id="tuning25a"),
    pytest.param("suggest_labelled_tuning25b.json", 0, id="tuning25b"),
    pytest.param("suggest_labelled_tuning25c.json", 0, id="tuning25c"),
    pytest.param("suggest_labelled_tuning25d.json", 0, id="tuning25d"),
    pytest.param("suggest_labelled_tuning25e.json", 0, id="tuning25e"),
    pytest.param("suggest_labelled_tuning25f.json", 0, id="tuning25f"),
    pytest.param("suggest_labelled_tuning25g.json", 0, id="tuning25g"),
    pytest.param("suggest_labelled_tuning25h.json", 0, id="tuning25h"),
    pytest.param("suggest_labelled_tuning26a.json", 0, id="tuning26a"),
    pytest.param("suggest_labelled_tuning26b.json", 0, id="tuning26b"),
    pytest.param("suggest_labelled_tuning26c.json", 0, id="tuning26c"),
    pytest.param("suggest_labelled_tuning26d.json", 0, id="tuning26d"),
    pytest.param("suggest_labelled_tuning26e.json", 0, id="tuning26e"),
    pytest.param("suggest_labelled_tuning26f.json", 0, id="tuning26f"),
    pytest.param("suggest_labelled_tuning26g.json", 0, id="tuning26g"),
    pytest.param("suggest_labelled_tuning26h.json", 0, id="tuning26h"),
    pytest.param("suggest_labelled_tuning27a.json", 0, id="tuning27a"),
    pytest.param("suggest_labelled_tuning27b.json", 0, id="tuning27b"),
    pytest.param("suggest_labelled_tuning27c.json", 0, id="tuning27c"),
    pytest.param("suggest_labelled_tuning27d.json", 0, id="tuning27d"),
    pytest.param("suggest_labelled_tuning27e.json", 0, id="tuning27e"),
    pytest.param("suggest_labelled_tuning27f.json", 0, id="tuning27f"),
    pytest.param("suggest_labelled_tuning27g.json", 0, id="tuning27g"),
    pytest.param("suggest_labelled_tuning27h.json", 0, id="tuning27h"),
    pytest.param("suggest_labelled_tuning28a.json", 0, id="tuning28a"),
    pytest.param("suggest_labelled_tuning28b.json", 0, id="tuning28b"),
    pytest.param("suggest_labelled_tuning28c.json", 0, id="tuning28c"),
    pytest.param("suggest_labelled_tuning28d.json", 0, id="tuning28d"),
    pytest.param("suggest_labelled_tuning28e.json", 0, id="tuning28e"),
    pytest.param("suggest_labelled_tuning28f.json", 0, id="tuning28f"),
    pytest.param("suggest_labelled_tuning28g.json", 0, id="tuning28g"),
    pytest.param("suggest_labelled_tuning28h.json", 0, id="tuning28h"),
]

# Second, independent labellings of fresh sets: the same ids, labels of their own.
SECOND_LABELLINGS = ["suggest_labelled_fresh2_second.json", "suggest_labelled_fresh3_second.json"]

# Which languages a part holds and how many items each has at least: the first parts and
# the fresh sets cover every language; later parts are written in groups of languages (the
# fourth: German and Italian, the other five; the fifth: German, Italian and Lithuanian,
# the other four; the sixth, seventh and eighth: German and Italian, then the other five
# in two groups; the ninth, and the tenth's to twenty-eighth's eight files: all seven again).
# From the thirteenth round on, a part need not use every feature (min_uses 0: written by
# sector, some features never come up) and a text may state none (a plain product page):
# texts that should get no suggestion are what precision is measured on.
NO_FEATURE_ALLOWED = {
    f"suggest_labelled_tuning{n}{x}.json" for n in range(13, 29) for x in "abcdefgh"
}
LANGUAGES_OF_PART = {
    "suggest_labelled_fresh.json": (LANGUAGES, 10),
    "suggest_labelled_fresh2.json": (LANGUAGES, 12),
    "suggest_labelled_fresh3.json": (LANGUAGES, 12),
    "suggest_labelled_tuning2.json": (LANGUAGES, 15),
    "suggest_labelled_tuning3.json": (LANGUAGES, 15),
    "suggest_labelled_tuning4a.json": ({"de", "it"}, 25),
    "suggest_labelled_tuning4b.json": ({"en", "fr", "es", "pl", "lt"}, 12),
    "suggest_labelled_tuning5b.json": ({"en", "fr", "es", "pl"}, 16),
    "suggest_labelled_tuning5a.json": ({"de", "it", "lt"}, 22),
    "suggest_labelled_tuning6c.json": ({"en", "es", "pl"}, 16),
    "suggest_labelled_tuning6a.json": ({"de", "it"}, 24),
    "suggest_labelled_tuning6b.json": ({"fr", "lt"}, 24),
    "suggest_labelled_tuning7a.json": ({"de", "it"}, 24),
    "suggest_labelled_tuning7c.json": ({"en", "pl", "it"}, 16),
    "suggest_labelled_tuning7b.json": ({"fr", "lt", "es"}, 16),
    "suggest_labelled_tuning8b.json": ({"en", "fr", "es"}, 16),
    "suggest_labelled_tuning8a.json": ({"de", "it"}, 24),
    "suggest_labelled_tuning8c.json": ({"lt", "pl", "de"}, 16),
    "suggest_labelled_tuning9.json": (LANGUAGES, 12),
    # The tenth to twenty-eighth rounds: eight files each, all seven languages, 12 texts in each.
    **{
        f"suggest_labelled_tuning{n}{x}.json": (LANGUAGES, 12)
        for n in range(10, 29)
        for x in "abcdefgh"
    },
}


def _items(file_name):
    data = json.loads((DATA_DIR / file_name).read_text(encoding="utf-8"))
    assert data["about"].strip()
    return data["items"]


@pytest.mark.parametrize(("file_name", "min_uses"), PARTS)
def test_every_language_of_the_part_has_enough_items_of_both_kinds(file_name, min_uses):
    languages, min_items = LANGUAGES_OF_PART[file_name]
    items = _items(file_name)
    per_language = Counter(item["language"] for item in items)
    assert set(per_language) == languages
    assert min(per_language.values()) >= min_items
    kinds = {(item["language"], item["kind"]) for item in items}
    assert kinds == {(language, kind) for language in languages for kind in ("call", "solution")}


@pytest.mark.parametrize(("file_name", "min_uses"), PARTS)
def test_ids_are_unique_here_and_against_every_other_labelled_file(file_name, min_uses):
    ids = [item["id"] for item in _items(file_name)]
    assert len(ids) == len(set(ids))
    others = [
        path
        for path in DATA_DIR.glob("suggest_labelled*.json")
        if path.name != file_name and path.name not in SECOND_LABELLINGS
    ]
    assert others
    for path in others:
        other_ids = {item["id"] for item in json.loads(path.read_text(encoding="utf-8"))["items"]}
        assert not set(ids) & other_ids, path.name


@pytest.mark.parametrize(("file_name", "min_uses"), PARTS)
def test_items_are_complete(file_name, min_uses):
    split = "fresh-held-out" if file_name.startswith("suggest_labelled_fresh") else "tuning"
    for item in _items(file_name):
        assert item["split"] == split, item["id"]
        assert item["kind"] in {"call", "solution"}, item["id"]
        assert item["text"].strip(), item["id"]
        assert item["features"] or file_name in NO_FEATURE_ALLOWED, item["id"]
        assert len(item["features"]) == len(set(item["features"])), item["id"]


def test_every_labelled_file_is_checked_here():
    checked = {param.values[0] for param in PARTS} | set(SECOND_LABELLINGS)
    on_disk = {path.name for path in DATA_DIR.glob("suggest_labelled_*.json")}
    assert on_disk - checked == set()


@pytest.mark.django_db
@pytest.mark.parametrize(("file_name", "min_uses"), PARTS)
def test_every_label_is_a_labelled_category_feature_of_the_taxonomy(file_name, min_uses):
    category_of = dict(Feature.objects.values_list("code", "category__code"))
    for item in _items(file_name):
        for code in item["features"]:
            assert code in category_of, (item["id"], code)
            assert category_of[code] in LABELLED_CATEGORIES, (item["id"], code)


@pytest.mark.django_db
@pytest.mark.parametrize(("file_name", "min_uses"), [p for p in PARTS if p.values[1] > 0])
def test_every_labelled_category_feature_is_used_often_enough(file_name, min_uses):
    # A part read twice keeps only the labels both readers gave; its writer's design (every
    # feature used) is kept in the first reading.
    readings = READINGS_DIR / file_name.replace("suggest_labelled_", "")
    if readings.exists():
        items = json.loads(readings.read_text(encoding="utf-8"))["items"]
        uses = Counter(code for item in items for code in item["first"])
    else:
        uses = Counter(code for item in _items(file_name) for code in item["features"])
    labelled = Feature.objects.filter(category__code__in=LABELLED_CATEGORIES)
    codes = list(labelled.values_list("code", flat=True))
    assert codes
    assert {code: uses[code] for code in codes if uses[code] < min_uses} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("file_name", SECOND_LABELLINGS)
def test_a_second_labelling_labels_every_text_of_its_set_with_real_features(file_name):
    first = _items(file_name.replace("_second", ""))
    second = _items(file_name)
    assert [item["id"] for item in second] == [item["id"] for item in first]
    category_of = dict(Feature.objects.values_list("code", "category__code"))
    for item in second:
        assert item["features"], item["id"]
        assert len(item["features"]) == len(set(item["features"])), item["id"]
        assert all(category_of.get(code) in LABELLED_CATEGORIES for code in item["features"])


# Parts labelled twice, blind (the twenty-eighth round, and from it on every round; the
# tenth to twenty-seventh were read again after they had been learnt,
# `scripts/agree_readings.py`): the writer's labels and a second reader's, kept side by side,
# and the part holds only the labels both gave.
READINGS = sorted(path.name for path in READINGS_DIR.glob("tuning*.json"))


def test_every_round_from_the_tenth_on_was_read_twice():
    twice = {f"suggest_labelled_{name}" for name in READINGS}
    round_of = {
        path.name: int(re.match(r"suggest_labelled_tuning(\d+)", path.name).group(1))
        for path in DATA_DIR.glob("suggest_labelled_tuning*.json")
    }
    from_10 = {name for name, number in round_of.items() if number >= 10}
    assert from_10 and twice == from_10


@pytest.mark.django_db
@pytest.mark.parametrize("reading", READINGS)
def test_a_part_read_twice_keeps_exactly_the_labels_both_readers_gave(reading):
    readings = json.loads((READINGS_DIR / reading).read_text(encoding="utf-8"))
    assert readings["about"].strip()
    part = _items(f"suggest_labelled_{reading}")
    assert [item["id"] for item in readings["items"]] == [item["id"] for item in part]
    category_of = dict(Feature.objects.values_list("code", "category__code"))
    for read, item in zip(readings["items"], part, strict=True):
        for codes in (read["first"], read["second"]):
            assert len(codes) == len(set(codes)), item["id"]
            assert all(category_of.get(code) in LABELLED_CATEGORIES for code in codes)
        assert set(item["features"]) == set(read["first"]) & set(read["second"]), item["id"]
