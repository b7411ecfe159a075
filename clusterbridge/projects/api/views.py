from django.db.models import Prefetch
from rest_framework import viewsets
from rest_framework.decorators import action

from clusterbridge.matching.api.serializers import MatchSerializer
from clusterbridge.matching.api.views import ranked_response
from clusterbridge.matching.services import profile_for
from clusterbridge.projects.api.serializers import ProjectSerializer
from clusterbridge.projects.filtersets import ProjectFilterSet
from clusterbridge.projects.models import Project
from clusterbridge.taxonomy.models import Feature


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects described by features (private ones only for their owner and admins)."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_queryset(self):
        return (
            Project.objects.real()
            .visible_to(self.request.user)
            .select_related("country")
            .prefetch_related(Prefetch("features", queryset=Feature.objects.only("code")))
        )

    @action(detail=True, methods=["get"], serializer_class=MatchSerializer, filterset_class=None)
    def matches(self, request, pk=None):
        """The funding instruments ranked for this project, with score and explanation."""
        return ranked_response(request, profile_for(self.get_object()))
