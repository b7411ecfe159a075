"""The script that keeps the labels two blind readers agree on: it keeps exactly those, in the
writer's order, keeps both readings, changes nothing when run again, and refuses (writing
nothing) a reading it cannot pair with the part. The shipped parts themselves are checked in
tests/foundation/test_blind_labelled_sets.py."""

import importlib.util
import json
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


@pytest.fixture
def part(tmp_path, monkeypatch):
    """A part of two texts in a data folder of its own."""
    monkeypatch.setattr(agree_readings, "DATA", tmp_path)
    monkeypatch.setattr(agree_readings, "READINGS", tmp_path / "suggest_readings")
    items = [
        {"id": "t1", "language": "de", "text": "…", "features": ["P3", "T14", "G9"]},
        {"id": "t2", "language": "it", "text": "…", "features": ["D1"]},
    ]
    path = tmp_path / "suggest_labelled_tuning99a.json"
    path.write_text(json.dumps({"about": "A part.", "items": items}), encoding="utf-8")
    return path


def _reading(tmp_path, *labels):
    path = tmp_path / "reading.json"
    items = [{"id": f"t{n}", "features": codes} for n, codes in enumerate(labels, start=1)]
    path.write_text(json.dumps({"items": items}), encoding="utf-8")
    return str(path)


def test_the_part_keeps_the_labels_both_gave_and_both_readings_are_kept(part, tmp_path):
    reading = _reading(tmp_path, ["G9", "P3", "P7"], [])
    assert agree_readings.main("tuning99a", reading) == 0
    items = json.loads(part.read_text(encoding="utf-8"))["items"]
    assert [item["features"] for item in items] == [["P3", "G9"], []]
    readings = json.loads((tmp_path / "suggest_readings" / "tuning99a.json").read_text())
    assert [(r["first"], r["second"]) for r in readings["items"]] == [
        (["P3", "T14", "G9"], ["G9", "P3", "P7"]),
        (["D1"], []),
    ]
    # Run again: the writer's labels come from the readings file, so nothing changes.
    before = part.read_text(encoding="utf-8")
    assert agree_readings.main("tuning99a", reading) == 0
    assert part.read_text(encoding="utf-8") == before


def test_a_refused_reading_writes_nothing(part, tmp_path):
    before = part.read_text(encoding="utf-8")
    assert agree_readings.main("tuning99a", _reading(tmp_path, ["P3", "X1"], [])) == 1
    assert part.read_text(encoding="utf-8") == before
    assert not (tmp_path / "suggest_readings").exists()
