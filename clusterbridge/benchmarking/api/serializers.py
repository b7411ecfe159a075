"""Benchmarking as JSON: the public indicator catalogue, and a manager's own assessments."""

from rest_framework import serializers

from clusterbridge.benchmarking.models import Assessment, Indicator


class IndicatorSerializer(serializers.ModelSerializer):
    source = serializers.JSONField(
        source="provenance",
        read_only=True,
        help_text='Where the indicator comes from: [{"document", "lines": [first, last]}].',
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "block",
            "topic",
            "question",
            "answer_type",
            "choices",
            "minimum",
            "maximum",
            "unit",
            "weight",
            "scoring",
            "eligibility",
            "source",
            "version",
            "catalogue_version",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="benchmarking-assessment-detail")
    report = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "url",
            "id",
            "cluster",
            "status",
            "catalogue_version",
            "completion",
            "scores",
            "answers",
            "created_at",
            "submitted_at",
            "version",
            "report",
        ]
        read_only_fields = fields

    def get_report(self, obj) -> str:
        from django.urls import reverse

        return reverse("benchmarking:report", args=[obj.pk])


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text="Indicator code → answer (number, true/false, choice value, list of "
        "choice values, year, text; null or empty clears it)."
    )
    version = serializers.IntegerField(
        required=False, help_text="The version read; answers changed meanwhile are a 409."
    )
