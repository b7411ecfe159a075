from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from clusterbridge.analytics import views as pages
from clusterbridge.analytics.api.serializers import (
    ProjectGroupSerializer,
    RegionalDatasetSerializer,
    SpecialisationRowSerializer,
)
from clusterbridge.analytics.forms import SpecialisationQuery
from clusterbridge.analytics.models import RegionalDataset


class RegionalDatasetViewSet(viewsets.ReadOnlyModelViewSet):
    """Imported regional datasets (Eurostat), with where each came from."""

    serializer_class = RegionalDatasetSerializer
    lookup_field = "code"
    queryset = RegionalDataset.objects.real()


SPECIALISATION_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=str(field.label or name))
    for name, field in SpecialisationQuery.base_fields.items()
]


@extend_schema(
    parameters=SPECIALISATION_PARAMETERS,
    responses=inline_serializer(
        "Specialisation",
        {
            "dataset": serializers.CharField(allow_null=True),
            "period": serializers.IntegerField(allow_null=True),
            "level": serializers.CharField(allow_null=True),
            "source": serializers.CharField(allow_null=True),
            "rules": serializers.DictField(),
            "results": SpecialisationRowSerializer(many=True),
        },
    ),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def specialisation(request):
    """Location quotients and specialisation nodes, the same parameters as the page
    (/analytics/specialisation/). Empty `results` and `dataset: null` when no data is imported."""
    context = pages.specialisation_context(request.query_params)
    from clusterbridge.analytics import specialisation as rules

    dataset = context.get("dataset")
    keys = [
        "geo",
        "region_name",
        "industry",
        "employment",
        "flags",
        "share_of_region",
        "industry_share_of_reference",
        "lq",
        "industry_node",
        "region_node",
        "note",
    ]
    results = []
    for row in pages._rows(context):
        item = dict(zip(keys, row, strict=True))
        item["industry_node"] = item["industry_node"] == "yes"
        item["region_node"] = item["region_node"] == "yes"
        results.append(item)
    if context.get("by_ecosystem"):
        for item, result in zip(results, context["results"], strict=True):
            item["industry"] = result.industry
    return Response(
        {
            "dataset": dataset.code if dataset else None,
            "period": context["choice"].period if dataset else None,
            "level": context["choice"].level if dataset else None,
            "source": context.get("citation"),
            "rules": {
                "lq_threshold": rules.LQ_THRESHOLD,
                "share_threshold": rules.SHARE_THRESHOLD,
            },
            "results": results,
        }
    )


@extend_schema(
    parameters=[
        OpenApiParameter("country", OpenApiTypes.STR, description="ISO country code"),
        OpenApiParameter("ecosystem", OpenApiTypes.STR, description="ecosystem code"),
        OpenApiParameter("type", OpenApiTypes.STR, description="cluster or organisation"),
    ],
    responses=inline_serializer(
        "Keystones",
        {
            "nodes": serializers.IntegerField(),
            "links": serializers.IntegerField(),
            "sampled": serializers.IntegerField(allow_null=True),
            "keystones": serializers.ListField(child=serializers.DictField()),
            "communities": serializers.ListField(child=serializers.DictField()),
        },
    ),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def keystones(request):
    """Keystone agents of the public relatedness network (the page /analytics/network/), with
    the communities each links, and the communities with their strongest fields."""
    context = pages.network_context(request.query_params)
    analysis = context["analysis"]
    return Response(
        {
            "nodes": context["graph"].number_of_nodes(),
            "links": context["graph"].number_of_edges(),
            "sampled": analysis.sampled,
            "keystones": [
                {
                    "node": k.node,
                    "kind": k.kind,
                    "label": k.label,
                    "betweenness": k.betweenness,
                    "reason": k.reason,
                    "communities": [c.number for c in k.communities],
                }
                for k in context["keystones"]
            ],
            "communities": [
                {"number": c.number, "name": c.name, "size": len(c.members), "agents": c.agents}
                for c in analysis.communities
            ],
        }
    )


class ProjectGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects grouped around end-user areas; only the projects the caller may see."""

    serializer_class = ProjectGroupSerializer
    lookup_field = "slug"

    def get_queryset(self):
        from django.db.models import Prefetch

        from clusterbridge.analytics.models import ProjectGroup
        from clusterbridge.projects.models import Project

        visible = Project.objects.real().visible_to(self.request.user).order_by("name")
        return ProjectGroup.objects.select_related("manager").prefetch_related(
            Prefetch("projects", queryset=visible, to_attr="shown_projects")
        )
