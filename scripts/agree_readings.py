"""Keep only the labels two blind readers agree on, for one labelled tuning part.

    .venv/bin/python scripts/agree_readings.py tuning24a second-reading.json

`second-reading.json` holds a second reader's labels of every text of
`tests/data/suggest_labelled_<part>.json`, in its order: {"items": [{"id", "features"}]}.
The reader saw only the texts, the taxonomy and the labelled examples, never the writer's
labels or the engine. The script writes both readings side by side to
`tests/data/suggest_readings/<part>.json` (the writer's labels are taken from that file
when the part was agreed before, so running it twice changes nothing) and rewrites the part
with the labels both gave, in the writer's order, saying so in its "about". It checks the
reading first (the same ids in the same order, taxonomy codes of the labelled categories,
none twice) and writes nothing when it is wrong. `tests/foundation/test_blind_labelled_sets.py`
holds the same invariant. Train the model and the combination again afterwards (README).
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
READINGS = DATA / "suggest_readings"
FEATURES = ROOT / "clusterbridge" / "data" / "taxonomy" / "features.json"
LABELLED_CATEGORIES = ("T", "P", "D", "G")
SENTENCE = (
    " Read a second time, blind, after the model had learnt the round: a second reader who saw"
    " neither the writer's labels nor the engine labelled every text again, and only the"
    " features both gave are kept here (both readings: suggest_readings/{part}.json)."
)
READINGS_ABOUT = (
    "The two independent readings of suggest_labelled_{part}.json: each text's labels by its"
    " writer (first) and by a second reader who saw neither those labels nor the engine"
    " (second); that file keeps the labels both gave."
)


def problems(part_items: list, second_items: list, known: set) -> list[str]:
    """What is wrong with a second reading of `part_items`; empty when it can be used."""
    found = []
    ids = [item["id"] for item in part_items]
    if [item.get("id") for item in second_items] != ids:
        found.append("the reading's ids are not the part's ids in the part's order")
    for number, item in enumerate(second_items, start=1):
        codes = item.get("features")
        if not isinstance(codes, list):
            found.append(f"item {number} ({item.get('id')}): no list of features")
            continue
        if unknown := sorted(set(codes) - known):
            found.append(f"item {number} ({item.get('id')}): unknown codes {unknown}")
        if len(codes) != len(set(codes)):
            found.append(f"item {number} ({item.get('id')}): a code given twice")
    return found


def main(part: str, reading_path: str) -> int:
    part_path = DATA / f"suggest_labelled_{part}.json"
    readings_path = READINGS / f"{part}.json"
    labelled = json.loads(part_path.read_text(encoding="utf-8"))
    second = json.loads(Path(reading_path).read_text(encoding="utf-8"))["items"]
    taxonomy = json.loads(FEATURES.read_text(encoding="utf-8"))
    known = {e["code"] for e in taxonomy["entries"] if e["category"] in LABELLED_CATEGORIES}
    if found := problems(labelled["items"], second, known):
        print("\n".join(found), file=sys.stderr)
        return 1
    if readings_path.exists():
        earlier = json.loads(readings_path.read_text(encoding="utf-8"))["items"]
        first = {item["id"]: item["first"] for item in earlier}
    else:
        first = {item["id"]: list(item["features"]) for item in labelled["items"]}
    readings = {"about": READINGS_ABOUT.format(part=part), "items": []}
    kept = given = 0
    for item, read in zip(labelled["items"], second, strict=True):
        writer = first[item["id"]]
        readings["items"].append(
            {
                "id": item["id"],
                "language": item["language"],
                "first": writer,
                "second": read["features"],
            }
        )
        agreed = set(read["features"])
        item["features"] = [code for code in writer if code in agreed]
        kept += len(item["features"])
        given += len(writer)
    sentence = SENTENCE.format(part=part)
    if sentence not in labelled["about"]:
        labelled["about"] += sentence
    READINGS.mkdir(exist_ok=True)
    readings_path.write_text(
        json.dumps(readings, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    part_path.write_text(json.dumps(labelled, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{part}: kept {kept} of the writer's {given} labels")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
