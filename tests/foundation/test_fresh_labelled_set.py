"""The fresh held-out part of the suggestion evaluation set is well formed.

Its figures are only meaningful if every label is a real T/P/D/G feature of the
taxonomy the site loads and every language has enough items to report on.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from clusterbridge.taxonomy.models import Feature

SET_PATH = Path(__file__).resolve().parent.parent / "data" / "suggest_labelled_fresh.json"
LANGUAGES = {"en", "de", "fr", "es", "it", "pl", "lt"}
LABELLED_CATEGORIES = {"T", "P", "D", "G"}


@pytest.fixture(scope="module")
def items():
    data = json.loads(SET_PATH.read_text(encoding="utf-8"))
    assert data["about"].strip()
    return data["items"]


def test_every_language_has_at_least_ten_items(items):
    per_language = Counter(item["language"] for item in items)
    assert set(per_language) == LANGUAGES
    assert min(per_language.values()) >= 10


def test_ids_are_unique_and_items_complete(items):
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    for item in items:
        assert item["split"] == "fresh-held-out", item["id"]
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
