"""Pages of benchmarking: the public introduction with the indicator catalogue; a cluster's
assessments; the questionnaire block by block; the report (page and PDF). Answers are seen
by the cluster's managers and administrators only — anyone else gets "not found"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clusterbridge.accounts import roles
from clusterbridge.benchmarking import peers, report, scoring, services
from clusterbridge.benchmarking.filtersets import IndicatorFilterSet
from clusterbridge.benchmarking.forms import BlockForm
from clusterbridge.benchmarking.models import BLOCKS, AnswerType, Assessment, Block, Indicator
from clusterbridge.clusters.models import Cluster, Network
from clusterbridge.core import spreadsheets
from clusterbridge.core.filter_panel import (
    Facet,
    Fields,
    FilterPanel,
    field_errors,
    options,
    other_filter_counts,
    selected,
)


def managed_clusters(user):
    if not roles.is_member(user):
        return Cluster.objects.none()
    return Cluster.objects.filter(
        manager_links__user=user, manager_links__approved=True, manager_links__deleted_at=None
    ).order_by("name")


def index(request: HttpRequest) -> HttpResponse:
    def make(query):
        return IndicatorFilterSet(query, queryset=Indicator.objects.all())

    filterset = make(request.GET)
    valid = filterset.is_valid()
    indicators = list(filterset.qs) if valid else []
    counts, _ = other_filter_counts(
        make, request.GET, {"block": "block", "answer_type": "answer_type"}
    )
    panel = FilterPanel(
        request,
        [
            Fields("", [filterset.form["q"]]),
            Facet(
                "block",
                "Block",
                options(Block.choices, counts.get("block"), selected(request, "block")),
            ),
            Facet(
                "answer_type",
                "Answer type",
                options(
                    AnswerType.choices, counts.get("answer_type"), selected(request, "answer_type")
                ),
            ),
            Facet(
                "label_rule",
                "Label eligibility",
                options(
                    [("", "All indicators"), ("true", "Eligibility rules only")],
                    None,
                    [request.GET.get("label_rule", "")],
                ),
                multiple=False,
            ),
        ],
        total=len(indicators),
        label="Filter the indicators",
        noun=("indicator", "indicators"),
        errors=field_errors(filterset.form),
        count=lambda query: make(query).qs.count(),
    )
    clusters = list(managed_clusters(request.user))
    return render(
        request,
        "benchmarking/index.html",
        {
            "panel": panel,
            "indicators": indicators,
            "blocks": Block.choices,
            "clusters": clusters,
            "submit_share": scoring.SUBMIT_SHARE,
            "assessment_disclaimer": {"document": scoring.SEED2, "lines": [269, 269]},
            "blocks_source": {"document": scoring.SEED2, "lines": [252, 262]},
            "eligibility_source": {"document": scoring.SEED3, "lines": [157, 168]},
            "lifecycle_source": {"document": scoring.SEED2, "lines": [623, 659]},
        },
        status=200 if valid else 400,
    )


def _cluster(request: HttpRequest, slug: str) -> Cluster:
    cluster = get_object_or_404(Cluster.objects.all(), slug=slug)
    if not (roles.is_admin(request.user) or cluster.is_managed_by(request.user)):
        raise Http404("No such cluster to assess.")
    return cluster


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.for_user(request.user).select_related("cluster"), pk=pk
    )
    return assessment


@login_required
def cluster_assessments(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _cluster(request, slug)
    rows = list(cluster.assessments.filter(deleted_at=None).order_by("-created_at"))
    return render(
        request,
        "benchmarking/cluster.html",
        {"cluster": cluster, "assessments": rows, "has_draft": any(a.is_draft for a in rows)},
    )


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _cluster(request, slug)
    assessment = services.start_assessment(cluster, request.user)
    return redirect("benchmarking:block", pk=assessment.pk, block="I")


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    if not item.is_draft:
        return redirect("benchmarking:report", pk=item.pk)
    return render(
        request,
        "benchmarking/assessment.html",
        {
            "assessment": item,
            "cluster": item.cluster,
            "progress": scoring.block_progress(item.indicators, item.answers),
            "submit_share": scoring.SUBMIT_SHARE,
            "can_submit": item.completion >= scoring.SUBMIT_SHARE,
        },
    )


@login_required
def block(request: HttpRequest, pk: int, block: str) -> HttpResponse:
    item = _assessment(request, pk)
    if block not in BLOCKS:
        raise Http404("No such block.")
    if not item.is_draft:
        return redirect("benchmarking:report", pk=item.pk)
    autosave = request.headers.get("X-Autosave") == "1"
    status = 200
    if request.method == "POST":
        form = BlockForm(item, block, request.POST)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            item = services.save_answers(item, request.user, form.raw_answers(), version=version)
        except ValidationError as error:
            if autosave:
                return JsonResponse({"errors": error.message_dict}, status=400)
            # The bound form finds the same problems when it is shown; add only the others.
            shown = form.errors
            for code, problems in error.message_dict.items():
                for problem in problems:
                    if problem not in shown.get(code, []):
                        form.add_error(code if code in form.fields else None, problem)
            status = 400
        except services.AnswerConflict as conflict:
            if autosave:
                return JsonResponse({"conflict": conflict.codes}, status=409)
            item = conflict.assessment
            form = BlockForm(item, block)
            form.add_error(None, str(conflict))
            status = 409
        except PermissionDenied:
            raise Http404("No such assessment.") from None
        else:
            if autosave:
                return JsonResponse({"version": item.version, "completion": item.completion})
            messages.success(request, f"Block {block} saved: {item.completion:.0%} answered.")
            following = BLOCKS.index(block) + 1
            if "next" in request.POST and following < len(BLOCKS):
                return redirect("benchmarking:block", pk=item.pk, block=BLOCKS[following])
            return redirect("benchmarking:assessment", pk=item.pk)
    else:
        form = BlockForm(item, block)
    progress = scoring.block_progress(item.indicators, item.answers)
    index = BLOCKS.index(block)
    return render(
        request,
        "benchmarking/block.html",
        {
            "assessment": item,
            "cluster": item.cluster,
            "form": form,
            "block": block,
            "block_label": dict(Block.choices)[block],
            "progress": progress,
            "has_next": index + 1 < len(BLOCKS),
            "prefilled": set(item.prefilled),
        },
        status=status,
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    try:
        services.submit(item, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("benchmarking:assessment", pk=item.pk)
    except PermissionDenied:
        raise Http404("No such assessment.") from None
    messages.success(request, "Assessment submitted. Here is where your organisation stands.")
    return redirect("benchmarking:report", pk=item.pk)


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    return render(request, "benchmarking/report.html", report.build(item))


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    pdf = report.pdf(item, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="benchmarking-{item.pk}.pdf"'
    return response


def network(request: HttpRequest, code: str) -> HttpResponse:
    """Aggregate figures over a network's members who agreed to share (public: nothing in it
    belongs to one organisation)."""
    item = get_object_or_404(Network.objects.all(), code=code)
    return render(
        request, "benchmarking/network.html", {"network": item, "view": peers.network_view(item)}
    )


@login_required
@require_POST
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    share = request.POST.get("share") == "1"
    try:
        services.set_sharing(item, request.user, share)
    except PermissionDenied:
        raise Http404("No such assessment.") from None
    messages.success(
        request,
        "Your networks may count this assessment in their figures."
        if share
        else "Your networks no longer count this assessment.",
    )
    return redirect(request.POST.get("next") or item.get_absolute_url())


def _shown_answer(spec: dict, value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "yes" if value else "no"
    labels = {c["value"]: c["label"] for c in spec.get("choices") or []}
    if isinstance(value, list):
        return "; ".join(labels.get(v, v) for v in value)
    return str(labels.get(value, value))


@login_required
def answers_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The assessment's questions and answers, for its managers only (formula-safe)."""
    item = _assessment(request, pk)
    header = ["Block", "Code", "Question", "Answer", "Unit", "Source"]
    rows = [header]
    for spec in item.indicators:
        sources = "; ".join(
            f"{place['document']} L{place['lines'][0]}-{place['lines'][1]}"
            for place in spec.get("provenance") or []
        )
        value = _shown_answer(spec, item.answers.get(spec["code"]))
        rows.append([spec["block"], spec["code"], spec["question"], value, spec["unit"], sources])
    name = f"benchmarking-{item.cluster.slug}-{item.pk}"
    return spreadsheets.rows_response(file_format, name, rows, title="Answers")
