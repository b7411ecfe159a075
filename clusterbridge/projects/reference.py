"""Load the SecurIT projects (seed 001 Figure 1 and Annex 2) from
clusterbridge/data/projects/securit_projects.json. Reconstruction notes:
docs/decisions.md, "Reconstruction of the SecurIT project tables".

Application domains are printed as free text in Annex 2 (line 1070); they are mapped to the
taxonomy's category-A features by label, and an unknown domain stops the load."""

import re
from collections import Counter

from django.db import transaction

from clusterbridge.core.reference import read_json, upsert
from clusterbridge.core.search import fold
from clusterbridge.projects.models import Project, Visibility
from clusterbridge.taxonomy.models import Country, Feature

DATA_FILE = "projects/securit_projects.json"


def _domain_key(text: str) -> str:
    # "Remote resur… (unclear in source)" → "remote resur"
    text = re.sub(r"\(unclear in source\)", "", text).replace("…", "")
    return " ".join(fold(text).split())


def application_domain_features(texts: list[str], domains: list[Feature]) -> list[Feature]:
    """The A features named by the printed application-domain texts."""
    by_key = {_domain_key(feature.label): feature for feature in domains}
    found = []
    for text in texts:
        feature = by_key.get(_domain_key(text))
        if feature is None:
            raise ValueError(f"Application domain {text!r} is not a category-A feature.")
        found.append(feature)
    return found


@transaction.atomic
def load(*, stdout=None) -> dict[str, int]:
    counts: Counter = Counter()
    countries = {c.code: c for c in Country.objects.all()}
    features = {f.code: f for f in Feature.objects.select_related("category")}
    domains = [f for f in features.values() if f.category.code == "A"]
    for entry in read_json(DATA_FILE)["projects"]:
        chosen = [features[code] for code in entry["features"]]
        chosen += application_domain_features(entry.get("application_domains_text", []), domains)
        values = {
            "country": countries.get(entry.get("country") or ""),
            "stage": entry.get("stage") or "",
            "supporting_cluster": entry.get("supporting_cluster") or "",
            "visibility": Visibility.PUBLIC,
            "name_variants": entry.get("name_variants", []),
            "source_doubts": entry.get("doubts", []),
            "provenance": entry.get("provenance", []),
        }
        lookup = {"name": entry["name"], "call": entry["call"], "is_synthetic": False}
        counts[upsert(Project, lookup, values, {"features": chosen})] += 1
    if stdout:
        stdout.write(f"projects: {dict(counts)}")
    return dict(counts)
