"""Load the funding instruments and strategic documents extracted from the source documents."""

from collections import Counter
from decimal import Decimal

from django.db import transaction

from clusterbridge.core.reference import read_json, upsert
from clusterbridge.funding.models import Instrument, StrategicDocument
from clusterbridge.taxonomy.models import Country, Feature


def _text(value) -> str:
    return value or ""


@transaction.atomic
def load(*, stdout=None) -> dict[str, int]:
    counts: Counter = Counter()
    countries = {c.code: c for c in Country.objects.all()}
    features = {f.code: f for f in Feature.objects.all()}
    for entry in read_json("funding/instruments.json")["instruments"]:
        values = {
            "kind": _text(entry.get("kind")),
            "identifier": entry.get("identifier") or None,
            "source": _text(entry.get("source")),
            "origin": entry["origin"],
            "cover_level": _text(entry.get("cover_level")),
            "country": countries.get(entry.get("country") or ""),
            "link": _text(entry.get("link")),
            "target_organisations": _text(entry.get("target_organisations")),
            "international_funding": _text(entry.get("international_funding")),
            "target_scope": _text(entry.get("target_scope")),
            "budget_amount": Decimal(str(entry["budget_amount"]))
            if entry.get("budget_amount")
            else None,
            "budget_currency": _text(entry.get("budget_currency")),
            "periodicity": _text(entry.get("periodicity")),
            "opening_date": entry.get("opening_date"),
            "deadline_dates": entry.get("deadlines") or [],
            "period_start": entry.get("period_start"),
            "period_end": entry.get("period_end"),
            "closed_reason": _text(entry.get("closed_reason")),
            "incomplete_at_source": bool(entry.get("incomplete_at_source")),
            "source_group": _text(entry.get("source_group")),
            "description": _text(entry.get("description")),
            "notes": _text(entry.get("notes")),
            "provenance": entry.get("provenance") or [],
        }
        m2m = {"features": [features[c] for c in entry.get("features", [])]}
        counts[upsert(Instrument, {"name": entry["name"], "is_synthetic": False}, values, m2m)] += 1
    for entry in read_json("funding/strategic_documents.json")["strategic_documents"]:
        values = {
            "issuer": _text(entry.get("issuer")),
            "country": countries.get(entry.get("country") or ""),
            "link": _text(entry.get("link")),
            "period": _text(entry.get("period")),
            "description": _text(entry.get("description")),
            "notes": _text(entry.get("notes")),
            "provenance": entry.get("provenance") or [],
        }
        m2m = {"priorities": [features[c] for c in entry.get("priorities", [])]}
        counts[
            upsert(StrategicDocument, {"name": entry["name"], "is_synthetic": False}, values, m2m)
        ] += 1
    if stdout:
        stdout.write(f"funding: {dict(counts)}")
    return dict(counts)
