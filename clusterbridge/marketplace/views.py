"""Pages of the marketplace: the faceted list, a post, create / edit, the steps of its life
cycle, messages to its organisation, the cluster's validation queue, the moderators' queue,
"my posts" and the open value-chain disruptions. Thin: the work is in filtersets.py,
services.py and matching.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clusterbridge.accounts import roles
from clusterbridge.core.editing import save_or_conflict
from clusterbridge.core.filter_panel import Facet, Fields, FilterPanel, Option, field_errors
from clusterbridge.core.spreadsheets import FORMATS
from clusterbridge.marketplace import exports, matching, partners, services
from clusterbridge.marketplace.filtersets import PostFilterSet, facets
from clusterbridge.marketplace.forms import MessageForm, PostForm, ReasonForm
from clusterbridge.marketplace.models import Follow, Kind, Message, Post, Status, is_moderator

PAGE_SIZE = 20
FACET_ORDER = (
    "kind",
    "urgency",
    "disruption",
    "feature",
    "ecosystem",
    "sector",
    "country",
    "cluster",
)


def list_queryset():
    return Post.objects.public().select_related("organisation", "cluster", "funding_call")


def _with_places(posts: list[Post]) -> list[Post]:
    """Each post's countries as `places` (labels, in the countries' order), in one query
    for the page: a prefetch costs a queryset per post."""
    places: dict[int, list[str]] = {post.pk: [] for post in posts}
    links = Post.countries.through.objects.filter(post_id__in=list(places))
    for pk, label in links.order_by("country__label", "country__code").values_list(
        "post_id", "country__label"
    ):
        places[pk].append(label)
    for post in posts:
        post.places = places[post.pk]
    return posts


def _panel(request: HttpRequest, filterset: PostFilterSet, counts: dict, total: int):
    form = filterset.form
    form.fields["q"].widget.input_type = "search"
    sections: list = [Fields("", [form["q"]])]
    for name in FACET_ORDER:
        chosen = [v.strip() for item in request.GET.getlist(name) for v in item.split(",") if v]
        values = counts.get(name, [])
        facet_options = [
            Option(v["value"], v["label"], v["count"], v["value"] in chosen) for v in values
        ]
        listed = {o.value for o in facet_options}
        facet_options += [Option(v, v, 0, True) for v in chosen if v not in listed]
        if not facet_options:
            continue
        sections.append(
            Facet(
                name,
                str(filterset.filters[name].label),
                facet_options,
                long=len(facet_options) > 8,
                folded=name == "feature" and not chosen,
            )
        )
    sections.append(Fields("", [form["ordering"]], chips=False))
    return FilterPanel(
        request,
        sections,
        total=total,
        label="Filter posts",
        noun=("post", "posts"),
        errors=field_errors(form) if filterset.is_bound else {},
        count=_count,
    )


def _count(query) -> int:
    filterset = PostFilterSet(query, queryset=list_queryset())
    return filterset.listing().total if filterset.is_valid() else filterset.qs.count()


def post_list(request: HttpRequest) -> HttpResponse:
    filterset = PostFilterSet(request.GET, queryset=list_queryset())
    valid = filterset.is_valid()
    # The index answers the total, the facets and the page's ids; the rows of the page
    # only are read (filtersets.PostFilterSet.listing).
    results = filterset.listing() if valid else list_queryset().none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_places(list(page.object_list))
    counts = facets(results) if valid else {}
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "marketplace/list.html",
        {
            "filterset": filterset,
            "page": page,
            "panel": _panel(request, filterset, counts, page.paginator.count),
            "query": query.urlencode(),
            "total": page.paginator.count,
            "can_post": roles.is_verified(request.user),
        },
        status=200 if valid else 400,
    )


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list as CSV or XLSX, with the same filters and order as the page (published
    posts only: the list's own queryset)."""
    if fmt not in FORMATS:
        raise Http404("Choose csv or xlsx.")
    filterset = PostFilterSet(request.GET, queryset=list_queryset())
    if not filterset.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()
        )
        return HttpResponse(
            f"The filters are not valid — {problems}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return exports.download(filterset.qs, fmt)


# A post ----------------------------------------------------------------------------------------
def _post(request: HttpRequest, pk: int) -> Post:
    post = get_object_or_404(
        Post.objects.select_related(
            "organisation", "organisation__country", "cluster", "funding_call", "author"
        ),
        pk=pk,
    )
    if not post.user_can_view(request.user):
        raise Http404("No such post.")
    return post


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    user = request.user
    insider = post.user_can_change(user)
    can_prevalidate = (
        post.status == Status.SUBMITTED
        and roles.is_member(user)
        and not post.organisation.has_member(user)
        and (roles.is_admin(user) or (post.cluster_id and post.cluster.is_managed_by(user)))
    )
    can_approve = (
        post.status == Status.MODERATION
        and is_moderator(user)
        and not post.organisation.has_member(user)
    )
    thread = list(services.thread_for(post, user)) if post.is_public or insider else []
    can_follow = post.user_can_follow(user)
    return render(
        request,
        "marketplace/detail.html",
        {
            "post": post,
            "features": post.features.select_related("category"),
            "ecosystems": post.ecosystems.all(),
            "sectors": post.sectors.all(),
            "countries": post.countries.all(),
            "insider": insider,
            "can_edit": insider and post.is_editable,
            "can_prevalidate": can_prevalidate,
            "can_approve": can_approve,
            # Closed to interest: only those already in a conversation write on.
            "can_contact": post.is_public
            and roles.is_member(user)
            and not insider
            and (post.interest_closed_at is None or bool(thread)),
            "can_follow": can_follow,
            "following": can_follow and services.is_following(post, user),
            "followers": Follow.objects.filter(post=post).count() if insider else None,
            "matches": matching.matches_for(post, limit=10) if post.is_public or insider else [],
            "organisation_matches": partners.for_post(post, limit=10)
            if post.kind == Kind.PARTNER_SEARCH and (post.is_public or insider)
            else [],
            "thread": thread,
            "message_form": MessageForm(user=user),
            "reason_form": ReasonForm(),
            "clusters": services.validating_clusters(post.organisation) if insider else [],
        },
    )


def _edit(request: HttpRequest, post: Post | None) -> HttpResponse:
    roles.require_verified(request.user, "post on the marketplace")
    if post is None and not services.member_organisations(request.user).exists():
        return render(request, "marketplace/no_organisation.html", status=403)
    form = PostForm(request.POST or None, instance=post, user=request.user)
    if request.method == "POST" and form.is_valid():
        result = save_or_conflict(request, form, services.posts, obj=post)
        if isinstance(result, HttpResponse):
            return result
        if result is not None:
            if "submit" in request.POST:
                try:
                    services.submit(result.obj, request.user)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                    return redirect("marketplace:detail", pk=result.obj.pk)
                messages.success(request, "Saved and submitted for validation.")
            else:
                messages.success(request, "Saved as a draft: submit it when it is ready.")
            return redirect(result.obj)
    title = "New post" if post is None else f"Edit “{post.title}”"
    return render(request, "marketplace/form.html", {"form": form, "title": title, "post": post})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    if not post.user_can_change(request.user):
        raise PermissionDenied("Only the organisation's members edit its posts.")
    if not post.is_editable:
        messages.error(request, "Only drafts and posts sent back can be edited.")
        return redirect(post)
    return _edit(request, post)


_STEPS = {
    "submit": lambda post, user, data: services.submit(
        post, user, cluster=_cluster(post, data.get("cluster"))
    ),
    "prevalidate": lambda post, user, data: services.prevalidate(post, user),
    "approve": lambda post, user, data: services.approve(post, user),
    "send-back": lambda post, user, data: services.send_back(post, user, data.get("reason", "")),
    "withdraw": lambda post, user, data: services.withdraw(post, user),
    "follow": lambda post, user, data: services.follow(post, user),
    "unfollow": lambda post, user, data: services.unfollow(post, user),
    "close-interest": lambda post, user, data: services.close_interest(post, user),
    "open-interest": lambda post, user, data: services.close_interest(post, user, closed=False),
    "partner-found": lambda post, user, data: services.mark_partner_found(
        post, user, data.get("partner_name", "")
    ),
}
_DONE = {
    "submit": "Submitted for validation.",
    "prevalidate": "Pre-validated: the platform's moderators make the final validation.",
    "approve": "Approved: the post is published.",
    "send-back": "Sent back to the author with your reason.",
    "withdraw": "Withdrawn.",
    "follow": "You follow this post: you are told of its changes and before it closes.",
    "unfollow": "You no longer follow this post.",
    "close-interest": "Closed to new expressions of interest.",
    "open-interest": "Open to expressions of interest again.",
    "partner-found": "Recorded: partner found. The post takes no new expressions of interest.",
}


def _cluster(post: Post, value):
    if not value:
        return None
    return services.validating_clusters(post.organisation).filter(pk=value).first()


@require_POST
@login_required
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in _STEPS:
        raise Http404
    post = _post(request, pk)
    try:
        _STEPS[action](post, request.user, request.POST)
        messages.success(request, _DONE[action])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    back = request.POST.get("next", "")
    if back in ("cluster-queue", "moderation"):
        return redirect(f"marketplace:{back}")
    return redirect("marketplace:detail", pk=post.pk)


@require_POST
@login_required
def send_message(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    form = MessageForm(request.POST, user=request.user)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.contact(
            post,
            request.user,
            form.cleaned_data["body"],
            organisation=form.cleaned_data["organisation"],
        )
        messages.success(request, f"Your message was sent to {post.organisation.name}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(post.get_absolute_url() + "#messages")


@require_POST
@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message.objects.select_related("post"), pk=pk)
    try:
        services.reply(message, request.user, request.POST.get("body", ""))
        messages.success(request, "Your answer was sent.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(message.post.get_absolute_url() + "#messages")


# Queues and my posts ---------------------------------------------------------------------------
@login_required
def cluster_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "marketplace/queue.html",
        {
            "title": "Posts waiting for your cluster's pre-validation",
            "posts": services.cluster_queue(request.user),
            "approve_step": "prevalidate",
            "approve_label": "Pre-validate",
            "queue": "cluster-queue",
            "reason_form": ReasonForm(),
            "empty": "Nothing waits for the clusters you manage.",
        },
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not is_moderator(request.user):
        raise PermissionDenied("Only the platform's moderators see this queue.")
    return render(
        request,
        "marketplace/queue.html",
        {
            "title": "Posts waiting for the moderators' approval",
            "posts": services.moderation_queue(request.user),
            "approve_step": "approve",
            "approve_label": "Approve and publish",
            "queue": "moderation",
            "reason_form": ReasonForm(),
            "empty": "Nothing waits for approval.",
        },
    )


@login_required
def my_posts(request: HttpRequest) -> HttpResponse:
    posts = (
        Post.objects.of_user(request.user)
        .select_related("organisation", "cluster")
        .distinct()
        .order_by("-updated_at", "-pk")
    )
    return render(
        request,
        "marketplace/mine.html",
        {"posts": posts, "can_post": services.member_organisations(request.user).exists()},
    )


def disruptions(request: HttpRequest) -> HttpResponse:
    """Open value-chain disruptions (published needs marked so), by ecosystem and country."""
    posts = list(
        Post.objects.public()
        .filter(kind=Kind.NEED, is_disruption=True)
        .select_related("organisation")
        .prefetch_related("ecosystems", "countries")
        .order_by("urgency", "-disrupted_since", "-pk")
    )
    by_ecosystem: dict[str, list[Post]] = {}
    for post in posts:
        names = [e.label for e in post.ecosystems.all()] or ["No ecosystem named"]
        for name in names:
            by_ecosystem.setdefault(name, []).append(post)
    return render(
        request,
        "marketplace/disruptions.html",
        {"groups": sorted(by_ecosystem.items()), "total": len(posts)},
    )


def value_chain(request: HttpRequest) -> HttpResponse:
    """An ecosystem's value chain from the published offers and needs, fragile links first."""
    from clusterbridge.marketplace.valuechain import NONE, SINGLE
    from clusterbridge.marketplace.valuechain import value_chain as chain_of
    from clusterbridge.taxonomy.models import Term, Vocabulary

    ecosystems = list(Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS).order_by("label"))
    chosen = next((e for e in ecosystems if e.code == request.GET.get("ecosystem")), None)
    links = chain_of(chosen.code) if chosen else []
    return render(
        request,
        "marketplace/value_chain.html",
        {
            "ecosystems": ecosystems,
            "chosen": chosen,
            "links": links,
            "fragile": sum(1 for link in links if link.risk),
            "NONE": NONE,
            "SINGLE": SINGLE,
        },
    )
