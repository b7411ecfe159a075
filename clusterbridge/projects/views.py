from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from clusterbridge.core.editing import save_or_conflict
from clusterbridge.core.filter_panel import (
    Facet,
    Fields,
    FilterPanel,
    field_errors,
    options,
    other_filter_counts,
    selected,
)
from clusterbridge.core.spreadsheets import table_download
from clusterbridge.funding.filtersets import InstrumentMatrixFilterSet
from clusterbridge.funding.matrices import instrument_matrix
from clusterbridge.funding.models import Instrument
from clusterbridge.projects import services
from clusterbridge.projects.filtersets import ProjectFilterSet
from clusterbridge.projects.forms import ProjectForm
from clusterbridge.projects.matrices import project_matrix
from clusterbridge.projects.models import Project, Stage
from clusterbridge.taxonomy.groups import all_features, feature_groups
from clusterbridge.taxonomy.models import Country, Feature, FeatureCategory


def visible_projects(user):
    return Project.objects.real().visible_to(user).select_related("country")


# Single-valued facets of the projects list and the path of their value.
PROJECT_FACETS = {"country": "country__code", "stage": "stage", "call": "call"}


def _by_category(features: list[Feature]) -> list[tuple[FeatureCategory, list[Feature]]]:
    groups: dict = {}
    for feature in features:
        groups.setdefault(feature.category, []).append(feature)
    return list(groups.items())


def _feature_facets(request, counts, features: list[Feature], name: str = "feature") -> list:
    """One folded facet of features per category (labels, never bare codes)."""
    return [
        Facet(
            name,
            category.label,
            options([(f.code, f.label) for f in members], counts, selected(request, name)),
            folded=True,
            key=f"{name}-{category.code}",
        )
        for category, members in _by_category(features)
    ]


def _project_sections(request, filterset, total: int, features: list[Feature]) -> list:
    """The filters of projects, shared by the list and the projects × features matrix."""
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
    return [
        Fields("", [form["q"]]),
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
            "country",
            "Country",
            options(countries, counts.get("country"), selected(request, "country")),
            long=len(countries) > 8,
        ),
        *_feature_facets(request, by_feature, features),
    ]


def _make_panel(request, filterset, sections, total: int, noun, label, make) -> FilterPanel:
    return FilterPanel(
        request,
        sections,
        total=total,
        label=label,
        noun=noun,
        errors=field_errors(filterset.form),
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
            "panel": _make_panel(
                request,
                filterset,
                _project_sections(request, filterset, page.paginator.count, all_features()),
                page.paginator.count,
                ("project", "projects"),
                "Filter projects",
                lambda query: ProjectFilterSet(query, queryset=visible_projects(request.user)),
            ),
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


def _row_sections(request, features: list[Feature]) -> list:
    """The rows of a matrix: which feature categories, and whether empty rows show."""
    categories = [(c.code, c.label) for c, _ in _by_category(features)]
    return [
        Facet(
            "category",
            "Rows: feature categories",
            options(categories, None, selected(request, "category")),
        ),
        Facet(
            "used",
            "Rows",
            options([("1", "Only features some column has")], None, selected(request, "used")),
        ),
    ]


def _matrix_page(request, *, filterset, build, column_sections, heading, noun, filename, make):
    """A matrix page (or its download): columns chosen by the list's filters, rows by
    feature category; a table with a sticky header row and first column, and one card per
    column on a phone."""
    features = all_features()
    valid = filterset.is_valid()
    matrix = build(
        filterset.qs if valid else filterset.queryset.none(),
        categories=selected(request, "category"),
        only_used=request.GET.get("used") == "1",
        features=features,
    )
    download = table_download(matrix.table(), request.GET.get("format", ""), filename)
    if download:
        return download
    total = len(matrix.columns)
    sections = [*column_sections(total, features), *_row_sections(request, features)]
    view = request.GET.get("view", "")
    return render(
        request,
        "projects/matrix.html",
        {
            "matrix": matrix,
            "filterset": filterset,
            "heading": heading,
            "panel": _make_panel(
                request, filterset, sections, total, noun, f"Filter the {heading} matrix", make
            ),
            "view": view if view in ("list", "table") else "auto",
            "export_query": _export_query(request),
        },
    )


def matrix(request):
    """Projects × features (seed 001 figure 1, Annex 2); ?format=csv|xlsx downloads it."""
    filterset = ProjectFilterSet(request.GET, queryset=visible_projects(request.user))
    return _matrix_page(
        request,
        filterset=filterset,
        build=project_matrix,
        column_sections=lambda total, features: _project_sections(
            request, filterset, total, features
        ),
        heading="Projects × features",
        noun=("project", "projects"),
        filename="projects-features",
        make=lambda query: ProjectFilterSet(query, queryset=visible_projects(request.user)),
    )


def _instrument_sections(request, filterset, total: int, features: list[Feature]) -> list:
    def make(query):
        return InstrumentMatrixFilterSet(query, queryset=Instrument.objects.real())

    counts, names = (
        other_filter_counts(
            make,
            request.GET,
            {"country": "country__code", "origin": "origin"},
            {"country": "country__label"},
        )
        if filterset.is_valid()
        else ({}, {})
    )
    missing = set(selected(request, "country")) - names.keys()
    names.update(Country.objects.filter(code__in=missing).values_list("code", "label"))
    return [
        Facet(
            "origin",
            "Origin",
            options(
                [("", "Any origin"), *Instrument.Origin.choices],
                {"": total, **counts.get("origin", {})},
                [request.GET.get("origin", "")],
            ),
            multiple=False,
        ),
        Facet(
            "country",
            "Country",
            options(
                sorted(names.items(), key=lambda item: item[1]),
                counts.get("country"),
                selected(request, "country"),
            ),
            long=len(names) > 8,
        ),
        # Instruments having any of the ticked features (no count: ticking widens the list).
        *_feature_facets(request, None, features),
    ]


def instrument_features_matrix(request):
    """Instruments × features (seed 001 figure 2); ?format=csv|xlsx downloads it."""
    filterset = InstrumentMatrixFilterSet(request.GET, queryset=Instrument.objects.real())
    return _matrix_page(
        request,
        filterset=filterset,
        build=instrument_matrix,
        column_sections=lambda total, features: _instrument_sections(
            request, filterset, total, features
        ),
        heading="Funding instruments × features",
        noun=("instrument", "instruments"),
        filename="instruments-features",
        make=lambda query: InstrumentMatrixFilterSet(query, queryset=Instrument.objects.real()),
    )


def _export_query(request) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()
