"""Synthetic submitted assessments for scale tests and demos (`clusterbridge
generate_assessments`), each on a synthetic cluster of its own, both flagged `is_synthetic`:
the clusters never show in the directory, the answers are random and say so."""

import random

from django.db import transaction
from django.utils import timezone

from clusterbridge.benchmarking.models import AnswerType, Assessment
from clusterbridge.benchmarking.services import snapshot_indicators
from clusterbridge.clusters.models import Cluster, Status
from clusterbridge.taxonomy.models import Term, Vocabulary

PROVENANCE = [{"document": "synthetic (generate_assessments)"}]


def random_answer(spec: dict, rng: random.Random, members: int):
    kind = spec["answer_type"]
    code = spec["code"]
    if code == "I-02":
        return members
    if code in ("I-03", "I-04", "I-05", "I-07", "I-08"):
        return rng.randint(0, members)
    if kind == AnswerType.YES_NO:
        return rng.random() < 0.6
    if kind == AnswerType.CHOICE:
        return rng.choice(spec["choices"])["value"]
    if kind == AnswerType.MULTIPLE_CHOICE:
        values = [c["value"] for c in spec["choices"]]
        return sorted(rng.sample(values, rng.randint(1, len(values))))
    if kind == AnswerType.YEAR:
        return rng.randint(1990, timezone.now().year)
    if kind == AnswerType.TEXT:
        return "Synthetic answer."
    low = spec.get("minimum") or 0
    high = min(spec.get("maximum") or 100, 100)
    return (
        round(rng.uniform(low, high), 1)
        if spec.get("unit") == "FTE"
        else rng.randint(int(low), int(high))
    )


@transaction.atomic
def generate(count: int = 200, seed: int = 1, like: Cluster | None = None) -> list[Assessment]:
    """`count` synthetic clusters with one submitted assessment each. With `like`, every
    cluster shares `like`'s sectors and ecosystems (so `like` has peers to compare with);
    otherwise they spread over four sectors."""
    rng = random.Random(seed)
    version, specs = snapshot_indicators()
    sectors = list(Term.objects.filter(vocabulary=Vocabulary.SECTORS).order_by("code")[:4])
    start = Cluster.all_objects.filter(slug__startswith="synthetic-benchmark-").count()
    clusters, assessments = [], []
    for index in range(start, start + count):
        members = rng.randint(15, 100) if like is None else (like.members_total or 40)
        cluster = Cluster(
            name=f"Synthetic benchmark cluster {index:05d}",
            slug=f"synthetic-benchmark-{index:05d}",
            members_total=members,
            status=Status.PUBLISHED,
            is_synthetic=True,
            provenance=PROVENANCE,
        )
        cluster.prepare_for_save()
        clusters.append(cluster)
    created = Cluster.objects.bulk_create(clusters)
    sector_links, ecosystem_links = [], []
    for cluster in created:
        if like is not None:
            sector_links += [
                Cluster.sectors.through(cluster_id=cluster.pk, term_id=t.pk)
                for t in like.sectors.all()
            ]
            ecosystem_links += [
                Cluster.ecosystems.through(cluster_id=cluster.pk, term_id=t.pk)
                for t in like.ecosystems.all()
            ]
        elif sectors:
            sector_links.append(
                Cluster.sectors.through(cluster_id=cluster.pk, term_id=rng.choice(sectors).pk)
            )
    Cluster.sectors.through.objects.bulk_create(sector_links)
    Cluster.ecosystems.through.objects.bulk_create(ecosystem_links)
    now = timezone.now()
    for cluster in created:
        answers = {}
        for spec in specs:
            if rng.random() < 0.95 or spec["code"] == "I-02":
                answers[spec["code"]] = random_answer(spec, rng, cluster.members_total)
        assessment = Assessment(
            cluster=cluster,
            status=Assessment.Status.SUBMITTED,
            catalogue_version=version,
            indicators=specs,
            answers=answers,
            submitted_at=now,
            is_synthetic=True,
            provenance=PROVENANCE,
        )
        assessment.prepare_for_save()
        assessments.append(assessment)
    return Assessment.objects.bulk_create(assessments)
