from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import render

from clusterbridge.core.spreadsheets import table_download
from clusterbridge.matching.forms import MatchForm, MatchMatrixForm
from clusterbridge.matching.services import hidden_for, profile_for, results_for
from clusterbridge.matching.tables import match_matrix, results_table
from clusterbridge.suggestions.engine import suggest
from clusterbridge.taxonomy import profiles
from clusterbridge.taxonomy.groups import feature_groups, with_feature_codes
from clusterbridge.taxonomy.models import Country, Feature

PAGE_SIZE = 20
EXPORT_LIMIT = 500


SUGGESTION_LIMIT = 12


def suggested_features(description: str, ticked) -> list[dict]:
    """Features the description suggests that the person has not ticked yet, best first,
    each with the words that suggested it, for the person to tick."""
    if not description.strip():
        return []
    found = [s for s in suggest(description) if s.code not in ticked][:SUGGESTION_LIMIT]
    labels = dict(
        Feature.objects.filter(code__in=[s.code for s in found]).values_list("code", "label")
    )
    return [
        {
            "code": s.code,
            "label": labels[s.code],
            "evidence": s.evidence,
            "partial": s.model_probability is not None,
            "model_only": not s.term_matched,
        }
        for s in found
        if s.code in labels
    ]


def match(request):
    """Find funding for my solution: describe it (the description suggests features to
    tick), tick features, choose a country, read the reasons."""
    form = MatchForm(request.GET)
    context = {
        "form": form,
        "categories": feature_groups(),
        "countries": Country.objects.all(),
        "checked": set(),
        "searched": False,
    }
    status = 200
    if form.is_valid():
        profile = form.profile()
        statuses = form.cleaned_data["status"]
        context["checked"] = profile.features
        context["statuses"] = statuses
        context["suggested"] = suggested_features(profile.description, profile.features)
        context["asked_to_suggest"] = "suggest" in request.GET
        if profile.features:
            context["searched"] = True
            export_format = request.GET.get("format", "")
            hidden = hidden_for(request)
            if export_format:
                count, results = results_for(
                    profile, limit=EXPORT_LIMIT, statuses=statuses, hidden=hidden
                )
                download = table_download(results_table(results), export_format, "matches")
                if download:
                    return download
            try:
                number = max(1, int(request.GET.get("page", 1)))
            except ValueError:
                number = 1
            count, results = results_for(
                profile,
                limit=PAGE_SIZE,
                offset=(number - 1) * PAGE_SIZE,
                statuses=statuses,
                hidden=hidden,
                group_incomplete=True,
            )
            query = request.GET.copy()
            query.pop("page", None)
            query.pop("format", None)
            context.update(
                {
                    "results": results,
                    "count": count,
                    "start": (number - 1) * PAGE_SIZE + 1,
                    "page_number": number,
                    "query": query.urlencode(),
                    "has_next": number * PAGE_SIZE < count,
                    "has_previous": number > 1,
                    "dismissed_count": len(hidden),
                    "showing_dismissed": bool(request.GET.get("show_dismissed")),
                }
            )
    else:
        status = 400
        context["checked"] = set(request.GET.getlist("feature"))
    return render(request, "matching/match.html", context, status=status)


def matrix(request):
    """Projects × their best instruments (seed 001 figure 3), downloadable. By default the
    public projects that have features; `project=<id>` (repeatable) picks others the person
    may see."""
    kind = profiles.get("projects")
    if kind is None:
        raise Http404("No projects to match.")
    visible = with_feature_codes(kind.visible(request.user).select_related("country"))
    form = MatchMatrixForm(request.GET, projects=visible)
    if not form.is_valid():
        return render(request, "matching/matrix.html", {"form": form, "table": None}, status=400)
    public = with_feature_codes(kind.visible(AnonymousUser()).select_related("country"))
    projects = list(form.cleaned_data["project"]) or [p for p in public if p.features.all()]
    top = form.cleaned_data["top"] or 5
    table = match_matrix(projects, [profile_for(p) for p in projects], top=top)
    query = request.GET.copy()
    query.pop("format", None)
    download = table_download(table, request.GET.get("format", ""), "match-matrix")
    return download or render(
        request,
        "matching/matrix.html",
        {
            "form": form,
            "table": table,
            "projects": projects,
            "top": top,
            "export_query": query.urlencode(),
        },
    )
