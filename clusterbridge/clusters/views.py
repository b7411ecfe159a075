"""Pages of the cluster catalogue: directory, profile, exports, landscape, registration,
manager edits and the moderation queue. The work is in filtersets.py and services.py."""

from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clusterbridge.accounts.roles import is_admin, is_editor, require_verified
from clusterbridge.clusters import duplicates as duplicates_module
from clusterbridge.clusters import exports, landscape, services
from clusterbridge.clusters.filtersets import (
    ClassificationSuggestionFilterSet,
    ClusterFilterSet,
    facets,
)
from clusterbridge.clusters.forms import (
    ClaimForm,
    ClusterForm,
    GrantManagerForm,
    InviteForm,
)
from clusterbridge.clusters.models import (
    ChangeRequest,
    Classification,
    Cluster,
    ClusterManager,
    LabelLevel,
    Network,
    NetworkMembership,
    Status,
)
from clusterbridge.core.bulk import decide_ticked
from clusterbridge.core.editing import save_or_conflict
from clusterbridge.core.filter_panel import (
    Facet,
    Fields,
    FilterPanel,
    Option,
    field_errors,
    options,
    selected,
)
from clusterbridge.core.search import fold
from clusterbridge.taxonomy.models import Country, Term, Vocabulary

PAGE_SIZE = 20
FACET_ORDER = (
    "country",
    "ecosystem",
    "sector",
    "technology",
    "service",
    "label",
    "priority",
    "size",
    "network",
    "region",
    "domain",
)


def directory_queryset():
    return Cluster.objects.public().select_related("country").prefetch_related("ecosystems")


def _filtered(request):
    filterset = ClusterFilterSet(request.GET, queryset=directory_queryset())
    return filterset, (filterset.qs if filterset.is_valid() else directory_queryset().none())


# Facets shown as one choice among several (the filter takes one value).
SINGLE_VALUE = {"region"}


def _labels(facet: str, codes: list[str]) -> dict[str, str]:
    """Labels of ticked values that no result has (so they are not among the counts)."""
    if facet == "country":
        return dict(Country.objects.filter(code__in=codes).values_list("code", "label"))
    if facet == "network":
        return dict(Network.objects.filter(code__in=codes).values_list("code", "name"))
    if facet == "label":
        return {k: str(v) for k, v in LabelLevel.choices}
    if facet == "priority":
        return {k: str(v) for k, v in Cluster._meta.get_field("priority_section").choices}
    vocabulary = {
        "sector": Vocabulary.SECTORS,
        "ecosystem": Vocabulary.ECOSYSTEMS,
        "technology": Vocabulary.TECHNOLOGIES,
        "service": Vocabulary.CLUSTER_SERVICES,
    }.get(facet)
    if vocabulary is None:
        return {}
    terms = Term.objects.filter(vocabulary=vocabulary, code__in=codes)
    return dict(terms.values_list("code", "label"))


def _directory_panel(request, filterset, counts, total: int) -> FilterPanel:
    form = filterset.form
    form.fields["q"].widget.input_type = "search"
    form.fields["domain"].help_text = "Words the clusters use, e.g. “cyber security”."
    sections: list = [Fields("", [form["q"], form["domain"]])]
    for name in FACET_ORDER:
        chosen = selected(request, name)
        facet_options = [
            Option(v["value"], v["label"], v["count"], v["value"] in chosen)
            for v in counts.get(name, [])
        ]
        # A ticked value stays listed (to untick it) even when nothing has it any more.
        listed = {o.value for o in facet_options}
        missing = [v for v in chosen if v not in listed]
        if missing:
            names = _labels(name, missing)
            facet_options += [Option(v, names.get(v, v), 0, True) for v in missing]
        if not facet_options:
            continue
        if name == "domain":
            # Quick picks for the free-text domain field above.
            sections.append(Facet(name, "Frequent domains", facet_options, links=True, long=True))
            continue
        sections.append(
            Facet(
                name,
                str(filterset.filters[name].label),
                facet_options,
                multiple=name not in SINGLE_VALUE,
                long=len(facet_options) > 8,
            )
        )
    sections.append(Fields("", [form["ordering"]], chips=False))
    return FilterPanel(
        request,
        sections,
        total=total,
        label="Filter clusters",
        noun=("cluster", "clusters"),
        errors=field_errors(form) if filterset.is_bound else {},
        count=lambda query: ClusterFilterSet(query, queryset=directory_queryset()).qs.count(),
    )


def directory(request):
    filterset, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = (
        facets(filterset.filtered, searching=filterset.searching) if filterset.is_valid() else {}
    )
    query = request.GET.copy()
    query.pop("page", None)
    panel = _directory_panel(request, filterset, counts, page.paginator.count)
    return render(
        request,
        "clusters/directory.html",
        {
            "filterset": filterset,
            "page": page,
            "panel": panel,
            "query": query.urlencode(),
            "total": page.paginator.count,
            # A search by name finds networks and associations too (they are not clusters).
            "networks": _network_matches(request.GET.get("q", ""))[:10]
            if request.GET.get("q", "").strip()
            else [],
        },
    )


def export(request, file_format: str):
    filterset, queryset = _filtered(request)
    if not filterset.is_valid():
        return render(
            request, "clusters/directory.html", {"filterset": filterset, "page": None}, status=400
        )
    queryset = queryset.prefetch_related(
        "sectors", "ecosystems", "technologies", "services", "networks", "countries"
    )
    if file_format == "xlsx":
        return exports.xlsx_response(queryset)
    return exports.csv_response(queryset)


def _visible_cluster(request, slug: str) -> Cluster:
    cluster = get_object_or_404(
        Cluster.objects.select_related("country", "submitted_by"), slug=slug
    )
    if not cluster.is_visible_to(request.user):
        raise Http404("No such cluster.")
    return cluster


def _sources(cluster: Cluster) -> list[tuple[str, list[dict]]]:
    names = {
        field.name: field.verbose_name
        for field in Cluster._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    return sorted(
        (str(names.get(name, name)).capitalize(), places)
        for name, places in cluster.field_sources.items()
    )


def _members(cluster: Cluster) -> list[str]:
    parts = [
        (cluster.members_total, "in total"),
        (cluster.members_sme, "SMEs"),
        (cluster.members_large, "large firms"),
        (cluster.members_research, "research organisations"),
    ]
    return [f"{number:,} {what}" for number, what in parts if number is not None]


def detail(request, slug: str):
    cluster = _visible_cluster(request, slug)
    memberships = NetworkMembership.objects.filter(cluster=cluster).select_related(
        "network", "network__member_of"
    )
    can_manage = cluster.user_can_change(request.user)
    links = cluster.manager_links.select_related("user") if can_manage else []
    own_link = (
        cluster.manager_links.filter(user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    classifications = list(
        cluster.classifications.select_related("term").order_by("term__vocabulary", "term__label")
    )
    probe = Classification(cluster=cluster)
    can_decide = probe.user_can_decide(request.user)
    return render(
        request,
        "clusters/detail.html",
        {
            "cluster": cluster,
            "stated": [c for c in classifications if c.state == Classification.State.STATED],
            "suggestions": [c for c in classifications if c.state == Classification.State.SUGGESTED]
            if can_decide
            else [],
            "member_sources": cluster.field_sources.get("members", []),
            "memberships": memberships,
            "terms": {name: getattr(cluster, name).all() for name in Cluster.TERM_FIELDS},
            "label_validity": cluster.label_validity(),
            "sources": _sources(cluster),
            "members": _members(cluster),
            "can_manage": can_manage,
            "links": links,
            "own_link": own_link,
            "pending_changes": cluster.change_requests.pending() if can_manage else [],
            "is_admin": is_admin(request.user),
        },
    )


@require_POST
@login_required
def decide_classification(request, slug: str, pk: int, decision: str):
    cluster = _visible_cluster(request, slug)
    classification = get_object_or_404(
        Classification.objects.select_related("term", "cluster"), pk=pk, cluster=cluster
    )
    if decision not in ("confirm", "reject"):
        raise Http404("No such decision.")
    try:
        services.decide_classification(classification, request.user, confirm=decision == "confirm")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        verb = "confirmed" if decision == "confirm" else "rejected"
        messages.success(request, f"“{classification.term.label}” {verb}.")
    return redirect(reverse("clusters:detail", args=[cluster.slug]) + "#classifications")


CLASSIFICATION_PAGE = 50


@login_required
def classification_queue(request):
    """Every pending classification suggestion (a sector, ecosystem or technology inferred
    from words) the person may decide, with its evidence: all of them for editors, their own
    clusters' for managers. Confirmed or rejected in bulk."""
    pending = Classification.objects.pending_for(request.user)
    if not (is_editor(request.user) or is_admin(request.user)) and not (
        request.user.cluster_links.filter(approved=True).exists()
    ):
        raise PermissionDenied("This page is for editors and the managers of a cluster.")
    filterset = ClassificationSuggestionFilterSet(
        request.GET,
        queryset=pending.select_related("cluster", "term").order_by(
            "cluster__name", "term__vocabulary", "term__label", "pk"
        ),
    )
    if not filterset.is_valid():
        return render(
            request,
            "clusters/classification_queue.html",
            {"filterset": filterset, "page": None, "total": 0},
            status=400,
        )
    page = Paginator(filterset.qs, CLASSIFICATION_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clusters/classification_queue.html",
        {
            "filterset": filterset,
            "page": page,
            "total": page.paginator.count,
            "query": query.urlencode(),
        },
    )


@require_POST
@login_required
def decide_classifications(request):
    """Confirm or reject the ticked suggestions of the page, each through the same service
    as the profile's buttons."""
    return decide_ticked(
        request,
        "classification",
        lambda ids, decision: services.decide_classifications(
            ids, request.user, confirm=decision == "confirm"
        ),
        "clusters:classification-queue",
    )


# Duplicates --------------------------------------------------------------------------------
@login_required
def duplicates(request):
    """Merge candidates for editors: near-identical names, same website, same country and
    city; each pair merges either way, with history."""
    if not is_editor(request.user):
        raise PermissionDenied("Only editors and administrators merge clusters.")
    if request.method == "POST":
        keep = get_object_or_404(Cluster, slug=request.POST.get("keep", ""))
        other = get_object_or_404(Cluster, slug=request.POST.get("other", ""))
        if keep.pk == other.pk:
            messages.error(request, "A cluster cannot be merged into itself.")
        else:
            merged = duplicates_module.merge(keep, other, request.user)
            messages.success(
                request, f"“{other.name}” merged into “{merged.name}”; it is in the trash."
            )
        return redirect("clusters:duplicates")
    return render(
        request,
        "clusters/duplicates.html",
        {"candidates": duplicates_module.merge_candidates()},
    )


# Networks and associations ------------------------------------------------------------------
def _network_matches(query: str) -> list[Network]:
    """Networks whose name or code holds every word of the query, accents and case aside
    (a few dozen records: compared in Python, one query)."""
    words = fold(query).split()
    networks = Network.objects.select_related("country", "member_of").order_by("name")
    return [n for n in networks if all(w in f"{fold(n.name)} {n.code}" for w in words)]


class NetworkFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Name")
    kind = forms.MultipleChoiceField(
        choices=Network.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def network_list(request):
    """Networks and associations of clusters (the European Clusters Alliance and its 20
    national members, seed 003 L132-151; the UK Cyber Security Forum...), findable by name."""
    form = NetworkFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    found = _network_matches(data.get("q") or "")
    kinds = data.get("kind") or []
    networks = [n for n in found if not kinds or n.kind in kinds]
    counts = Counter(n.kind for n in found)
    members = dict(
        Network.objects.annotate(n=Count("clusters", distinct=True)).values_list("pk", "n")
    )
    for network in networks:
        network.cluster_count = members.get(network.pk, 0)
    form.fields["q"].widget.input_type = "search"
    panel = FilterPanel(
        request,
        [
            Fields("", [form["q"]]),
            Facet("kind", "Kind", options(Network.Kind.choices, counts, kinds)),
        ],
        total=len(networks),
        label="Filter networks",
        noun=("network", "networks"),
        errors=field_errors(form),
    )
    return render(request, "clusters/network_list.html", {"networks": networks, "panel": panel})


def network_detail(request, code: str):
    network = get_object_or_404(Network.objects.select_related("country", "member_of"), code=code)
    return render(
        request,
        "clusters/network_detail.html",
        {
            "network": network,
            "member_networks": network.member_networks.select_related("country").order_by("name"),
            "clusters": Cluster.objects.public()
            .filter(networks=network)
            .select_related("country")
            .order_by("name"),
        },
    )


def landscape_page(request):
    return render(request, "clusters/landscape.html", landscape.build())


# Registration and edits ---------------------------------------------------------------------
@login_required
def propose(request):
    require_verified(request.user, services.REGISTER)  # before the form is filled in
    form = ClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = save_or_conflict(request, form, services.clusters)
        if result is not None:
            messages.success(
                request, "Thank you: your cluster is waiting for an administrator's review."
            )
            return redirect(result.obj.get_absolute_url())
    return render(request, "clusters/form.html", {"form": form, "title": "Register a cluster"})


def _edited_message(result) -> str:
    """What happened to the person's edit, in the cluster's own terms."""
    if result.waiting_for_review:
        return "Your changes wait for an administrator's review."
    if result.obj.status == Status.PUBLISHED:
        return "Your changes are published."
    if result.obj.status == Status.PENDING:
        return "Your changes are saved; the registration still waits for an administrator's review."
    return "Your changes are saved; the profile is not public."


@login_required
def edit(request, slug: str):
    cluster = _visible_cluster(request, slug)
    if not cluster.user_can_change(request.user):
        raise PermissionDenied
    require_verified(request.user, services.CHANGE)
    form = ClusterForm(request.POST or None, instance=cluster)
    if request.method == "POST" and form.is_valid():
        result = save_or_conflict(
            request, form, services.clusters, obj=cluster, cancel_url=request.path
        )
        if isinstance(result, HttpResponse):
            return result
        if result is not None and not (result.changed or result.waiting_for_review):
            form.add_error(None, "Nothing was changed.")
        elif result is not None:
            messages.success(request, _edited_message(result))
            return redirect(result.obj.get_absolute_url())
    return render(
        request,
        "clusters/form.html",
        {"form": form, "title": f"Edit {cluster.name}", "cluster": cluster},
    )


@require_POST
@login_required
def claim(request, slug: str):
    cluster = _visible_cluster(request, slug)
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            services.claim(cluster, request.user, form.cleaned_data["message"])
            messages.success(request, "Your claim waits for an administrator's review.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Say what your role in the organisation is.")
    return redirect(cluster.get_absolute_url())


@require_POST
@login_required
def resubmit(request, slug: str):
    cluster = _visible_cluster(request, slug)
    try:
        services.resubmit(cluster, request.user)
        messages.success(request, "Your registration is back in the review queue.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(cluster.get_absolute_url())


@require_POST
@login_required
def invite(request, slug: str):
    cluster = _visible_cluster(request, slug)
    if not cluster.user_can_change(request.user):
        raise PermissionDenied
    form = InviteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Give your colleague's username or e-mail.")
        colleague = services.find_user(form.cleaned_data["user"])
        services.invite(cluster, request.user, colleague)
        messages.success(request, f"{colleague.get_username()} is now a co-manager.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(cluster.get_absolute_url())


@require_POST
@login_required
def grant(request, slug: str):
    if not is_admin(request.user):
        raise PermissionDenied
    cluster = _visible_cluster(request, slug)
    form = GrantManagerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Give the manager's username or e-mail.")
        manager = services.find_user(form.cleaned_data["user"])
        services.grant_manager(
            cluster,
            request.user,
            manager,
            role=form.cleaned_data["role"],
            trusted=form.cleaned_data["trusted"],
        )
        messages.success(request, f"{manager.get_username()} now manages {cluster.name}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(cluster.get_absolute_url())


# Moderation --------------------------------------------------------------------------------
def _require_admin(request):
    if not request.user.is_authenticated:
        return redirect(f"/account/login/?next={request.path}")
    if not is_admin(request.user):
        raise PermissionDenied
    return None


def _shown(value, labels: dict[str, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(labels.get(item, item) for item in value)
    return str(value)


def moderation(request):
    refusal = _require_admin(request)
    if refusal:
        return refusal
    labels = dict(Term.objects.values_list("code", "label"))
    names = {
        f.name: str(f.verbose_name)
        for f in Cluster._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    items = []
    for kind, time, obj in services.moderation_queue():
        rows = []
        if kind == "change":
            rows = [
                (names.get(field, field).capitalize(), _shown(old, labels), _shown(new, labels))
                for field, old, new in obj.diff()
            ]
        items.append({"kind": kind, "time": time, "obj": obj, "rows": rows})
    return render(request, "clusters/moderation.html", {"items": items})


_DECISIONS = {
    ("registration", "approve"): lambda obj, user, reason: services.approve(obj, user),
    ("registration", "reject"): lambda obj, user, reason: services.reject(obj, user, reason),
    ("change", "approve"): lambda obj, user, reason: services.approve_change(obj, user),
    ("change", "reject"): lambda obj, user, reason: services.reject_change(obj, user, reason),
    ("claim", "approve"): lambda obj, user, reason: services.approve_claim(obj, user),
    ("claim", "reject"): lambda obj, user, reason: services.reject_claim(obj, user, reason),
}
_KINDS = {"registration": Cluster, "change": ChangeRequest, "claim": ClusterManager}


@require_POST
def decide(request, kind: str, pk: int, decision: str):
    refusal = _require_admin(request)
    if refusal:
        return refusal
    action = _DECISIONS.get((kind, decision))
    if action is None:
        raise Http404
    obj = get_object_or_404(_KINDS[kind].objects.all(), pk=pk)
    try:
        action(obj, request.user, request.POST.get("reason", ""))
        done = {"approve": "approved", "reject": "rejected"}[decision]
        messages.success(request, f"{kind.capitalize()} {done}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("clusters:moderation")
