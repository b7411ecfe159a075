"""Phrasings: each feature is suggested for the usual ways of saying it, in every language,
and not for the near-misses next to them.

The cases live in `tests/data/suggest_phrasings/*.json`: one file per group of features and
one per language (written from how calls and product texts say each concept, not from any
labelled text), and one per tuning round (`from_*.json`: sentences of their own for the
general terms a round added, and the words it made partial). "phrasings" must give their
feature, "not" must not.
"""

import json
from pathlib import Path

import pytest

from clusterbridge.suggestions.engine import LANGUAGES, suggest

# The concept families are read by the engine from its lexicon file: SQLite half only.
pytestmark = pytest.mark.same_on_every_database

PHRASINGS_DIR = Path(__file__).resolve().parent.parent / "data" / "suggest_phrasings"
FILES = sorted(PHRASINGS_DIR.glob("*.json"))


def _cases(key):
    cases = []
    for path in FILES:
        for number, case in enumerate(json.loads(path.read_text(encoding="utf-8"))[key]):
            case_id = f"{path.stem}-{number}-{case['language']}-{case['feature']}"
            cases.append(pytest.param(case, id=case_id))
    return cases


def test_every_group_file_is_complete():
    assert FILES
    for path in FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["about"].strip(), path.name
        assert data["phrasings"] and data["not"], path.name
        for case in data["phrasings"] + data["not"]:
            assert case["language"] in LANGUAGES, (path.name, case)
            assert case["text"].strip() and case["feature"][0] in "TPDG", (path.name, case)


@pytest.mark.parametrize("case", _cases("phrasings"))
def test_a_usual_phrasing_suggests_its_feature(case):
    found = {s.code for s in suggest(case["text"], language=case["language"])}
    assert case["feature"] in found, (case["text"], sorted(found))


@pytest.mark.parametrize("case", _cases("not"))
def test_a_near_miss_does_not_suggest_the_feature(case):
    found = {s.code for s in suggest(case["text"], language=case["language"])}
    assert case["feature"] not in found, (case["text"], sorted(found))
