from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from clusterbridge.core.filter_panel import (
    Facet,
    Fields,
    FilterPanel,
    field_errors,
    options,
    other_filter_counts,
    selected,
)
from clusterbridge.funding.models import Instrument
from clusterbridge.matching.services import profile_for, results_for
from clusterbridge.projects import services
from clusterbridge.projects.exports import export
from clusterbridge.projects.filtersets import InstrumentMatrixFilterSet, ProjectFilterSet
from clusterbridge.projects.forms import ProjectForm
from clusterbridge.projects.matrices import instrument_matrix, project_matrix
from clusterbridge.projects.models import Project, Stage
from clusterbridge.taxonomy.models import Country, Feature, FeatureCategory


def visible_projects(user):
    return Project.objects.real().visible_to(user).select_related("country")


def feature_groups():
    """Feature categories with their features, for grouped checkboxes."""
    return FeatureCategory.objects.prefetch_related(
        Prefetch("features", queryset=Feature.objects.order_by("order"))
    )


# Single-valued facets of the projects list and the path of their value.
PROJECT_FACETS = {"country": "country__code", "stage": "stage", "call": "call"}


def _project_panel(request, filterset, total: int) -> FilterPanel:
    form = filterset.form

    def make(query):
        return ProjectFilterSet(query, queryset=visible_projects(request.user))

    valid = filterset.is_valid()
    counts, names = (
        other_filter_counts(make, request.GET, PROJECT_FACETS, {"country": "country__label"})
        if valid
        else ({}, {})
    )
    # Features: projects must have every ticked one, so each count is within the results.
    by_feature = (
        dict(
            filterset.qs.order_by()
            .values_list("features__code")
            .annotate(n=Count("pk", distinct=True))
            .values_list("features__code", "n")
        )
        if valid
        else {}
    )
    # A ticked country no project has any more is still named.
    missing = set(selected(request, "country")) - names.keys()
    names.update(Country.objects.filter(code__in=missing).values_list("code", "label"))
    countries = sorted(names.items(), key=lambda item: item[1])
    calls = sorted(counts.get("call", {}).keys() | set(selected(request, "call")), key=str.lower)
    sections: list = [
        Fields("", [form["q"]]),
        Facet(
            "country",
            "Country",
            options(countries, counts.get("country"), selected(request, "country")),
            long=len(countries) > 8,
        ),
        Facet(
            "stage",
            "Stage",
            options(
                [("", "Any stage"), *Stage.choices],
                {"": total, **counts.get("stage", {})},
                [request.GET.get("stage", "")],
            ),
            multiple=False,
        ),
        Facet(
            "call",
            "Call",
            options(
                [("", "Any call"), *[(c, c) for c in calls]],
                {"": total, **counts.get("call", {})},
                [request.GET.get("call", "")],
            ),
            multiple=False,
        ),
    ]
    for category in feature_groups():
        sections.append(
            Facet(
                "feature",
                category.label,
                options(
                    [(f.code, f.label) for f in category.features.all()],
                    by_feature,
                    selected(request, "feature"),
                ),
                folded=True,
                key=f"feature-{category.code}",
            )
        )
    return FilterPanel(
        request,
        sections,
        total=total,
        label="Filter projects",
        noun=("project", "projects"),
        errors=field_errors(form),
        count=lambda query: make(query).qs.count(),
    )


def project_list(request):
    filterset = ProjectFilterSet(request.GET, queryset=visible_projects(request.user))
    projects = filterset.qs.prefetch_related(
        Prefetch("features", queryset=Feature.objects.select_related("category"))
    )
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/list.html",
        {
            "filterset": filterset,
            "page": page,
            "panel": _project_panel(request, filterset, page.paginator.count),
            "query": query.urlencode(),
            "can_create": Project.user_can_create(request.user),
            "panel_features": set(selected(request, "feature")),
        },
    )


def _get_visible(request, pk) -> Project:
    project = get_object_or_404(
        Project.objects.real().select_related("country", "owner", "owner_cluster"), pk=pk
    )
    if not project.user_can_view(request.user):
        raise Http404("No such project.")
    return project


def project_detail(request, pk):
    project = _get_visible(request, pk)
    features = list(project.features.select_related("category"))
    count, results = results_for(profile_for(project), limit=10)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "features": features,
            "results": results,
            "match_count": count,
            "can_change": project.user_can_change(request.user),
        },
    )


def _edit(request, project: Project | None):
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        if project is None:
            project = services.create(form, user=request.user)
            messages.success(request, f"Project “{project}” added.")
        else:
            services.update(form, user=request.user)
            messages.success(request, "Changes saved.")
        return redirect(project)
    return render(
        request,
        "projects/form.html",
        {
            "form": form,
            "project": project,
            "categories": feature_groups(),
            "checked": set(form["features"].value() or []),
        },
        status=400 if form.errors else 200,
    )


@login_required
def project_create(request):
    if not Project.user_can_create(request.user):
        raise PermissionDenied("You may not add projects.")
    return _edit(request, None)


@login_required
def project_edit(request, pk):
    project = _get_visible(request, pk)
    if not project.user_can_change(request.user):
        raise PermissionDenied("You may not change this project.")
    return _edit(request, project)


@login_required
def project_delete(request, pk):
    project = _get_visible(request, pk)
    if not project.user_can_change(request.user):
        raise PermissionDenied("You may not delete this project.")
    if request.method == "POST":
        services.delete(project, user=request.user)
        messages.success(request, f"Project “{project}” deleted (it can be restored).")
        return redirect("projects:list")
    return render(request, "projects/delete.html", {"project": project})


def matrix(request):
    """Projects × features (seed 001 figure 1, Annex 2); ?format=csv|xlsx downloads it."""
    filterset = ProjectFilterSet(request.GET, queryset=visible_projects(request.user))
    table = project_matrix(filterset.qs)
    download = export(table, request.GET.get("format", ""), "projects-features")
    return download or render(
        request,
        "projects/matrix.html",
        {
            "table": table,
            "filterset": filterset,
            "heading": "Projects × features",
            "query": request.GET.urlencode(),
            "export_query": _export_query(request),
        },
    )


def instrument_features_matrix(request):
    """Instruments × features (seed 001 figure 2); ?format=csv|xlsx downloads it."""
    filterset = InstrumentMatrixFilterSet(request.GET, queryset=Instrument.objects.real())
    table = instrument_matrix(filterset.qs)
    download = export(table, request.GET.get("format", ""), "instruments-features")
    return download or render(
        request,
        "projects/matrix.html",
        {
            "table": table,
            "filterset": filterset,
            "heading": "Funding instruments × features",
            "export_query": _export_query(request),
            "countries": Country.objects.all(),
            "chosen_countries": set(request.GET.getlist("country")),
            "origin_choices": Instrument.Origin.choices,
            "origin": request.GET.get("origin", ""),
        },
    )


def _export_query(request) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()
