"""Where an organisation stands among comparable ones: the latest submitted assessment of
each other cluster in the same size band that shares a sector or an industrial ecosystem.
Only aggregates (count, quartiles) leave this module, and only over at least
`scoring.MIN_PEERS` organisations; never another cluster's answers or name."""

from django.db.models import Q

from clusterbridge.benchmarking import scoring
from clusterbridge.benchmarking.models import Assessment, Block
from clusterbridge.clusters.models import Cluster


def peer_scores(assessment: Assessment) -> list[dict[str, float]]:
    """Block scores of the peers (one per cluster, their latest submitted assessment)."""
    if not assessment.size_band:
        return []
    cluster = assessment.cluster
    sectors = list(cluster.sectors.values_list("pk", flat=True))
    ecosystems = list(cluster.ecosystems.values_list("pk", flat=True))
    if not sectors and not ecosystems:
        return []
    comparable = Cluster.objects.filter(
        Q(sectors__in=sectors) | Q(ecosystems__in=ecosystems)
    ).values("pk")
    rows = (
        Assessment.objects.submitted()
        .filter(cluster_id__in=comparable, size_band=assessment.size_band)
        .exclude(cluster_id=assessment.cluster_id)
        .order_by("cluster_id", "-submitted_at", "-pk")
        .values_list("cluster_id", "scores")
    )
    latest: dict[int, dict] = {}
    for cluster_id, scores in rows:
        latest.setdefault(cluster_id, scores)
    return list(latest.values())


def peer_view(assessment: Assessment) -> dict:
    peers = peer_scores(assessment)
    enough = len(peers) >= scoring.MIN_PEERS
    blocks = []
    labels = dict(Block.choices)
    for block in scoring.SCORED_BLOCKS:
        own = assessment.scores.get(block)
        values = [p[block] for p in peers if block in p]
        row = {"block": block, "label": labels[block], "own": own, "count": len(values)}
        if own is not None and len(values) >= scoring.MIN_PEERS:
            low, middle, high = scoring.quartiles(values)
            row.update(
                low=low,
                median=middle,
                high=high,
                spread=round(high - low, 1),
                median_x=max(0.0, round(middle - 0.4, 1)),
                position=scoring.position(own, values),
            )
        blocks.append(row)
    return {
        "count": len(peers),
        "enough": enough,
        "minimum": scoring.MIN_PEERS,
        "size_band": scoring.SIZE_BANDS.get(assessment.size_band, ""),
        "blocks": blocks,
    }


def network_view(network) -> dict:
    """Figures over a network's member clusters whose managers agreed to share them: their
    latest submitted assessments, per block the quartiles, and how many sit in each
    life-cycle stage — only when at least MIN_PEERS agreed."""
    rows = (
        Assessment.objects.submitted()
        .filter(
            cluster__networks=network,
            cluster__deleted_at=None,
            share_with_networks=True,
            is_synthetic=False,
        )
        .order_by("cluster_id", "-submitted_at", "-pk")
        .values_list("cluster_id", "scores", "stage")
    )
    latest: dict[int, tuple] = {}
    for cluster_id, scores, stage in rows:
        latest.setdefault(cluster_id, (scores, stage))
    count = len(latest)
    view = {"count": count, "enough": count >= scoring.MIN_PEERS, "minimum": scoring.MIN_PEERS}
    if not view["enough"]:
        return view
    labels = dict(Block.choices)
    blocks = []
    for block in scoring.SCORED_BLOCKS:
        values = [scores[block] for scores, _ in latest.values() if block in scores]
        if len(values) >= scoring.MIN_PEERS:
            low, middle, high = scoring.quartiles(values)
            blocks.append(
                {
                    "label": labels[block],
                    "count": len(values),
                    "low": low,
                    "median": middle,
                    "high": high,
                }
            )
    stages = dict.fromkeys(scoring.STAGES, 0)
    for _, stage in latest.values():
        if stage in stages:
            stages[stage] += 1
    view["blocks"] = blocks
    view["stages"] = [(scoring.STAGES[code][0], n) for code, n in stages.items()]
    return view
