"""Load the taxonomy files of clusterbridge/data/taxonomy/ into the database."""

from collections import Counter

from django.db import transaction

from clusterbridge.core.reference import read_json, upsert
from clusterbridge.taxonomy.models import Country, Feature, FeatureCategory, Term, Vocabulary

VOCABULARY_FILES = {
    Vocabulary.ECOSYSTEMS: "taxonomy/ecosystems.json",
    Vocabulary.SECTORS: "taxonomy/sectors.json",
    Vocabulary.TECHNOLOGIES: "taxonomy/technologies.json",
    Vocabulary.ECCP_SERVICES: "taxonomy/eccp_services.json",
    Vocabulary.CLUSTER_SERVICES: "taxonomy/cluster_services.json",
}
NOTE_KEYS = ("ocr_fixes", "note", "source_text", "projects", "description")


def _notes(entry: dict) -> dict:
    return {key: entry[key] for key in NOTE_KEYS if entry.get(key)}


def _provenance(entry: dict) -> list:
    provenance = entry.get("provenance") or []
    return provenance if isinstance(provenance, list) else [provenance]


@transaction.atomic
def load(*, stdout=None) -> dict[str, int]:
    counts: Counter = Counter()
    data = read_json("taxonomy/features.json")
    categories = {}
    for entry in data["categories"]:
        counts[
            upsert(
                FeatureCategory,
                {"code": entry["code"]},
                {
                    "label": entry["label"],
                    "order": entry["order"],
                    "description": entry.get("description", ""),
                    "provenance": _provenance(entry),
                },
            )
        ] += 1
        categories[entry["code"]] = FeatureCategory.all_objects.get(code=entry["code"])
    for position, entry in enumerate(data["entries"]):
        counts[
            upsert(
                Feature,
                {"code": entry["code"]},
                {
                    "label": entry["label"],
                    "category": categories[entry["category"]],
                    "order": position,
                    "provenance": _provenance(entry),
                    "notes": _notes(entry),
                },
            )
        ] += 1
    for vocabulary, path in VOCABULARY_FILES.items():
        for position, entry in enumerate(read_json(path)["entries"]):
            counts[
                upsert(
                    Term,
                    {"vocabulary": vocabulary, "code": entry["code"]},
                    {
                        "label": entry["label"],
                        "group": entry.get("group", ""),
                        "order": position,
                        "provenance": _provenance(entry),
                        "notes": _notes(entry),
                    },
                )
            ] += 1
    for entry in read_json("taxonomy/countries.json")["entries"]:
        counts[
            upsert(
                Country,
                {"code": entry["code"]},
                {
                    "label": entry["label"],
                    "alpha3": entry.get("alpha3", ""),
                    "groups": entry.get("groups", []),
                    "notes": _notes(entry),
                    "provenance": [p for p in _provenance(entry) if p.get("lines")],
                },
            )
        ] += 1
    if stdout:
        stdout.write(f"taxonomy: {dict(counts)}")
    return dict(counts)
