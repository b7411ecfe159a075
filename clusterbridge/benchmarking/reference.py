"""Load the benchmarking indicators (data/benchmarking/indicators.json) through the write
door: a reload refreshes an indicator only ever touched by loads; one an administrator has
edited keeps the edit (core.reference.upsert)."""

from django.db import transaction

from clusterbridge.benchmarking.models import Indicator
from clusterbridge.core.reference import read_json, upsert

FILE = "benchmarking/indicators.json"
FIELDS = (
    "block",
    "topic",
    "question",
    "answer_type",
    "choices",
    "minimum",
    "maximum",
    "unit",
    "weight",
    "scoring",
    "eligibility",
    "lifecycle",
    "prefill",
    "position",
)
DEFAULTS = {
    "choices": [],
    "unit": "",
    "weight": 1.0,
    "scoring": {},
    "eligibility": "",
    "lifecycle": "",
    "prefill": "",
    "minimum": None,
    "maximum": None,
}


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    data = read_json(FILE)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for record in data["indicators"]:
        values = {name: record.get(name, DEFAULTS.get(name)) for name in FIELDS}
        values["provenance"] = record["provenance"]
        values["catalogue_version"] = data["version"]
        counts[upsert(Indicator, {"code": record["code"]}, values)] += 1
    if stdout is not None:
        stdout.write(f"benchmarking indicators: {counts}\n")
    return counts
