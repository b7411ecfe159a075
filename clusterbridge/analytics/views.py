"""Pages of the analytics app: regional specialisation (schematic map, ranked table, region
pages, the editors' upload), the relatedness network and its keystone agents, and the
project groups. Thin: the work is in regional.py, specialisation.py, network.py, groups.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from clusterbridge.accounts.roles import is_editor
from clusterbridge.analytics import eurostat, regional, services, tiles
from clusterbridge.analytics.forms import RegionalUploadForm, SpecialisationQuery
from clusterbridge.analytics.models import RegionalDataset
from clusterbridge.core.spreadsheets import rows_response
from clusterbridge.taxonomy.models import Country, Term, Vocabulary

TABLE_HEADER = [
    "Region",
    "Region name",
    "Industry or ecosystem",
    "Persons employed",
    "Flags",
    "Share of the region's employment",
    "Share of the reference area's employment",
    "Location quotient",
    "Industry-relevant node",
    "Region-relevant node",
    "Note",
]


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "analytics/index.html",
        {"dataset": regional.latest_dataset(), "can_import": is_editor(request.user)},
    )


def _ecosystem_labels() -> dict[str, str]:
    return dict(Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS).values_list("code", "label"))


def specialisation_context(params) -> dict:
    """Everything the page and the API show for the query `params` (a QueryDict)."""
    query = SpecialisationQuery(params)
    query.is_valid()
    data = query.cleaned_data if query.is_valid() else {}
    datasets = list(RegionalDataset.objects.real())
    dataset = next((d for d in datasets if d.code == data.get("dataset")), None)
    dataset = dataset or regional.latest_dataset()
    context: dict = {"query": query, "datasets": datasets, "dataset": dataset}
    if dataset is None:
        return context
    choice = regional.choose(dataset, data.get("series", ""), data.get("period", ""))
    ecosystems = _ecosystem_labels()
    ecosystem = data.get("ecosystem") or ""
    by_ecosystem = ecosystem in ecosystems
    analysis = regional.analyse(choice, by_ecosystem=by_ecosystem)
    industries = (
        sorted({r.industry for r in regional.analyse(choice).results})
        if by_ecosystem
        else sorted({r.industry for r in analysis.results})
    )
    industry = ecosystem if by_ecosystem else (data.get("industry") or "")
    if not by_ecosystem and industry not in industries:
        industry = ""
    results = analysis.for_industry(industry) if industry else analysis.results
    if data.get("nodes"):
        results = [r for r in results if r.is_node]
    sort = data.get("sort") or "-lq"
    if sort == "geo":
        results = sorted(results, key=lambda r: (r.geo, r.industry))
    elif sort == "-employment":
        results = sorted(results, key=lambda r: -(r.employment or -1))
    else:
        results = sorted(results, key=lambda r: (r.lq is None, -(r.lq or 0), r.geo))
    labels = dataset.geo_labels or {}
    industry_labels = dict(dataset.industry_labels or {})
    context.update(
        choice=choice,
        analysis=analysis,
        results=results,
        industry=industry,
        industry_label=(
            ecosystems.get(industry) if by_ecosystem else industry_labels.get(industry, "")
        ),
        by_ecosystem=by_ecosystem,
        industries=[(code, industry_labels.get(code, "")) for code in industries],
        ecosystems=sorted(ecosystems.items(), key=lambda item: item[1]),
        ecosystem_labels=ecosystems,
        geo_labels=labels,
        industry_labels=industry_labels,
        mapping=regional.mapping(),
        doubts=regional.mapping_doubts(choice.level) if by_ecosystem else {},
        citation=f"{dataset.citation()}, {choice.period}, {choice.series or 'one series'}",
    )
    if industry:
        context["map"] = tiles.layout(
            analysis.for_industry(industry),
            labels,
            dict(Country.objects.values_list("code", "label")),
            lambda geo: (
                reverse("analytics:region", args=[geo]) + "?" + urlencode({"dataset": dataset.code})
            ),
        )
    return context


def _rows(context) -> list[list]:
    labels = context.get("geo_labels", {})
    names = context.get("ecosystem_labels", {})
    rows = []
    for r in context.get("results", []):
        note = r.status
        if r.left_out:
            note = f"{r.left_out} cell(s) without a value left out"
        rows.append(
            [
                r.geo,
                labels.get(r.geo, ""),
                names.get(r.industry, r.industry),
                r.employment,
                r.flags,
                round(r.share_of_region, 6) if r.share_of_region is not None else None,
                round(r.industry_share_of_reference, 6)
                if r.industry_share_of_reference is not None
                else None,
                round(r.lq, 4) if r.lq is not None else None,
                "yes" if r.industry_node else "no",
                "yes" if r.region_node else "no",
                note,
            ]
        )
    return rows


def specialisation(request: HttpRequest) -> HttpResponse:
    context = specialisation_context(request.GET)
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx") and context.get("dataset"):
        rows = [["Source: " + context["citation"]], TABLE_HEADER, *_rows(context)]
        return rows_response(
            file_format,
            f"specialisation-{context['dataset'].code}",
            rows,
            title="Specialisation",
            header_rows=2,
        )
    context["rows"] = _rows(context)
    context["can_import"] = is_editor(request.user)
    params = request.GET.copy()
    params.pop("format", None)
    context["download_query"] = params.urlencode()
    return render(request, "analytics/specialisation.html", context)


def region(request: HttpRequest, geo: str) -> HttpResponse:
    datasets = RegionalDataset.objects.real()
    dataset = (
        datasets.filter(code=request.GET.get("dataset", "")).first() or regional.latest_dataset()
    )
    if dataset is None:
        raise Http404("No regional data is imported.")
    choice = regional.choose(dataset, request.GET.get("series", ""), request.GET.get("period", ""))
    by_industry = regional.analyse(choice).for_region(geo)
    for result in by_industry:
        result.label = (dataset.industry_labels or {}).get(result.industry, "")
    by_ecosystem = regional.analyse(choice, by_ecosystem=True).for_region(geo)
    if not by_industry:
        raise Http404("This region is not in the dataset.")
    label = (dataset.geo_labels or {}).get(geo, "")
    from clusterbridge.clusters.models import Cluster
    from clusterbridge.core.search import fold

    country = Country.objects.filter(code=geo[:2]).first()
    clusters = []
    if label:
        clusters = [
            c
            for c in Cluster.objects.public()
            .filter(country__code=geo[:2])
            .only("name", "slug", "region")
            if c.region and fold(label) in fold(c.region)
        ]
    from clusterbridge.funding.models import Instrument

    # Calls of the region's country: national or regional ones, open today (the funding
    # search holds the rest, EU-wide calls included).
    calls = list(
        Instrument.objects.real()
        .open()
        .filter(country__code=geo[:2])
        .order_by("final_deadline", "name")[:10]
    )
    ecosystems = _ecosystem_labels()
    return render(
        request,
        "analytics/region.html",
        {
            "geo": geo,
            "label": label,
            "country": country,
            "dataset": dataset,
            "choice": choice,
            "nodes": sorted((r for r in by_industry if r.is_node), key=lambda r: -(r.lq or 0)),
            "ecosystem_nodes": sorted(
                (r for r in by_ecosystem if r.is_node), key=lambda r: -(r.lq or 0)
            ),
            "ecosystem_labels": ecosystems,
            "industry_labels": dataset.industry_labels or {},
            "unknown": [r for r in by_industry if r.employment is None],
            "clusters": clusters,
            "calls": calls,
            "citation": f"{dataset.citation()}, {choice.period}",
        },
    )


def upload(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_editor(request.user):
        raise PermissionDenied("Only editors import regional statistics.")
    report = None
    form = RegionalUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            report = services.import_regional(
                uploaded.read(),
                user=request.user,
                dataset_code=form.cleaned_data["dataset"],
                filename=uploaded.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except eurostat.EurostatFileError as error:
            form.add_error("file", str(error))
        else:
            if report.written:
                messages.success(request, report.headline())
                return redirect(
                    reverse("analytics:specialisation") + f"?dataset={report.dataset_code}"
                )
    status = 400 if report is not None and report.errors else 200
    return render(request, "analytics/upload.html", {"form": form, "report": report}, status=status)


def dataset_detail(request: HttpRequest, code: str) -> HttpResponse:
    dataset = get_object_or_404(RegionalDataset.objects.real(), code=code)
    return redirect(dataset.get_absolute_url())


# The relatedness network -----------------------------------------------------------------
NETWORK_KINDS = (
    ("", "all"),
    ("cluster", "clusters"),
    ("organisation", "organisations"),
)


def _network_params(params) -> dict:
    ecosystems = _ecosystem_labels()
    countries = dict(Country.objects.values_list("code", "label"))
    ecosystem = params.get("ecosystem", "")
    country = params.get("country", "")
    kind = params.get("type", "")
    return {
        "ecosystem": ecosystem if ecosystem in ecosystems else "",
        "country": country if country in countries else "",
        "type": kind if kind in dict(NETWORK_KINDS) else "",
        "ecosystems": sorted(ecosystems.items(), key=lambda item: item[1]),
        "countries": sorted(countries.items(), key=lambda item: item[1]),
    }


def network_context(params) -> dict:
    from clusterbridge.analytics import network

    chosen = _network_params(params)
    analysis = network.cached_analysis(country=chosen["country"], ecosystem=chosen["ecosystem"])
    graph = analysis.graph
    keystones = [k for k in analysis.keystones if not chosen["type"] or k.kind == chosen["type"]]
    return {
        **chosen,
        "graph": graph,
        "analysis": analysis,
        "keystones": keystones,
        "counts": network.kinds_count(graph),
        "kinds": NETWORK_KINDS,
        "communities": [c for c in analysis.communities if len(c.members) > 1][:15],
        "isolated": sum(1 for c in analysis.communities if len(c.members) == 1)
        + sum(1 for n in graph if graph.degree(n) == 0 and n not in analysis.community_of),
        "weights": network.WEIGHTS,
        "community_map": network.community_map(analysis),
    }


def keystones(request: HttpRequest) -> HttpResponse:
    context = network_context(request.GET)
    params = request.GET.copy()
    context["query_string"] = params.urlencode()
    return render(request, "analytics/network.html", context)


def network_node(request: HttpRequest, node: str) -> HttpResponse:
    from clusterbridge.analytics import network

    analysis = network.cached_analysis()
    graph = analysis.graph
    if node not in graph:
        raise Http404("No such node in the public network.")
    return render(
        request,
        "analytics/network_node.html",
        {
            "node": node,
            "data": graph.nodes[node],
            "neighbours": network.neighbours(graph, node),
            "betweenness": analysis.betweenness.get(node, 0.0),
            "community": next((c for c in analysis.communities if node in c.members), None),
        },
    )


def network_export(request: HttpRequest, file_format: str) -> HttpResponse:
    import io

    import networkx as nx

    from clusterbridge.analytics import network

    context = network_context(request.GET)
    flat = network.for_export(context["graph"], context["analysis"])
    buffer = io.BytesIO()
    if file_format == "gexf":
        nx.write_gexf(flat, buffer)
        content_type = "application/gexf+xml"
    else:
        nx.write_graphml(flat, buffer)
        content_type = "application/graphml+xml"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="clusterbridge-network.{file_format}"'
    return response


# Project groups ---------------------------------------------------------------------------
def _visible_projects(user):
    from clusterbridge.projects.models import Project

    return Project.objects.real().visible_to(user)


def groups_page(request: HttpRequest) -> HttpResponse:
    from django.db.models import Prefetch

    from clusterbridge.analytics import groups
    from clusterbridge.analytics.models import ProjectGroup

    visible = _visible_projects(request.user)
    group_list = ProjectGroup.objects.prefetch_related(
        Prefetch("projects", queryset=visible.order_by("name"), to_attr="shown_projects")
    ).select_related("manager")
    calls = sorted(set(visible.exclude(call="").values_list("call", flat=True)))
    call = request.GET.get("call", "")
    suggestions, without_features = [], []
    if call in calls:
        chosen = list(visible.filter(call=call).prefetch_related("features"))
        without_features = [p for p in chosen if not p.features.all()]
        suggestions = groups.suggest(p for p in chosen if p.features.all())
    return render(
        request,
        "analytics/groups.html",
        {
            "groups": group_list,
            "calls": calls,
            "call": call,
            "suggestions": suggestions,
            "without_features": without_features,
            "threshold": groups.SIMILARITY_THRESHOLD,
            "can_edit": is_editor(request.user),
        },
    )


def _require_group_editor(request: HttpRequest) -> None:
    if not is_editor(request.user):
        raise PermissionDenied("Only editors name and confirm project groups.")


def group_create(request: HttpRequest) -> HttpResponse:
    """Save a suggested grouping (the projects ticked) as a group to name and confirm."""
    from clusterbridge.analytics.models import ProjectGroup

    _require_group_editor(request)
    if request.method != "POST":
        return redirect("analytics:groups")
    ids = [int(pk) for pk in request.POST.getlist("projects") if pk.isdigit()]
    projects = list(_visible_projects(request.user).filter(pk__in=ids))
    name = (request.POST.get("name") or "").strip()[:200] or "New group"
    result = services.groups.create(
        request.user,
        {"name": name, "projects": projects, "status": ProjectGroup.Status.SUGGESTED},
        message="Saved from a suggested grouping",
    )
    messages.success(request, "Group saved: name its area and end users, then confirm it.")
    return redirect("analytics:group-edit", slug=result.obj.slug)


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    from clusterbridge.analytics import groups
    from clusterbridge.analytics.models import ProjectGroup

    group = get_object_or_404(ProjectGroup.objects.select_related("manager"), slug=slug)
    return render(
        request,
        "analytics/group.html",
        {
            "group": group,
            "projects": group.projects.filter(
                pk__in=_visible_projects(request.user).values("pk")
            ).order_by("name"),
            "can_edit": is_editor(request.user),
            "events_available": groups.event_hook() is not None,
        },
    )


def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    from clusterbridge.analytics.forms import ProjectGroupForm
    from clusterbridge.analytics.models import ProjectGroup
    from clusterbridge.core.editing import save_or_conflict

    _require_group_editor(request)
    group = get_object_or_404(ProjectGroup, slug=slug)
    form = ProjectGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        result = save_or_conflict(request, form, services.groups, obj=group)
        if isinstance(result, HttpResponse):
            return result
        if result is not None:
            messages.success(request, f"{result.obj.name} saved.")
            return redirect(result.obj.get_absolute_url())
    return render(request, "analytics/group_form.html", {"form": form, "group": group})


def group_event(request: HttpRequest, slug: str) -> HttpResponse:
    from clusterbridge.analytics import groups
    from clusterbridge.analytics.models import ProjectGroup

    _require_group_editor(request)
    group = get_object_or_404(ProjectGroup, slug=slug)
    hook = groups.event_hook()
    if request.method != "POST" or hook is None:
        return redirect(group.get_absolute_url())
    # The hook returns the new event, or its prefilled form when the organiser still has to
    # choose the date and place.
    return redirect(hook(group, request.user))
