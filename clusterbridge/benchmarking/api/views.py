"""/api/v1/benchmarking/indicators/ (public, the catalogue's FilterSet) and
/api/v1/benchmarking/assessments/ (the assessments of the clusters the caller manages;
nobody else's, whoever asks)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from clusterbridge.benchmarking import services
from clusterbridge.benchmarking.api.serializers import (
    AnswersSerializer,
    AssessmentSerializer,
    IndicatorSerializer,
)
from clusterbridge.benchmarking.filtersets import IndicatorFilterSet
from clusterbridge.benchmarking.models import Assessment, Indicator


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The benchmarking indicators: block, code, question, answer type, thresholds and the
    source line in the seeds. Filters as on /benchmarking/ (q, block, answer_type,
    label_rule)."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    queryset = Indicator.objects.order_by("position", "code")
    lookup_field = "code"
    permission_classes = [permissions.AllowAny]


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's clusters' assessments (administrators: all). Answers are saved with
    `POST answers/` and the assessment submitted with `POST submit/` (at least 80 %
    answered, seed 002 L303)."""

    serializer_class = AssessmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = None

    def get_queryset(self):
        return (
            Assessment.objects.for_user(self.request.user)
            .select_related("cluster")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=AnswersSerializer, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        assessment = self.get_object()
        body = AnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            assessment = services.save_answers(
                assessment,
                request.user,
                body.validated_data["answers"],
                version=body.validated_data.get("version"),
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        except services.AnswerConflict as conflict:
            return Response(
                {"detail": str(conflict), "questions": conflict.codes},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self.get_serializer(assessment).data)

    @extend_schema(request=None, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assessment = self.get_object()
        try:
            assessment = services.submit(assessment, request.user)
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from None
        return Response(self.get_serializer(assessment).data)
