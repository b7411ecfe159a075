"""Pages of events: the faceted list and its iCalendar feed, the event page and its .ics,
organisers' create / edit / delete and dashboard, registration, and matchmaking (profile,
participants with suggestions, requests, agenda). Thin: the work is in services.py,
matchmaking.py and optimiser.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clusterbridge.core.editing import add_errors, form_values, save_or_conflict
from clusterbridge.core.filter_panel import (
    Facet,
    Fields,
    FilterPanel,
    counts_of_groups,
    field_errors,
    options,
    other_filter_counts,
    selected,
)
from clusterbridge.events import (
    calendars,
    links,
    matchmaking,
    optimiser,
    participant_facts,
    services,
)
from clusterbridge.events.filtersets import (
    ATTENDANCE_CHOICES,
    WHEN_CHOICES,
    EventFilterSet,
    ParticipantFilterSet,
)
from clusterbridge.events.forms import (
    EventForm,
    ProfileForm,
    RatingForm,
    RegistrationForm,
    RequestForm,
)
from clusterbridge.events.models import (
    Event,
    EventKind,
    MeetingRequest,
    Participant,
    Registration,
)
from clusterbridge.organisations.models import OrganisationType
from clusterbridge.taxonomy.models import Country, Term, Vocabulary

PAGE_SIZE = 20
RequestStatus = MeetingRequest.Status


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The list ------------------------------------------------------------------------------------
def list_queryset():
    return Event.objects.real().select_related("country", "organiser_cluster", "organiser_network")


def _facet_counts(request, filterset):
    """Counts per kind, country, attendance and ecosystem with the other filters applied."""

    def make(query):
        return EventFilterSet(query, queryset=list_queryset())

    counts, countries = other_filter_counts(
        make, request.GET, {"country": "country__code"}, {"country": "country__label"}
    )
    without = request.GET.copy()
    without.pop("kind", None)
    kinds = dict(
        make(without)
        .qs.order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    without = request.GET.copy()
    without.pop("attendance", None)
    base = make(without).qs.order_by()
    attendance = base.aggregate(
        online=Count("pk", filter=~Q(online_url="")), onsite=Count("pk", filter=~Q(venue=""))
    )
    ecosystems = dict(
        filterset.qs.order_by()
        .values_list("ecosystems__code")
        .annotate(n=Count("pk", distinct=True))
        .values_list("ecosystems__code", "n")
    )
    return counts.get("country", {}), countries, kinds, attendance, ecosystems


def event_list(request: HttpRequest) -> HttpResponse:
    filterset = EventFilterSet(request.GET, queryset=list_queryset())
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else list_queryset().none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    total = page.paginator.count
    if valid:
        by_country, countries, kinds, attendance, ecosystems = _facet_counts(request, filterset)
    else:
        by_country, countries, kinds, attendance, ecosystems = {}, {}, {}, {}, {}
    missing = set(selected(request, "country")) - countries.keys()
    countries.update(Country.objects.filter(code__in=missing).values_list("code", "label"))
    terms = Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS).values_list("code", "label")
    form = filterset.form
    panel = FilterPanel(
        request,
        [
            Fields("", [form["q"]]),
            Facet(
                "when",
                "When",
                options(WHEN_CHOICES, None, [filterset.period]),
                multiple=False,
                default="upcoming",
                unfiltered="all",
            ),
            Facet(
                "kind",
                "Kind",
                options(EventKind.choices, kinds, selected(request, "kind")),
            ),
            Facet(
                "attendance",
                "Online or on site",
                options(
                    [("", "Either"), *ATTENDANCE_CHOICES],
                    {"": sum(kinds.values()), **attendance},
                    [request.GET.get("attendance", "")],
                ),
                multiple=False,
            ),
            Facet(
                "ecosystem",
                "Industrial ecosystem",
                options(terms, ecosystems, selected(request, "ecosystem"), hide_empty=True),
                long=True,
            ),
            Facet(
                "country",
                "Country",
                options(
                    sorted(countries.items(), key=lambda item: item[1]),
                    by_country,
                    selected(request, "country"),
                ),
                long=len(countries) > 8,
            ),
        ],
        total=total,
        label="Filter events",
        noun=("event", "events"),
        errors=field_errors(form),
        count=lambda query: EventFilterSet(query, queryset=list_queryset()).qs.count(),
        defaults={"when": "upcoming"},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/list.html",
        {
            "page": page,
            "panel": panel,
            "query": query.urlencode(),
            "can_create": Event.user_can_create(request.user),
        },
        status=200 if valid else 400,
    )


def feed(request: HttpRequest) -> HttpResponse:
    """The iCalendar feed of the list as filtered (upcoming events by default)."""
    filterset = EventFilterSet(request.GET, queryset=list_queryset())
    events = filterset.qs[:500] if filterset.is_valid() else []
    return _ics(calendars.feed_ics(events), "clusterbridge-events.ics")


# The event -----------------------------------------------------------------------------------
def _event(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.select_related("country", "organiser_cluster", "organiser_network"),
        slug=slug,
    )


def _managed(request, slug: str) -> Event:
    event = _event(slug)
    if not event.user_can_change(request.user):
        raise PermissionDenied("Only the event's organisers may do this.")
    return event


def _own_registration(event: Event, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    registration = _own_registration(event, request.user)
    live = registration if registration and registration.status != "cancelled" else None
    form = None
    if live is None and request.user.is_authenticated:
        form = RegistrationForm(event=event, user=request.user)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "start": event.local(event.start),
            "end": event.local(event.end),
            "registration": live,
            "form": form,
            "state": event.registration_state(),
            "seats_left": services.seats_left(event),
            "can_change": event.user_can_change(request.user),
            "funding_calls": event.funding_calls.all(),
            "ecosystems": event.ecosystems.all(),
            "features": event.features.select_related("category"),
            "sessions": [(event.local(s.start), event.local(s.end)) for s in event.sessions.all()],
        },
    )


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    return _ics(calendars.event_ics(event), f"{event.slug}.ics")


def _edit(request: HttpRequest, event: Event | None) -> HttpResponse:
    # An event for a project group (analytics): the form starts from the group.
    group = links.group_for(request.GET.get(links.GROUP_PARAMETER)) if event is None else None
    form = EventForm(
        request.POST or None,
        instance=event,
        user=request.user,
        initial=links.group_initial(group) if group else None,
    )
    if request.method == "POST" and form.is_valid():
        result = save_or_conflict(request, form, services.events, obj=event)
        if isinstance(result, HttpResponse):
            return result
        if result is not None:
            try:
                services.set_sessions(result.obj, request.user, form.cleaned_data["session_list"])
            except ValidationError as error:
                form.add_error("meeting_sessions", error)
            else:
                messages.success(request, "The event is saved.")
                if group is not None:
                    links.invite_group(result.obj, group)
                return redirect(result.obj)
    return render(
        request,
        "events/form.html",
        {"form": form, "event": event, "group": group},
        status=400 if form.errors else 200,
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not Event.user_can_create(request.user):
        raise PermissionDenied("Cluster managers and platform editors organise events.")
    return _edit(request, None)


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit(request, _managed(request, slug))


@login_required
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    if request.method == "POST":
        services.events.delete(event, request.user)
        messages.success(request, f"“{event.title}” was deleted (it can be restored).")
        return redirect("events:list")
    return render(request, "events/delete.html", {"event": event})


# Registration --------------------------------------------------------------------------------
@login_required
@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    form = RegistrationForm(request.POST, event=event, user=request.user)
    if form.is_valid():
        try:
            registration = services.register_for(
                event,
                request.user,
                organisation=form.cleaned_data["organisation"],
                answers=form.answers(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, "You are registered. A confirmation is on its way.")
            else:
                messages.info(request, "The event is full: you are on the waiting list.")
            return redirect(event)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "start": event.local(event.start),
            "end": event.local(event.end),
            "form": form,
            "state": event.registration_state(),
            "seats_left": services.seats_left(event),
        },
        status=400,
    )


@login_required
@require_POST
def cancel_registration(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    registration = get_object_or_404(Registration, event=event, user=request.user)
    services.cancel_registration(registration, request.user)
    messages.success(request, "Your registration is cancelled; your seat went to the next person.")
    return redirect(event)


# Matchmaking ---------------------------------------------------------------------------------
def _participant_or_403(request, event: Event) -> Participant | None:
    """The person's profile; None when their seat is confirmed but they have no profile yet
    (a seat confirmed before profiles were made with it, or an event that became a brokerage
    event later): the caller sends them to the profile page, which makes it when saved. A
    page being read never writes."""
    if not event.is_brokerage:
        raise Http404("This event has no matchmaking.")
    me = matchmaking.participant_of(event, request.user)
    if me is None:
        registration = _own_registration(event, request.user)
        if registration is None or registration.status != Registration.Status.CONFIRMED:
            raise PermissionDenied("Matchmaking is for people registered for this event.")
    return me


def _to_profile(request, event: Event) -> HttpResponse:
    # No message: a message would be stored, and a read writes nothing. The profile page
    # says the profile is not saved yet.
    return redirect("events:profile", event.slug)


@login_required
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    """The person's profile. Without one yet, the form is prefilled from their organisation
    and nothing is saved until they submit it."""
    event = _event(slug)
    me = _participant_or_403(request, event)
    if me is None:
        registration = _own_registration(event, request.user)
        unsaved, m2m = matchmaking.unsaved_profile(registration)
        form = ProfileForm(request.POST or None, instance=unsaved, initial=m2m)
        if request.method == "POST" and form.is_valid():
            try:
                matchmaking.create_profile(registration, request.user, form_values(form))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Your matchmaking profile is saved.")
                return redirect("events:participants", slug)
    else:
        form = ProfileForm(request.POST or None, instance=me)
        if request.method == "POST" and form.is_valid():
            result = save_or_conflict(request, form, matchmaking.participants, obj=me)
            if isinstance(result, HttpResponse):
                return result
            if result is not None:
                messages.success(request, "Your matchmaking profile is saved.")
                return redirect("events:participants", slug)
    return render(
        request,
        "events/profile.html",
        {"event": event, "form": form, "me": me},
        status=400 if form.errors else 200,
    )


# The participant list's filters; `side` only qualifies `feature`.
PARTICIPANT_FILTERS = ("q", "feature", "ecosystem", "country", "type")
PARTICIPANT_FACETS = {"country": "organisation__country__code", "type": "organisation__type"}
PARTICIPANT_LABELS = {"country": "organisation__country__label"}


def _participant_facets(request, me, base, filterset, facts) -> dict:
    """The participant list's total and facet counts (country and organisation type each
    with the other filters applied; ecosystems and features within the results) and the
    labels of their values, counted in Python from the event's facts (shared by every
    viewer, `participant_facts`). The filters themselves run in the database, as the page's
    rows do: one query for the ids of the results when a filter is chosen, a second for the
    ids without country and type when those are chosen with another filter."""
    query = request.GET
    everyone = set(facts.people) - {me.pk}

    def ids(filters) -> set[int]:
        return set(filters.qs.order_by().values_list("pk", flat=True)) & everyone

    side = query.get("side", "")
    chosen = {name for name in PARTICIPANT_FILTERS if name in query}
    # Ecosystems and features are counted within the results; country and type each with
    # every filter but these two (`counts_of_groups` then applies the other one of them).
    if chosen:
        matching = ids(filterset)
        groups, ecosystems, features = facts.tally(matching, side)
    else:
        matching = everyone
        groups, ecosystems, features = facts.tally_of_others(me.pk, side)
    if chosen & PARTICIPANT_FACETS.keys():
        if chosen - PARTICIPANT_FACETS.keys():
            without = query.copy()
            for name in PARTICIPANT_FACETS:
                without.pop(name, None)
            around = ids(ParticipantFilterSet(without, queryset=base))
            groups = facts.tally(around)[0]
        else:
            groups = facts.tally_of_others(me.pk)[0]
    counts, countries = counts_of_groups(
        [
            {
                "organisation__country__code": country,
                "organisation__type": kind,
                "organisation__country__label": label,
                "n": n,
            }
            for (country, kind, label), n in groups.items()
        ],
        query,
        PARTICIPANT_FACETS,
        PARTICIPANT_LABELS,
    )
    wanted = {*features, *selected(request, "feature")}
    return {
        "total": len(matching),
        "counts": counts,
        "countries": countries,
        "ecosystems": dict(ecosystems),
        "features": dict(features),
        "ecosystem_labels": [(code, label) for _, code, label in facts.ecosystems],
        "feature_labels": [
            (code, f"{code} {label}") for _, code, label in facts.features if code in wanted
        ],
    }


def participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    if not request.user.is_authenticated:
        return redirect(f"/account/login/?next={request.path}")
    me = _participant_or_403(request, event)
    if me is None:
        return _to_profile(request, event)
    base = matchmaking.visible_participants(event, request.user, me=me).exclude(pk=me.pk)
    base = base.select_related("organisation__country")
    filterset = ParticipantFilterSet(request.GET, queryset=base)
    valid = filterset.is_valid()
    # The cards show the name, the organisation and the texts: no features to prefetch.
    queryset = filterset.qs if valid else base.none()
    facts = participant_facts.facts_of(event, matchmaking.profiles_version(event))
    facets = _participant_facets(request, me, base, filterset, facts) if valid else {}
    paginator = Paginator(queryset.order_by("display_name", "pk"), PAGE_SIZE)
    if valid:
        paginator.count = facets["total"]  # counted with the facets
    page = paginator.get_page(request.GET.get("page"))
    total = page.paginator.count
    counts = facets.get("counts", {})
    countries = facets.get("countries", {})
    ecosystems = facets.get("ecosystems", {})
    features = facets.get("features", {})

    def make(query):
        return ParticipantFilterSet(query, queryset=base)

    form = filterset.form
    panel = FilterPanel(
        request,
        [
            Fields("", [form["q"]]),
            Facet(
                "type",
                "Organisation type",
                options(
                    OrganisationType.choices,
                    counts.get("type"),
                    selected(request, "type"),
                    hide_empty=True,
                ),
            ),
            Facet(
                "country",
                "Country",
                options(
                    sorted(countries.items(), key=lambda i: i[1]),
                    counts.get("country"),
                    selected(request, "country"),
                ),
                long=len(countries) > 8,
            ),
            Facet(
                "ecosystem",
                "Industrial ecosystem",
                options(
                    facets.get("ecosystem_labels", []),
                    ecosystems,
                    selected(request, "ecosystem"),
                    hide_empty=True,
                ),
                long=True,
            ),
            Facet(
                "feature",
                "Features (offered or sought)",
                options(
                    facets.get("feature_labels", []),
                    features,
                    selected(request, "feature"),
                ),
                long=True,
                folded=True,
            ),
            Fields("", [form["side"]]),
        ],
        total=total,
        label="Filter participants",
        noun=("participant", "participants"),
        errors=field_errors(form),
        count=lambda query: make(query).qs.count(),
    )
    suggestions = []
    if not request.GET:
        suggestions = matchmaking.suggestions_among(me, facts, limit=5)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "me": me,
            "page": page,
            "panel": panel,
            "suggestions": suggestions,
            "query": query.urlencode(),
        },
        status=200 if valid else 400,
    )


@login_required
def participant(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(slug)
    me = _participant_or_403(request, event)
    if me is None:
        return _to_profile(request, event)
    other = get_object_or_404(
        matchmaking.visible_participants(event, request.user).select_related(
            "organisation__country"
        ),
        pk=pk,
    )
    existing = (
        MeetingRequest.objects.filter(Q(sender=me, receiver=other) | Q(sender=other, receiver=me))
        .exclude(status=RequestStatus.CANCELLED)
        .first()
    )
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matchmaking.send_request(me, other, request.user, form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, f"Your request was sent to {other.display_name}.")
            return redirect("events:requests", slug)
    return render(
        request,
        "events/participant.html",
        {"event": event, "me": me, "other": other, "existing": existing, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    me = _participant_or_403(request, event)
    if me is None:
        return _to_profile(request, event)
    related = ("sender__organisation", "receiver__organisation", "slot")
    return render(
        request,
        "events/requests.html",
        {
            "event": event,
            "me": me,
            "received": me.received.select_related(*related).order_by("-created_at"),
            "sent": me.sent.select_related(*related).order_by("-created_at"),
            "pending_sent": me.sent.filter(status=RequestStatus.PENDING).count(),
        },
    )


_ACTIONS = {
    "accept": matchmaking.accept,
    "decline": matchmaking.decline,
    "cancel": matchmaking.cancel,
}


@login_required
@require_POST
def request_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    event = _event(slug)
    meeting = get_object_or_404(
        MeetingRequest.objects.select_related("sender", "receiver"), pk=pk, event=event
    )
    if action not in _ACTIONS or not meeting.involves(request.user):
        raise Http404("No such request.")
    try:
        meeting = _ACTIONS[action](meeting, request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        if action == "accept":
            meeting.event = event
            messages.success(request, f"Accepted: {matchmaking.describe_place(meeting)}.")
        else:
            messages.success(request, "Done.")
    return redirect("events:requests", slug)


@login_required
@require_POST
def rate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(slug)
    meeting = get_object_or_404(MeetingRequest, pk=pk, event=event)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            matchmaking.rate(meeting, request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, "Thank you for your rating.")
    return redirect("events:agenda", slug)


@login_required
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    me = _participant_or_403(request, event)
    if me is None:
        return _to_profile(request, event)
    meetings = list(matchmaking.agenda_of(event, me))
    now = timezone.now()
    for meeting in meetings:
        meeting.other = meeting.receiver if meeting.sender_id == me.pk else meeting.sender
        meeting.local_start = event.local(meeting.slot.start) if meeting.slot else None
        meeting.can_rate = meeting.slot is not None and meeting.slot.start <= now
        meeting.my_rating = (
            meeting.sender_rating if meeting.sender_id == me.pk else (meeting.receiver_rating)
        )
    return render(
        request,
        "events/agenda.html",
        {"event": event, "me": me, "meetings": meetings, "rating_form": RatingForm()},
    )


@login_required
def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    me = _participant_or_403(request, event)
    if me is None:
        return _to_profile(request, event)
    content = calendars.agenda_ics(event, me, matchmaking.agenda_of(event, me))
    return _ics(content, f"{event.slug}-my-meetings.ics")


# The organiser -------------------------------------------------------------------------------
def dashboard_figures(event: Event) -> dict:
    registrations = dict(
        event.registrations.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    requests_by_status = dict(
        event.meeting_requests.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    accepted = event.meeting_requests.filter(status=RequestStatus.ACCEPTED)
    placed = accepted.filter(slot__isnull=False)
    per_slot = list(
        event.slots.annotate(
            used=Count("meetings", filter=Q(meetings__status=RequestStatus.ACCEPTED))
        ).order_by("start")
    )
    ratings = accepted.aggregate(
        sender=Avg("sender_rating"),
        receiver=Avg("receiver_rating"),
        rated=Count("pk", filter=Q(sender_rating__isnull=False) | Q(receiver_rating__isnull=False)),
        follow_ups=Count("pk", filter=Q(sender_follow_up=True) | Q(receiver_follow_up=True)),
    )
    averages = [v for v in (ratings["sender"], ratings["receiver"]) if v is not None]
    return {
        "registrations": registrations,
        "requests": requests_by_status,
        "accepted": accepted.count(),
        "placed": placed.count(),
        "per_slot": [
            {"slot": event.local(slot.start), "used": slot.used, "tables": event.tables}
            for slot in per_slot
        ],
        "rated": ratings["rated"],
        "rating": round(sum(averages) / len(averages), 1) if averages else None,
        "follow_ups": ratings["follow_ups"],
    }


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    people = event.registrations.select_related("user", "organisation").order_by(
        "status", "queued_at"
    )
    return render(
        request,
        "events/dashboard.html",
        {
            "event": event,
            "figures": dashboard_figures(event),
            "people": Paginator(people, 100).get_page(request.GET.get("page")),
            "result": request.session.pop(f"optimised-{event.pk}", None),
            "moves": optimiser.last_moves(event) if event.is_brokerage else (0, []),
        },
    )


@login_required
@require_POST
def optimise(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    solution = optimiser.apply_optimisation(event, request.user)
    request.session[f"optimised-{event.pk}"] = {
        "placed": solution.placed,
        "upper_bound": solution.upper_bound,
        "greedy": solution.greedy,
        "method": solution.method,
        "seconds": round(solution.seconds, 2),
    }
    messages.success(
        request, f"{solution.placed} meetings placed (at most {solution.upper_bound} possible)."
    )
    return redirect("events:dashboard", slug)
