from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from clusterbridge.core.editing import save_or_conflict
from clusterbridge.core.spreadsheets import table_download
from clusterbridge.funding.filtersets import InstrumentMatrixFilterSet
from clusterbridge.funding.matrices import instrument_matrix
from clusterbridge.funding.models import Instrument
from clusterbridge.projects import services
from clusterbridge.projects.filtersets import ProjectFilterSet
from clusterbridge.projects.forms import ProjectForm
from clusterbridge.projects.matrices import project_matrix
from clusterbridge.projects.models import Project
from clusterbridge.taxonomy.groups import feature_groups
from clusterbridge.taxonomy.models import Country, Feature


def visible_projects(user):
    return Project.objects.real().visible_to(user).select_related("country")


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
            "query": query.urlencode(),
            "can_create": Project.user_can_create(request.user),
            "categories": feature_groups(),
            "countries": Country.objects.all(),
            "checked": set(request.GET.getlist("feature")),
            "chosen_countries": set(request.GET.getlist("country")),
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
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "features": features,
            "can_change": project.user_can_change(request.user),
        },
    )


def _edit(request, project: Project | None):
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        result = save_or_conflict(request, form, services.projects, obj=project)
        if isinstance(result, HttpResponse):
            return result
        if result is not None:
            if project is None:
                messages.success(request, f"Project “{result.obj}” added.")
            else:
                messages.success(request, "Changes saved.")
            return redirect(result.obj)
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
        services.projects.delete(project, request.user)
        messages.success(request, f"Project “{project}” deleted (it can be restored).")
        return redirect("projects:list")
    return render(request, "projects/delete.html", {"project": project})


def matrix(request):
    """Projects × features (seed 001 figure 1, Annex 2); ?format=csv|xlsx downloads it."""
    filterset = ProjectFilterSet(request.GET, queryset=visible_projects(request.user))
    table = project_matrix(filterset.qs)
    download = table_download(table, request.GET.get("format", ""), "projects-features")
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
    download = table_download(table, request.GET.get("format", ""), "instruments-features")
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
