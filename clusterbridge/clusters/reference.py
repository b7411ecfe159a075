"""Load the cluster catalogue from the records extracted from the source documents.

One cluster may appear in several documents (Cluj IT in seeds 000 and 001, Mobile Heights
in 000, 001 and twice in 002...). Records are merged by the `same_as` links of the files,
the aliases of `clusters/merges.json` and finally by normalised name. Within a merged
record, a field takes its value from the latest document that states it (the seed files are
numbered in the order the reports were written); `field_sources` keeps every document that
states the field, with its value when it differs from the one shown.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from clusterbridge.clusters.models import (
    Classification,
    Cluster,
    Network,
    NetworkMembership,
    Status,
    normalise_name,
)
from clusterbridge.core import history
from clusterbridge.core.reference import changed_by_people, read_json, upsert
from clusterbridge.core.search import fold
from clusterbridge.taxonomy.models import Country, Term

SOURCES = {
    "seed000": "clusters/seed000_annex_a.json",
    "seed001": "clusters/seed001_ambassadors.json",
    "seed002": "clusters/seed002_labelled.json",
    "seed003": "clusters/seed003_finland.json",
}
SCALAR_FIELDS = (
    "country",
    "region",
    "city",
    "description",
    "founding_year",
    "priority_section",
)
# Member figures are one set per source: a cluster shows the latest source's set whole, and
# every source's set side by side in its sources, so one source's total never stands beside
# another's SME count (GAIA: 260 companies in seed 000, 306 SME members in seed 001).
MEMBER_FIELDS = ("members_total", "members_sme", "members_large", "members_research")
# Table columns in which a source files the cluster under a domain or sector: a word there
# that is a term's own label states the classification (seed 001 Annex 3 "Domains", seed 002
# Table 9 "Sector"). Words of descriptions (seed 000) only suggest one.
STATED_COLUMNS = {"seed001": "domains", "seed002": "sectors_text"}
LIST_FIELDS = ("domains", "sectors_text")
_FORMER = re.compile(r"\s*\(former (?P<former>[^)]*)\)\s*$", re.IGNORECASE)


@dataclass
class Merged:
    """One cluster as gathered from every document that mentions it."""

    name: str
    names: list[str] = field(default_factory=list)
    former_names: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, list[dict]] = field(default_factory=dict)
    provenance: list[dict] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    per_source: Counter = field(default_factory=Counter)
    member_sets: list[dict] = field(default_factory=list)
    column_words: dict[str, dict] = field(default_factory=dict)  # folded word → place

    def put(self, name: str, value: Any, sources: list[dict]) -> None:
        if value in (None, "", []):
            return
        if name in LIST_FIELDS:
            # Domain and sector words add up across documents.
            earlier = self.values.get(name, [])
            value = earlier + [v for v in value if v not in earlier]
            self.values[name] = value
            self.sources.setdefault(name, [])
            self.sources[name] += [dict(source) for source in sources]
            return
        previous = self.values.get(name)
        self.values[name] = value
        self.sources.setdefault(name, [])
        for earlier in self.sources[name]:
            if "value" not in earlier and previous is not None and previous != value:
                earlier["value"] = previous
        self.sources[name] += [dict(source) for source in sources]


def _sources(entry: dict) -> list[dict]:
    """The entry's places in the documents (one, or several when it was listed twice)."""
    provenance = entry.get("provenance") or []
    places = provenance if isinstance(provenance, list) else [provenance]
    return [{"document": p["document"], "lines": p.get("lines")} for p in places]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _url(value: str | None) -> str:
    if not value:
        return ""
    return value if re.match(r"https?://", value) else f"https://{value}"


def _aliases() -> dict[str, str]:
    return {
        normalise_name(a["name"]): normalise_name(a["same_as"])
        for a in read_json("clusters/merges.json")["aliases"]
    }


def gather() -> dict[str, Merged]:
    """Every cluster of the four sources, merged; keyed by normalised name."""
    merged: dict[str, Merged] = {}
    aliases = _aliases()

    def key_of(entry: dict) -> str:
        target = entry.get("same_as")
        if target:
            return normalise_name(_FORMER.sub("", target))
        own = normalise_name(entry["name"])
        return aliases.get(own, own)

    for source_key, path in SOURCES.items():
        for entry in read_json(path)["clusters"]:
            key = key_of(entry)
            name = _FORMER.sub("", entry["name"]).strip()
            record = merged.setdefault(key, Merged(name=name))
            record.per_source[source_key] += 1
            source = _sources(entry)
            record.provenance += [dict(place) for place in source]
            if name not in record.names:
                record.names.append(name)
            former = _FORMER.search(entry["name"])
            for former_name in entry.get("former_names", []) + (
                [former["former"]] if former else []
            ):
                if former_name not in record.former_names:
                    record.former_names.append(former_name)
            entry = {**entry, "priority_section": entry.get("annex_section")}
            for name_ in SCALAR_FIELDS:
                record.put(name_, entry.get(name_), source)
            figures = {f: entry[f] for f in MEMBER_FIELDS if entry.get(f) is not None}
            if figures:
                record.member_sets.append(
                    {"figures": figures, "note": entry.get("members_note") or "", "at": source}
                )
            column = STATED_COLUMNS.get(source_key)
            for word in (entry.get(column) or []) if column else []:
                record.column_words.setdefault(fold(word).strip(), source[0] if source else {})
            for name_ in LIST_FIELDS:
                record.put(name_, entry.get(name_) or [], source)
            record.put("website", _url(entry.get("website")), source)
            label = entry.get("label") or {}
            if label.get("level"):
                record.put("label_level", label["level"], source)
                record.put("label_expires", _date(label.get("expires")), source)
                record.put("label_issued", _date(label.get("issued")), source)
            if entry.get("services_counts"):
                # Annex 1 ticks the services, but its columns are misaligned in the text:
                # which services is not recorded, only how many the document counts.
                record.sources["services"] = [
                    dict(place, counts=entry["services_counts"]) for place in source
                ]
            for code in entry.get("countries") or []:
                if code not in record.countries:
                    record.countries.append(code)
    # The name shown is the one of the earliest document (the catalogue's own spelling).
    for record in merged.values():
        record.name = record.names[0]
        latest = record.member_sets[-1] if record.member_sets else {"figures": {}, "note": ""}
        for name_ in MEMBER_FIELDS:
            record.values[name_] = latest["figures"].get(name_)
        record.values["members_note"] = latest["note"]
        if record.member_sets:
            record.sources["members"] = [
                {**place, "figures": s["figures"], "note": s["note"]}
                for s in record.member_sets
                for place in s["at"]
            ]
    return merged


def _classification() -> dict[str, dict[str, dict[str, list[str]]]]:
    data = read_json("clusters/classification.json")["clusters"]
    aliases = _aliases()
    return {
        aliases.get(normalise_name(name), normalise_name(name)): codes
        for name, codes in data.items()
    }


def _stated() -> dict[str, dict[str, dict[str, dict]]]:
    """Hand-reviewed classifications the sources state (the Finnish names of seed 003)."""
    data = read_json("clusters/stated_classification.json")["clusters"]
    aliases = _aliases()
    return {
        aliases.get(normalise_name(name), normalise_name(name)): codes
        for name, codes in data.items()
    }


def _label_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text).replace("&", " and ")).split())


def classify(record: Merged, inferred: dict, stated: dict, terms: dict) -> dict:
    """(vocabulary, code) → (state, evidence, provenance) for one cluster: stated by the
    hand-reviewed file or by a table column whose word is the term's own label; everything
    else of the inferred file is a suggestion with its words as evidence."""
    result: dict[tuple[str, str], tuple[str, list, list]] = {}
    for vocabulary, by_code in inferred.items():
        for code, words in by_code.items():
            term = terms.get((vocabulary, code))
            if term is None:
                continue
            label = _label_key(term.label)
            places = [
                record.column_words[fold(w).strip()]
                for w in words
                if fold(w).strip() in record.column_words and _label_key(w) == label
            ]
            if places:
                result[(vocabulary, code)] = (Classification.State.STATED, list(words), places)
            else:
                result[(vocabulary, code)] = (Classification.State.SUGGESTED, list(words), [])
    for vocabulary, by_code in stated.items():
        for code, fact in by_code.items():
            result[(vocabulary, code)] = (
                Classification.State.STATED,
                [fact["words"]],
                [fact["provenance"]],
            )
    return result


def _load_networks(countries: dict[str, Country], counts: Counter) -> dict[str, Network]:
    entries = read_json("clusters/networks.json")["networks"]
    for entry in entries:
        values = {
            "name": entry["name"],
            "kind": entry["kind"],
            "country": countries.get(entry.get("country") or ""),
            "website": _url(entry.get("website")),
            "description": entry.get("description") or "",
            "provenance": [entry["provenance"]] if entry.get("provenance") else [],
        }
        counts["networks " + upsert(Network, {"code": entry["code"]}, values)] += 1
    networks = {n.code: n for n in Network.all_objects.all()}
    for entry in entries:
        parent = networks.get(entry["member_of"][0]) if entry.get("member_of") else None
        network = networks[entry["code"]]
        if network.member_of_id != (parent.pk if parent else None) and not changed_by_people(
            network
        ):
            network.member_of = parent
            history.save(network, action=history.Action.LOAD, message="Network membership")
    return networks


@transaction.atomic
def load(*, stdout=None) -> dict[str, int]:
    counts: Counter = Counter()
    countries = {c.code: c for c in Country.objects.all()}
    terms = {(t.vocabulary, t.code): t for t in Term.objects.all()}
    classification = _classification()
    stated = _stated()
    merged = gather()
    for record in merged.values():
        counts.update({f"from {k}": v for k, v in record.per_source.items()})
    by_key: dict[str, Cluster] = {}
    decisions: dict[tuple[str, str], list[tuple[str, str]]] = {}
    decided = Classification.objects.filter(
        state__in=[Classification.State.CONFIRMED, Classification.State.REJECTED]
    ).values_list("cluster__slug", "term__vocabulary", "term__code", "state")
    for slug, vocabulary, code, state in decided:
        decisions.setdefault((slug, state), []).append((vocabulary, code))
    for key, record in merged.items():
        values = dict(record.values)
        values["country"] = countries.get(values.get("country") or "")
        slug = slugify(fold(record.name))[:100]
        found = classify(record, classification.get(key, {}), stated.get(key, {}), terms)
        facts = {k for k, (state, _, _) in found.items() if state == Classification.State.STATED}
        facts |= set(decisions.get((slug, Classification.State.CONFIRMED), []))
        facts -= set(decisions.get((slug, Classification.State.REJECTED), []))
        # Only stated classifications are cited as the source of a vocabulary field.
        sources = dict(record.sources)
        for vocabulary in ("sectors", "ecosystems", "technologies"):
            places = [
                dict(place, value=terms[(v, c)].label)
                for (v, c), (state, _, where) in found.items()
                if v == vocabulary and state == Classification.State.STATED
                for place in where
            ]
            if places:
                sources[vocabulary] = places
            else:
                sources.pop(vocabulary, None)
        values.update(
            {
                "name": record.name,
                "former_names": record.former_names,
                "also_known_as": [n for n in record.names if n != record.name],
                "field_sources": sources,
                "provenance": record.provenance,
                "status": Status.PUBLISHED,
                "is_synthetic": False,
            }
        )
        values.setdefault("members_note", "")
        values.setdefault("priority_section", "")
        for text_field in ("region", "city", "description", "website"):
            values.setdefault(text_field, "")
        m2m = {
            vocabulary: [terms[(v, c)] for (v, c) in sorted(facts) if v == vocabulary]
            for vocabulary in ("sectors", "ecosystems", "technologies")
        }
        m2m["countries"] = [countries[c] for c in record.countries if c in countries]
        counts["clusters " + upsert(Cluster, {"slug": slug}, values, m2m)] += 1
        cluster = Cluster.all_objects.get(slug=slug)
        by_key[key] = cluster
        for (vocabulary, code), (state, evidence, where) in found.items():
            counts[
                "classifications "
                + upsert(
                    Classification,
                    {"cluster": cluster, "term": terms[(vocabulary, code)]},
                    {"state": state, "evidence": evidence, "provenance": where},
                )
            ] += 1
    networks = _load_networks(countries, counts)
    for entry in read_json("clusters/networks.json")["networks"]:
        for member in entry.get("members", []):
            cluster = by_key.get(normalise_name(member["name"]))
            if cluster is None:  # a national association: a network, linked by member_of
                continue
            _, created = NetworkMembership.objects.get_or_create(
                cluster=cluster,
                network=networks[entry["code"]],
                defaults={"provenance": [member["provenance"]]},
            )
            counts["memberships created" if created else "memberships kept"] += 1
    if stdout:
        stdout.write(f"clusters: {dict(counts)}")
    return dict(counts)
