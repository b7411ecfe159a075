"""Application domains (feature category A) are the 14 industrial ecosystems of seed 004
(L643–645): feature `A-<code>` is ecosystem `<code>` of the ecosystems vocabulary, so
projects and calls (features) and clusters and organisations (ecosystems) share them.

The seed 001 "Application beyond security" entries (free text in Annex 2, L1070) are mapped
onto them in `data/taxonomy/application_domains.json`, each with its reason; an entry no
ecosystem names is not mapped."""

from functools import lru_cache

from clusterbridge.core.reference import read_json
from clusterbridge.core.search import fold

CATEGORY = "A"
PREFIX = "A-"
MAPPING_FILE = "taxonomy/application_domains.json"


def feature_code(ecosystem_code: str) -> str:
    return PREFIX + ecosystem_code


def ecosystem_code(feature_code: str) -> str | None:
    return feature_code[len(PREFIX) :] if feature_code.startswith(PREFIX) else None


@lru_cache(maxsize=1)
def mapping() -> dict:
    return read_json(MAPPING_FILE)


def _key(text: str) -> str:
    text = text.replace("(unclear in source)", "").replace("…", "")
    return " ".join(fold(text).split())


def seed_entry(text: str) -> dict | None:
    """The mapping entry of a seed's printed application domain ("search and rescue")."""
    key = _key(text)
    for entry in mapping()["entries"]:
        if key in (_key(entry["label"]), entry["seed_code"].lower()):
            return entry
    return None


def retired_codes() -> dict[str, list[str]]:
    """Former category-A feature codes → the ecosystem feature codes they became."""
    return {entry["seed_code"]: entry["features"] for entry in mapping()["entries"]}
