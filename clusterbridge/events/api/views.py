"""/api/v1/events/ (the list's FilterSet; organisers write through the service),
/api/v1/events/<slug>/register/, …/participants/ (people registered only), …/agenda/,
/api/v1/registrations/ (own) and /api/v1/meeting-requests/ (own)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from clusterbridge.core.api import (
    ETAG,
    IF_MATCH,
    STALE,
    VERSION_KEY,
    VersionedMixin,
    if_match_version,
    versioned_schema,
)
from clusterbridge.core.permissions import ModelPolicy
from clusterbridge.events import matchmaking, services
from clusterbridge.events.api.serializers import (
    EventSerializer,
    MeetingRequestSerializer,
    ParticipantSerializer,
    ProfileSerializer,
    RegisterSerializer,
    RegistrationSerializer,
)
from clusterbridge.events.filtersets import EventFilterSet, ParticipantFilterSet
from clusterbridge.events.models import Event, MeetingRequest, Participant, Registration
from clusterbridge.organisations.models import Organisation


@extend_schema_view(**versioned_schema(EventSerializer))
class EventViewSet(VersionedMixin, viewsets.ModelViewSet):
    """Events. The list takes the page's filters (q, kind, ecosystem, country, attendance,
    when=upcoming|past|all). Cluster managers and editors create; organisers change."""

    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    lookup_field = "slug"
    permission_classes = [ModelPolicy]
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Event.objects.real()
            .select_related("country", "organiser_cluster", "organiser_network")
            .prefetch_related("ecosystems", "features", "funding_calls")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _event(self) -> Event:
        return get_object_or_404(Event.objects.all(), slug=self.kwargs["slug"])

    @extend_schema(request=RegisterSerializer, responses={201: RegistrationSerializer})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
    )
    def register(self, request, slug=None):
        event = self._event()
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slug = data.validated_data.get("organisation")
        organisation = get_object_or_404(Organisation, slug=slug) if slug else None
        registration = services.register_for(
            event,
            request.user,
            organisation=organisation,
            answers=data.validated_data.get("answers", {}),
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=ParticipantSerializer(many=True),
        filters=False,
        parameters=[
            OpenApiParameter(
                name,
                str,
                many=name in ("feature", "ecosystem", "country", "type"),
                description=str(f.label),
            )
            for name, f in ParticipantFilterSet.base_filters.items()
        ],
    )
    @action(detail=True, permission_classes=[permissions.IsAuthenticated], filter_backends=[])
    def participants(self, request, slug=None):
        """The event's other participants, public profile fields only, for people registered
        for the event and its organisers; the page's filters."""
        event = self._event()
        # One's own profile first: read once, it settles what a participant may see.
        me = matchmaking.participant_of(event, request.user)
        if me is None and not event.user_can_change(request.user):
            raise PermissionDenied("Only people registered for this event see its participants.")
        queryset = matchmaking.visible_participants(event, request.user, me=me)
        queryset = queryset.exclude(user=request.user)
        queryset = ParticipantFilterSet(request.query_params, queryset=queryset)
        if not queryset.is_valid():
            return Response(queryset.errors, status=status.HTTP_400_BAD_REQUEST)
        rows = (
            queryset.qs.select_related("organisation__country")
            .prefetch_related("offer_features", "seek_features", "ecosystems")
            .order_by("display_name", "pk")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ParticipantSerializer(page, many=True).data)

    def _my_registration(self, event: Event, user) -> Registration:
        if not event.is_brokerage:
            raise NotFound("This event has no matchmaking.")
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration is None or registration.status == Registration.Status.CANCELLED:
            raise PermissionDenied("You are not registered for this event.")
        if registration.status == Registration.Status.WAITING:
            raise PermissionDenied(
                "You are on the waiting list: matchmaking is for people with a confirmed seat."
            )
        return registration

    @extend_schema(
        methods=["GET"], responses={200: ProfileSerializer}, parameters=[ETAG], filters=False
    )
    @extend_schema(
        methods=["PUT"],
        request=ProfileSerializer,
        responses={200: ProfileSerializer, 201: ProfileSerializer, 412: STALE},
        parameters=[IF_MATCH, ETAG],
        filters=False,
    )
    @extend_schema(
        methods=["PATCH"],
        request=ProfileSerializer,
        responses={200: ProfileSerializer, 412: STALE},
        parameters=[IF_MATCH, ETAG],
        filters=False,
    )
    @action(
        detail=True,
        methods=["get", "put", "patch"],
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
    )
    def profile(self, request, slug=None):
        """My matchmaking profile at a brokerage event where my seat is confirmed: what I offer
        and seek, features, ecosystems, when I am available. PUT and PATCH write through the
        profile's service, as the profile page does (If-Match: the ETag read). A profile not
        made yet (a seat confirmed before profiles came with seats) is made by a PUT (201);
        a GET never writes."""
        event = self._event()
        registration = self._my_registration(event, request.user)
        me = matchmaking.participant_of(event, request.user)
        context = {"request": request, "event": event}
        if me is None:
            if request.method != "PUT":
                raise NotFound(
                    "You have no matchmaking profile at this event yet: send one with PUT."
                )
            serializer = ProfileSerializer(data=request.data, context=context)
            serializer.is_valid(raise_exception=True)
            me = matchmaking.create_profile(registration, request.user, serializer.validated_data)
            self.etag_object = me
            return Response(
                ProfileSerializer(me, context=context).data, status=status.HTTP_201_CREATED
            )
        self.etag_object = me
        if request.method != "GET":
            serializer = ProfileSerializer(
                me, data=request.data, partial=request.method == "PATCH", context=context
            )
            serializer.is_valid(raise_exception=True)
            serializer.save(**{VERSION_KEY: if_match_version(request, me)})
        return Response(ProfileSerializer(me, context=context).data)

    @extend_schema(responses=MeetingRequestSerializer(many=True), filters=False)
    @action(detail=True, permission_classes=[permissions.IsAuthenticated], filter_backends=[])
    def agenda(self, request, slug=None):
        """My accepted meetings at the event, in time order."""
        event = self._event()
        me = matchmaking.participant_of(event, request.user)
        if me is None:
            raise PermissionDenied("You take no part in this event's matchmaking.")
        meetings = (
            matchmaking.agenda_of(event, me)
            .select_related("sender__organisation__country", "receiver__organisation__country")
            .prefetch_related(
                *[
                    f"{side}__{name}"
                    for side in ("sender", "receiver")
                    for name in ("offer_features", "seek_features", "ecosystems")
                ]
            )
        )
        return Response(MeetingRequestSerializer(meetings, many=True).data)


class RegistrationViewSet(mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """My registrations. DELETE cancels (the seat goes to the waiting list)."""

    serializer_class = RegistrationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        return Registration.objects.filter(user=self.request.user).select_related(
            "event", "organisation"
        )

    def perform_destroy(self, instance):
        services.cancel_registration(instance, self.request.user)


class MeetingRequestViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """My meeting requests, sent and received. POST {receiver_id, message} asks; POST
    …/accept/, …/decline/; DELETE withdraws a request or cancels a meeting."""

    serializer_class = MeetingRequestSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MeetingRequest.objects.none()
        user = self.request.user
        prefetch = [
            f"{side}__{name}"
            for side in ("sender", "receiver")
            for name in ("offer_features", "seek_features", "ecosystems")
        ]
        return (
            MeetingRequest.objects.filter(Q(sender__user=user) | Q(receiver__user=user))
            .select_related(
                "event", "slot", "sender__organisation__country", "receiver__organisation__country"
            )
            .prefetch_related(*prefetch)
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        receiver = get_object_or_404(
            Participant.objects.select_related("event"), pk=serializer.validated_data["receiver_id"]
        )
        me = matchmaking.participant_of(receiver.event, request.user)
        if (
            me is None
            or not matchmaking.visible_participants(receiver.event, request.user)
            .filter(pk=receiver.pk)
            .exists()
        ):
            raise PermissionDenied("You take no part in this event's matchmaking.")
        meeting = matchmaking.send_request(
            me, receiver, request.user, serializer.validated_data.get("message", "")
        )
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        matchmaking.cancel(instance, self.request.user)

    @extend_schema(request=None, responses=MeetingRequestSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        meeting = matchmaking.accept(self.get_object(), request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=None, responses=MeetingRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        meeting = matchmaking.decline(self.get_object(), request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)
