from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from clusterbridge.funding.models import CURRENT_STATUSES
from clusterbridge.matching.api.serializers import MatchSerializer, RankedMatchesSerializer
from clusterbridge.matching.forms import MatchForm
from clusterbridge.matching.services import hidden_for, profile_for, results_for
from clusterbridge.taxonomy import profiles
from clusterbridge.taxonomy.groups import with_feature_codes

MAX_PAGE_SIZE = 200


def ranked_response(request, profile, statuses=CURRENT_STATUSES) -> Response:
    """Ranked matches for a profile, paginated with `page` and `page_size`."""
    try:
        page = max(1, int(request.query_params.get("page", 1)))
        size = min(MAX_PAGE_SIZE, max(1, int(request.query_params.get("page_size", 20))))
    except ValueError:
        raise serializers.ValidationError(
            {"page": "page and page_size must be whole numbers."}
        ) from None
    count, results = results_for(
        profile,
        limit=size,
        offset=(page - 1) * size,
        statuses=statuses,
        hidden=hidden_for(request),
    )
    for number, result in enumerate(results, start=(page - 1) * size + 1):
        result.rank = number
    return Response(
        {
            "count": count,
            "page": page,
            "page_size": size,
            "profile": {"features": sorted(profile.features), "country": profile.country},
            "results": MatchSerializer(results, many=True).data,
        }
    )


class MatchView(APIView):
    """Rank the open funding instruments for an ad-hoc profile, with the reasons."""

    permission_classes: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("feature", str, many=True, description="Feature code, repeatable"),
            OpenApiParameter("country", str, description="ISO country code of the applicant"),
            OpenApiParameter("description", str),
            OpenApiParameter(
                "status",
                str,
                many=True,
                enum=["open", "forthcoming", "unknown"],
                description="Repeatable; default open and forthcoming. Add unknown for "
                "instruments whose dates are not known (check at the source).",
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=RankedMatchesSerializer,
    )
    def get(self, request):
        form = MatchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    name: [error["message"] for error in errors]
                    for name, errors in form.errors.get_json_data().items()
                }
            )
        profile = form.profile()
        if not profile.features:
            raise serializers.ValidationError({"feature": ["Give at least one feature code."]})
        return ranked_response(request, profile, form.cleaned_data["status"])


class RecordMatchesView(APIView):
    """The funding instruments ranked for one record described by features (a project…),
    with score and explanation: GET /api/v1/<kind>/<id>/matches/."""

    permission_classes: list = []
    kind = ""  # a key of taxonomy.profiles, set per route

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=RankedMatchesSerializer,
    )
    def get(self, request, id: int):  # noqa: A002 — the path parameter of the old route
        kind = profiles.get(self.kind)
        visible = with_feature_codes(kind.visible(request.user).select_related("country"))
        return ranked_response(request, profile_for(get_object_or_404(visible, pk=id)))
