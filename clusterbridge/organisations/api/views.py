"""/api/v1/organisations/ and /api/v1/cluster-memberships/: the directory's FilterSet for the
list; every write calls the same service as the pages."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from clusterbridge.accounts import roles
from clusterbridge.clusters.models import Cluster
from clusterbridge.organisations import services
from clusterbridge.organisations.api.serializers import (
    ClusterMembershipSerializer,
    ClusterRequestSerializer,
    JoinSerializer,
    MemberSerializer,
    OrganisationSerializer,
    OwnerMemberSerializer,
    ReasonSerializer,
    RoleSerializer,
    VisibilitySerializer,
)
from clusterbridge.organisations.filtersets import OrganisationFilterSet
from clusterbridge.organisations.models import ClusterMembership, Membership, Organisation
from clusterbridge.taxonomy.models import Feature, Term

DONE = OpenApiResponse(description="Done; nothing to return.")


class OrganisationViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Organisations. The list takes the directory's filters (q, type, country, ecosystem,
    sector, feature, size, cluster, ordering) and lists real organisations only. A verified
    account may create one (and becomes its owner); owners PATCH and DELETE it. Members are
    listed at `members/` for the organisation's own members only."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    lookup_field = "slug"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = (
            Organisation.objects.select_related("country")
            .prefetch_related(
                Prefetch("features", queryset=Feature.objects.only("code").order_by("code")),
                Prefetch("ecosystems", queryset=Term.objects.only("code").order_by("code")),
                Prefetch("sectors", queryset=Term.objects.only("code").order_by("code")),
                Prefetch(
                    "cluster_links",
                    queryset=ClusterMembership.objects.shown().select_related("cluster"),
                    to_attr="shown_clusters",
                ),
            )
            .order_by("name", "pk")
        )
        return queryset.real() if self.action == "list" else queryset

    def filter_queryset(self, queryset):
        # The directory's filters apply to the list; a record is reached by its slug.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _organisation(self) -> Organisation:
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = services.create_organisation(request.user, serializer.values())
        data = self.get_serializer(self._reloaded(organisation)).data
        return Response(data, status=status.HTTP_201_CREATED)

    def _reloaded(self, organisation: Organisation) -> Organisation:
        return self.get_queryset().get(pk=organisation.pk)

    def partial_update(self, request, *args, **kwargs):
        organisation = self._organisation()
        services.require_owner(organisation, request.user)
        serializer = self.get_serializer(organisation, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organisation = services.update_organisation(organisation, request.user, serializer.values())
        return Response(self.get_serializer(self._reloaded(organisation)).data)

    def destroy(self, request, *args, **kwargs):
        services.delete_organisation(self._organisation(), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # Members -------------------------------------------------------------------------------
    @extend_schema(
        request=None,
        responses={200: OwnerMemberSerializer(many=True)},
        description="The members (and, for owners, the pending requests with e-mail "
        "addresses and messages). Only the organisation's members may read it.",
    )
    @action(detail=True, methods=["get"])
    def members(self, request, slug=None):
        organisation = self._organisation()
        owner = organisation.user_can_change(request.user)
        if not owner and not organisation.has_member(request.user):
            raise PermissionDenied("Only the organisation's members see its members.")
        people = organisation.memberships.select_related("user")
        if owner:
            people = people.exclude(status=Membership.Status.DECLINED)
            return Response(OwnerMemberSerializer(people, many=True).data)
        people = people.filter(status=Membership.Status.ACTIVE)
        return Response(MemberSerializer(people, many=True).data)

    @extend_schema(request=JoinSerializer, responses={201: MemberSerializer})
    @action(detail=True, methods=["post"])
    def join(self, request, slug=None):
        """Ask to join (a verified account); the owners are mailed and decide."""
        serializer = JoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.request_to_join(
            self._organisation(), request.user, serializer.validated_data.get("message", "")
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: DONE})
    @action(detail=True, methods=["post"])
    def leave(self, request, slug=None):
        """Leave the organisation, or withdraw a pending request (the last owner cannot)."""
        services.leave(self._organisation(), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _membership(self, member_id) -> Membership:
        organisation = self._organisation()
        services.require_owner(organisation, self.request.user)
        return get_object_or_404(
            Membership.objects.select_related("user", "organisation"),
            pk=member_id,
            organisation=organisation,
        )

    @extend_schema(request=ReasonSerializer, responses={200: OwnerMemberSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"members/(?P<member_id>\d+)/(?P<decision>approve|decline)",
    )
    def decide_request(self, request, slug=None, member_id=None, decision=None):
        """An owner approves or declines a join request (`reason` optional, mailed)."""
        membership = self._membership(member_id)
        if decision == "approve":
            membership = services.approve_request(membership, request.user)
        else:
            serializer = ReasonSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            membership = services.decline_request(
                membership, request.user, serializer.validated_data.get("reason", "")
            )
        return Response(OwnerMemberSerializer(membership).data)

    @extend_schema(request=RoleSerializer, responses={200: OwnerMemberSerializer})
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member_id>\d+)/role")
    def set_role(self, request, slug=None, member_id=None):
        """An owner makes a member an owner (`role`: owner) or an owner a member."""
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.set_role(
            self._membership(member_id), request.user, serializer.validated_data["role"]
        )
        return Response(OwnerMemberSerializer(membership).data)

    @extend_schema(request=None, responses={204: DONE})
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member_id>\d+)/remove")
    def remove_member(self, request, slug=None, member_id=None):
        """An owner removes a member (an organisation keeps at least one owner)."""
        services.remove_member(self._membership(member_id), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # Clusters ------------------------------------------------------------------------------
    @extend_schema(request=ClusterRequestSerializer, responses={201: ClusterMembershipSerializer})
    @action(detail=True, methods=["post"], url_path="clusters")
    def request_cluster(self, request, slug=None):
        """An owner asks a cluster to list the organisation as a member; the cluster's
        managers decide (see /api/v1/cluster-memberships/)."""
        organisation = self._organisation()
        services.require_owner(organisation, request.user)
        serializer = ClusterRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cluster = Cluster.objects.filter(slug=data["cluster"]).first()
        if cluster is None:
            raise ValidationError({"cluster": f"No cluster has the slug “{data['cluster']}”."})
        link = services.request_cluster_membership(
            organisation,
            request.user,
            cluster,
            show_publicly=data["show_publicly"],
            message=data.get("message", ""),
        )
        return Response(ClusterMembershipSerializer(link).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                enum=ClusterMembership.Status.values,
                description="Only memberships in this state (e.g. pending: the queue).",
            )
        ]
    )
)
class ClusterMembershipViewSet(
    mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Cluster memberships seen from both sides: those of the organisations you belong to,
    and those of the clusters you manage (the managers' queue: `?status=pending`). Managers
    approve or decline; the organisation's owners PATCH `show_publicly`; either side DELETEs
    (ends) a membership."""

    serializer_class = ClusterMembershipSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = None

    def get_queryset(self):
        user = self.request.user
        queryset = ClusterMembership.objects.filter(organisation__deleted_at=None)
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return queryset.none()
        if not roles.is_admin(user):
            own = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
            managed = ClusterMembership.objects.managed_by(user).values("pk")
            queryset = queryset.filter(
                Q(organisation__in=own.values("organisation")) | Q(pk__in=managed)
            )
        wanted = self.request.query_params.get("status")
        if self.action == "list" and wanted in ClusterMembership.Status.values:
            queryset = queryset.filter(status=wanted)
        return queryset.select_related("organisation", "cluster").order_by("created_at", "pk")

    @extend_schema(request=VisibilitySerializer, responses={200: ClusterMembershipSerializer})
    def partial_update(self, request, *args, **kwargs):
        serializer = VisibilitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.set_cluster_visibility(
            self.get_object(), request.user, serializer.validated_data["show_publicly"]
        )
        return Response(self.get_serializer(link).data)

    @extend_schema(request=VisibilitySerializer, responses={200: ClusterMembershipSerializer})
    def destroy(self, request, *args, **kwargs):
        services.end_cluster_membership(self.get_object(), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: ClusterMembershipSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """A manager of the cluster approves the request."""
        link = services.approve_cluster_membership(self.get_object(), request.user)
        return Response(self.get_serializer(link).data)

    @extend_schema(request=ReasonSerializer, responses={200: ClusterMembershipSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """A manager of the cluster declines the request (`reason` required, mailed)."""
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.decline_cluster_membership(
            self.get_object(), request.user, serializer.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(link).data)


__all__ = ["ClusterMembershipViewSet", "OrganisationViewSet"]
