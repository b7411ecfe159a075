"""The script that keeps the labels two blind readers agree on refuses a reading it cannot
pair with the part (the part itself is checked in tests/foundation/test_blind_labelled_sets.py)."""

import importlib.util
from pathlib import Path

import pytest

# Reads files only: SQLite half only.
pytestmark = pytest.mark.same_on_every_database

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "agree_readings.py"
spec = importlib.util.spec_from_file_location("agree_readings", SCRIPT)
agree_readings = importlib.util.module_from_spec(spec)
spec.loader.exec_module(agree_readings)

PART = [{"id": "t1", "features": ["P3"]}, {"id": "t2", "features": ["T14", "G9"]}]
KNOWN = {"P3", "T14", "G9", "D1"}


def test_a_reading_of_every_text_in_order_with_known_codes_is_accepted():
    reading = [{"id": "t1", "features": ["P3", "D1"]}, {"id": "t2", "features": []}]
    assert agree_readings.problems(PART, reading, KNOWN) == []


@pytest.mark.parametrize(
    ("reading", "message"),
    [
        ([{"id": "t2", "features": []}, {"id": "t1", "features": []}], "order"),
        ([{"id": "t1", "features": []}], "order"),
        ([{"id": "t1", "features": ["A3"]}, {"id": "t2", "features": []}], "unknown codes"),
        ([{"id": "t1", "features": ["P3", "P3"]}, {"id": "t2", "features": []}], "twice"),
        ([{"id": "t1"}, {"id": "t2", "features": []}], "no list"),
    ],
)
def test_a_reading_that_does_not_fit_the_part_is_refused(reading, message):
    found = agree_readings.problems(PART, reading, KNOWN)
    assert found and any(message in line for line in found)
