"""The report of one assessment: life-cycle stage, label eligibility and readiness, services
against the labelled clusters, place among peers; as a page and as a PDF (WeasyPrint)."""

from django.template.loader import render_to_string

from clusterbridge.benchmarking import peers, scoring
from clusterbridge.benchmarking.models import Assessment
from clusterbridge.taxonomy.models import Term, Vocabulary

POSITION_TEXT = {
    "champion": "Champion: at or above three quarters of the peers",
    "pioneer": "Pioneer: between the lowest and the highest quarter of the peers",
    "struggler": "Struggler: below a quarter of the peers",
}


def build(assessment: Assessment) -> dict:
    indicators, answers = assessment.indicators, assessment.answers
    rules = scoring.eligibility(answers)
    labels = dict(
        Term.objects.filter(vocabulary=Vocabulary.CLUSTER_SERVICES).values_list("code", "label")
    )
    peer = peers.peer_view(assessment)
    for row in peer["blocks"]:
        row["position_text"] = POSITION_TEXT.get(row.get("position", ""), "")
    stage = scoring.lifecycle_stage(indicators, answers)
    seed2 = scoring.SEED2
    return {
        "disclaimer_source": {"document": seed2, "lines": [269, 269]},
        "stage_source": {"document": seed2, "lines": stage.lines or [623, 659]},
        "services_source": {"document": seed2, "lines": [2102, 2105]},
        "groups_source": {"document": seed2, "lines": [299, 299]},
        "assessment": assessment,
        "cluster": assessment.cluster,
        "stage": stage,
        "stages": scoring.STAGES,
        "rules": rules,
        "readiness": scoring.readiness(indicators, answers, rules),
        "services": scoring.services_gap(answers, labels),
        "peers": peer,
        "progress": scoring.block_progress(indicators, answers),
        "min_peers": scoring.MIN_PEERS,
    }


def pdf(assessment: Assessment, base_url: str = "") -> bytes:
    from weasyprint import HTML

    html = render_to_string("benchmarking/report_pdf.html", build(assessment))
    return HTML(string=html, base_url=base_url or None).write_pdf()
