from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets

from clusterbridge.core.api import VersionedMixin, versioned_schema
from clusterbridge.projects.api.serializers import ProjectSerializer
from clusterbridge.projects.filtersets import ProjectFilterSet
from clusterbridge.projects.models import Project
from clusterbridge.taxonomy.models import Feature


@extend_schema_view(**versioned_schema(ProjectSerializer, writes=()))
class ProjectViewSet(VersionedMixin, viewsets.ReadOnlyModelViewSet):
    """Projects described by features (private ones only for their owner and admins). The
    funding that fits a project is at /api/v1/projects/<id>/matches/ (the matching app)."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_queryset(self):
        return (
            Project.objects.real()
            .visible_to(self.request.user)
            .select_related("country")
            .prefetch_related(Prefetch("features", queryset=Feature.objects.only("code")))
        )
