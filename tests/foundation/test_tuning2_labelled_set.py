"""The second tuning part of the suggestion evaluation set is well formed.

The engine may be tuned on it, so it must only hold real T/P/D/G features of the
taxonomy the site loads, enough items per language to show per-language errors,
and ids that cannot be confused with those of the first evaluation set.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from clusterbridge.taxonomy.models import Feature

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SET_PATH = DATA_DIR / "suggest_labelled_tuning2.json"
FIRST_SET_PATH = DATA_DIR / "suggest_labelled.json"
LANGUAGES = {"en", "de", "fr", "es", "it", "pl", "lt"}
LABELLED_CATEGORIES = {"T", "P", "D", "G"}


@pytest.fixture(scope="module")
def items():
    data = json.loads(SET_PATH.read_text(encoding="utf-8"))
    assert data["about"].strip()
    return data["items"]


def test_every_language_has_at_least_fifteen_items_of_both_kinds(items):
    per_language = Counter(item["language"] for item in items)
    assert set(per_language) == LANGUAGES
    assert min(per_language.values()) >= 15
    kinds = {(item["language"], item["kind"]) for item in items}
    assert kinds == {(language, kind) for language in LANGUAGES for kind in ("call", "solution")}


def test_ids_are_unique_here_and_against_the_first_set(items):
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    first_set = json.loads(FIRST_SET_PATH.read_text(encoding="utf-8"))
    first_ids = {item["id"] for item in first_set["items"]}
    assert not set(ids) & first_ids


def test_items_are_complete_tuning_items(items):
    for item in items:
        assert item["split"] == "tuning", item["id"]
        assert item["kind"] in {"call", "solution"}, item["id"]
        assert item["text"].strip(), item["id"]
        assert item["features"], item["id"]
        assert len(item["features"]) == len(set(item["features"])), item["id"]


@pytest.mark.django_db
def test_every_label_is_a_labelled_category_feature_of_the_taxonomy(items):
    category_of = dict(Feature.objects.values_list("code", "category__code"))
    for item in items:
        for code in item["features"]:
            assert code in category_of, (item["id"], code)
            assert category_of[code] in LABELLED_CATEGORIES, (item["id"], code)
