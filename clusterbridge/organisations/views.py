"""Pages of the organisation directory: the faceted directory and its export, profiles,
create / edit / delete, members and join requests, cluster membership requests and the
cluster managers' queue. Thin: the work is in filtersets.py and services.py."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clusterbridge.accounts import roles
from clusterbridge.organisations import exports, services
from clusterbridge.organisations.filtersets import OrganisationFilterSet, facets
from clusterbridge.organisations.forms import (
    ClusterRequestForm,
    JoinForm,
    OrganisationForm,
    ReasonForm,
)
from clusterbridge.organisations.models import ClusterMembership, Membership, Organisation

PAGE_SIZE = 20
FACET_ORDER = ("type", "country", "ecosystem", "sector", "size", "cluster", "feature")


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def directory_queryset():
    return (
        Organisation.objects.real()
        .select_related("country")
        .prefetch_related(
            "ecosystems",
            Prefetch(
                "cluster_links",
                queryset=ClusterMembership.objects.shown().select_related("cluster"),
                to_attr="shown_clusters",
            ),
        )
    )


def _filtered(request: HttpRequest):
    filterset = OrganisationFilterSet(request.GET, queryset=directory_queryset())
    return filterset, (filterset.qs if filterset.is_valid() else directory_queryset().none())


def directory(request: HttpRequest) -> HttpResponse:
    filterset, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    valid = filterset.is_valid()
    counts = facets(filterset.filtered, searching=filterset.searching) if valid else {}
    facet_list = [
        {
            "name": name,
            "label": filterset.filters[name].label,
            "values": [
                dict(value, checked=value["value"] in request.GET.getlist(name))
                for value in counts.get(name, [])
            ],
        }
        for name in FACET_ORDER
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/directory.html",
        {
            "filterset": filterset,
            "page": page,
            "facets": facet_list,
            "query": query.urlencode(),
            "total": page.paginator.count,
            "ordering_choices": filterset.filters["ordering"].field.choices,
            "can_create": Organisation.user_can_create(request.user),
        },
        status=200 if valid else 400,
    )


def export(request: HttpRequest, file_format: str) -> HttpResponse:
    filterset, queryset = _filtered(request)
    if not filterset.is_valid():
        return directory(request)
    queryset = queryset.prefetch_related("sectors", "features")
    if file_format == "xlsx":
        return exports.xlsx_response(queryset)
    return exports.csv_response(queryset)


# Profile -----------------------------------------------------------------------------------
def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("country"), slug=slug)


def _owned(request: HttpRequest, slug: str) -> Organisation:
    organisation = _organisation(slug)
    services.require_owner(organisation, request.user)
    return organisation


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    user = request.user
    own = organisation.membership_of(user)
    is_member = own is not None and own.status == Membership.Status.ACTIVE
    can_manage = organisation.user_can_change(user)
    # Members see every cluster link (with its state); others only what is shown publicly.
    links = ClusterMembership.objects.filter(organisation=organisation).select_related("cluster")
    links = links if is_member or can_manage else links.shown()
    members = (
        organisation.memberships.filter(status=Membership.Status.ACTIVE).select_related("user")
        if is_member or can_manage
        else []
    )
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "features": organisation.features.select_related("category"),
            "ecosystems": organisation.ecosystems.all(),
            "sectors": organisation.sectors.all(),
            "links": links,
            "members": members,
            "own": own,
            "is_member": is_member,
            "can_manage": can_manage,
            "can_join": roles.is_verified(user) and (own is None or _may_ask_again(own)),
            "last_owner": own is not None
            and own.is_active_owner
            and services.owner_count(organisation) == 1,
            "pending_count": (
                organisation.memberships.filter(status=Membership.Status.PENDING).count()
                if can_manage
                else 0
            ),
            "join_form": JoinForm(),
        },
    )


def _may_ask_again(own: Membership) -> bool:
    return own.status == Membership.Status.DECLINED and (
        own.decided_at is None or own.decided_at + services.ASK_AGAIN_AFTER <= timezone.now()
    )


# Create, edit, delete -----------------------------------------------------------------------
@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not Organisation.user_can_create(request.user):
        raise PermissionDenied("Confirm your e-mail address before you add an organisation.")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(request.user, form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{organisation.name} is on ClusterBridge; you are its owner."
            )
            return redirect(organisation)
    return render(
        request, "organisations/form.html", {"form": form, "title": "Add your organisation"}
    )


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _owned(request, slug)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.update_organisation(
                _organisation(slug), request.user, form.values()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(organisation)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": f"Edit {organisation.name}", "organisation": organisation},
    )


@login_required
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _owned(request, slug)
    if request.method == "POST":
        services.delete_organisation(organisation, request.user)
        messages.success(request, f"{organisation.name} was deleted.")
        return redirect("organisations:directory")
    return render(request, "organisations/delete.html", {"organisation": organisation})


# Members -----------------------------------------------------------------------------------
@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _owned(request, slug)
    people = organisation.memberships.select_related("user", "decided_by")
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "active": [m for m in people if m.status == Membership.Status.ACTIVE],
            "pending": [m for m in people if m.status == Membership.Status.PENDING],
            "reason_form": ReasonForm(),
        },
    )


_MEMBER_ACTIONS: dict[str, tuple[Callable, str]] = {
    "approve": (lambda m, user, post: services.approve_request(m, user), "{} is now a member."),
    "decline": (
        lambda m, user, post: services.decline_request(m, user, post.get("reason", "")),
        "The request of {} was declined.",
    ),
    "promote": (
        lambda m, user, post: services.set_role(m, user, Membership.Role.OWNER),
        "{} is now an owner.",
    ),
    "demote": (
        lambda m, user, post: services.set_role(m, user, Membership.Role.MEMBER),
        "{} is now a member (no longer an owner).",
    ),
    "remove": (lambda m, user, post: services.remove_member(m, user), "{} was removed."),
}


@require_POST
@login_required
def member_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    if action not in _MEMBER_ACTIONS:
        raise Http404
    organisation = _owned(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, organisation=organisation
    )
    perform, done = _MEMBER_ACTIONS[action]
    try:
        perform(membership, request.user, request.POST)
        messages.success(request, done.format(membership.user.get_username()))
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("organisations:members", slug=organisation.slug)


@require_POST
@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    form = JoinForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["message"])
        services.request_to_join(organisation, request.user, form.cleaned_data["message"])
        messages.success(request, "Your request was sent to the owners; you get an e-mail.")
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(organisation)


@require_POST
@login_required
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    try:
        services.leave(organisation, request.user)
        messages.success(request, f"You are no longer linked to {organisation.name}.")
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(organisation)


# Clusters ----------------------------------------------------------------------------------
@login_required
def clusters(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's cluster memberships, and the form to ask for one more."""
    organisation = _owned(request, slug)
    # ?cluster=<slug>: the link "Ask to list …" on a cluster's profile preselects it.
    form = ClusterRequestForm(request.POST or None, initial={"cluster": request.GET.get("cluster")})
    if request.method == "POST" and form.is_valid():
        try:
            link = services.request_cluster_membership(
                organisation,
                request.user,
                form.cleaned_data["cluster"],
                show_publicly=form.cleaned_data["show_publicly"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if services.cluster_managers(link.cluster):
                text = f"Your request was sent to the managers of {link.cluster.name}."
            else:
                text = (
                    f"{link.cluster.name} has no manager on ClusterBridge yet: an "
                    f"administrator decides on your request."
                )
            messages.success(request, text)
            return redirect("organisations:clusters", slug=organisation.slug)
    links = ClusterMembership.objects.filter(organisation=organisation).select_related("cluster")
    return render(
        request,
        "organisations/clusters.html",
        {"organisation": organisation, "form": form, "links": links},
    )


@require_POST
@login_required
def cluster_link_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    organisation = _owned(request, slug)
    link = get_object_or_404(ClusterMembership.objects.all(), pk=pk, organisation=organisation)
    try:
        if action == "show":
            services.set_cluster_visibility(link, request.user, True)
            messages.success(request, f"Shown on the profile of {link.cluster.name}.")
        elif action == "hide":
            services.set_cluster_visibility(link, request.user, False)
            messages.success(request, f"No longer shown on the profile of {link.cluster.name}.")
        elif action == "withdraw":
            services.end_cluster_membership(link, request.user)
            messages.success(request, f"Your link with {link.cluster.name} was withdrawn.")
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("organisations:clusters", slug=organisation.slug)


@login_required
def cluster_requests(request: HttpRequest) -> HttpResponse:
    """The queue of the clusters this person manages: requests to decide, members listed."""
    managed = ClusterMembership.objects.managed_by(request.user).filter(
        organisation__deleted_at=None
    )
    return render(
        request,
        "organisations/cluster_requests.html",
        {
            "pending": services.cluster_queue(request.user),
            "approved": managed.filter(status=ClusterMembership.Status.APPROVED)
            .select_related("organisation", "cluster")
            .distinct()
            .order_by("cluster__name", "organisation__name"),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@login_required
def cluster_request_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    link = get_object_or_404(
        ClusterMembership.objects.select_related("organisation", "cluster"), pk=pk
    )
    if not link.user_can_decide(request.user):
        raise PermissionDenied("Only the cluster's managers decide on its members.")
    try:
        if decision == "approve":
            services.approve_cluster_membership(link, request.user)
            messages.success(request, f"{link.organisation.name} is listed in {link.cluster.name}.")
        elif decision == "decline":
            services.decline_cluster_membership(link, request.user, request.POST.get("reason", ""))
            messages.success(request, f"The request of {link.organisation.name} was declined.")
        elif decision == "end":
            services.end_cluster_membership(link, request.user)
            messages.success(request, f"{link.organisation.name} is no longer listed.")
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("organisations:cluster-requests")
