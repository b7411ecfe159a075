"""/api/v1/clusters/ and /api/v1/networks/: the same FilterSet as the directory page; writes
go through the same services as the pages (proposal → pending, manager edits → change
requests, moderation by administrators), with versions (ETag / If-Match)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from clusterbridge.accounts.roles import is_admin
from clusterbridge.clusters import services
from clusterbridge.clusters.api.serializers import ClusterSerializer, NetworkSerializer
from clusterbridge.clusters.filtersets import ClusterFilterSet
from clusterbridge.clusters.models import (
    ChangeRequest,
    Cluster,
    ClusterManager,
    Network,
    Status,
)
from clusterbridge.core.api import VersionedMixin, versioned_schema


@extend_schema_view(
    **versioned_schema(ClusterSerializer, writes=("update", "partial_update")),
)
class ClusterViewSet(
    VersionedMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Published clusters. POST proposes one (pending until approved); PATCH by a manager
    submits a change request (202; applied at once, 200, for trusted managers and
    administrators). Both go through the clusters' service, as the pages do."""

    serializer_class = ClusterSerializer
    filterset_class = ClusterFilterSet
    lookup_field = "slug"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Cluster.objects.select_related("country").prefetch_related(
            "countries", "sectors", "ecosystems", "technologies", "services", "networks"
        )
        if self.action == "list":
            return queryset.public()
        return queryset

    def get_object(self):
        cluster = get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
        if not cluster.is_visible_to(self.request.user):
            raise NotFound("No such cluster.")
        self.check_object_permissions(self.request, cluster)
        self.etag_object = cluster
        return cluster

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(
            self.get_serializer(serializer.instance).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        cluster = self.get_object()
        serializer = self.get_serializer(cluster, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        result = serializer.write_result
        if result.waiting_for_review:
            change = result.review
            return Response(
                {"change_request": change.pk, "status": change.status, "changes": change.changes},
                status=status.HTTP_202_ACCEPTED,
            )
        if not result.changed:
            raise ValidationError({"detail": "Nothing was changed."})
        cluster.refresh_from_db()
        return Response(self.get_serializer(cluster).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def _admin_only(self, request):
        if not is_admin(request.user):
            raise PermissionDenied("Only an administrator may moderate.")

    @action(detail=True, methods=["post"])
    def approve(self, request, slug=None):
        """Approve a pending registration."""
        self._admin_only(request)
        cluster = services.approve(self.get_object(), request.user)
        return Response(self.get_serializer(cluster).data)

    @action(detail=True, methods=["post"])
    def reject(self, request, slug=None):
        """Reject a pending registration (`reason` is required and sent by e-mail)."""
        self._admin_only(request)
        cluster = services.reject(self.get_object(), request.user, request.data.get("reason", ""))
        return Response(self.get_serializer(cluster).data)

    @action(detail=True, methods=["post"])
    def claim(self, request, slug=None):
        """Ask to manage this cluster (`message`: your role); an administrator decides."""
        link = services.claim(self.get_object(), request.user, request.data.get("message", ""))
        return Response(
            {"manager": link.user.get_username(), "approved": link.approved},
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"])
    def invite(self, request, slug=None):
        """A manager adds a colleague (`user`: username or e-mail) as co-manager."""
        cluster = self.get_object()
        if not cluster.user_can_change(request.user):
            raise PermissionDenied("You do not manage this cluster.")
        link = services.invite(
            cluster, request.user, services.find_user(request.data.get("user", ""))
        )
        return Response(
            {"manager": link.user.get_username(), "role": link.role}, status=status.HTTP_201_CREATED
        )

    @action(detail=True, methods=["post"])
    def managers(self, request, slug=None):
        """An administrator links a manager (`user`, `role` owner/co-manager, `trusted`)."""
        self._admin_only(request)
        role = request.data.get("role", ClusterManager.Role.OWNER)
        if role not in ClusterManager.Role.values:
            raise ValidationError(
                {"role": f"Choose one of: {', '.join(ClusterManager.Role.values)}."}
            )
        link = services.grant_manager(
            self.get_object(),
            request.user,
            services.find_user(request.data.get("user", "")),
            role=role,
            # "false" in a form post is a non-empty string: parse it as a boolean.
            trusted=serializers.BooleanField().to_internal_value(
                request.data.get("trusted", False)
            ),
        )
        return Response(
            {"manager": link.user.get_username(), "role": link.role, "trusted": link.trusted},
            status=status.HTTP_201_CREATED,
        )

    @action(
        detail=True,
        methods=["post"],
        url_path=r"changes/(?P<change_id>\d+)/(?P<decision>approve|reject)",
    )
    def decide_change(self, request, slug=None, change_id=None, decision=None):
        """Approve or reject one change request of this cluster."""
        self._admin_only(request)
        cluster = self.get_object()
        change = get_object_or_404(ChangeRequest.objects.all(), pk=change_id, cluster=cluster)
        if decision == "approve":
            change = services.approve_change(change, request.user)
        else:
            change = services.reject_change(change, request.user, request.data.get("reason", ""))
        return Response({"change_request": change.pk, "status": change.status})


@extend_schema_view(**versioned_schema(NetworkSerializer, writes=()))
class NetworkViewSet(VersionedMixin, viewsets.ReadOnlyModelViewSet):
    """Cluster networks and associations, with the slugs of their published member clusters."""

    serializer_class = NetworkSerializer
    lookup_field = "code"
    queryset = Network.objects.select_related("country", "member_of").prefetch_related(
        Prefetch("clusters", queryset=Cluster.objects.filter(status=Status.PUBLISHED))
    )


__all__ = ["ClusterViewSet", "NetworkViewSet"]
