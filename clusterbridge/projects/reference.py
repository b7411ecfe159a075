"""Load the SecurIT projects (seed 001 Figure 1 and Annex 2) from
clusterbridge/data/projects/securit_projects.json. Reconstruction notes:
docs/decisions.md, "Reconstruction of the SecurIT project tables".

Application domains are printed as free text in Annex 2 (line 1070); they are mapped onto
the industrial ecosystems (category A) by data/taxonomy/application_domains.json; a text
that no ecosystem names is kept as a note, and a text missing from the mapping stops the
load."""

from collections import Counter

from django.db import transaction

from clusterbridge.core.reference import read_json, upsert
from clusterbridge.projects.models import Project, Visibility
from clusterbridge.taxonomy.domains import seed_entry
from clusterbridge.taxonomy.models import Country, Feature

DATA_FILE = "projects/securit_projects.json"


def application_domain_features(
    texts: list[str], domains: list[Feature]
) -> tuple[list[Feature], list[str]]:
    """(the ecosystem features the printed application-domain texts map onto, notes for the
    texts no ecosystem names). Mapping: data/taxonomy/application_domains.json."""
    by_code = {feature.code: feature for feature in domains}
    found: list[Feature] = []
    notes: list[str] = []
    for text in texts:
        entry = seed_entry(text)
        if entry is None:
            raise ValueError(f"Application domain {text!r} is not in the mapping file.")
        if not entry["features"]:
            notes.append(f"Application domain in the source: “{text}” ({entry['why']})")
        for code in entry["features"]:
            if code not in by_code:
                raise ValueError(f"Application domain {code!r} is not a category-A feature.")
            found.append(by_code[code])
    return found, notes


@transaction.atomic
def load(*, stdout=None) -> dict[str, int]:
    counts: Counter = Counter()
    countries = {c.code: c for c in Country.objects.all()}
    features = {f.code: f for f in Feature.objects.select_related("category")}
    domains = [f for f in features.values() if f.category.code == "A"]
    for entry in read_json(DATA_FILE)["projects"]:
        chosen = [features[code] for code in entry["features"]]
        found, notes = application_domain_features(
            entry.get("application_domains_text", []), domains
        )
        chosen += found
        values = {
            "country": countries.get(entry.get("country") or ""),
            "stage": entry.get("stage") or "",
            "supporting_cluster": entry.get("supporting_cluster") or "",
            "visibility": Visibility.PUBLIC,
            "name_variants": entry.get("name_variants", []),
            "source_doubts": [*entry.get("doubts", []), *notes],
            "provenance": entry.get("provenance", []),
        }
        lookup = {"name": entry["name"], "call": entry["call"], "is_synthetic": False}
        counts[upsert(Project, lookup, values, {"features": chosen})] += 1
    if stdout:
        stdout.write(f"projects: {dict(counts)}")
    return dict(counts)
