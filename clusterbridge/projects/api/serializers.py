from rest_framework import serializers

from clusterbridge.projects.models import Project


class ProjectSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", allow_null=True, default=None)
    features = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    owner_cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "organisation",
            "country",
            "stage",
            "description",
            "features",
            "visibility",
            "call",
            "supporting_cluster",
            "owner_cluster",
            "name_variants",
            "source_doubts",
            "provenance",
            "url",
        ]

    def get_features(self, project) -> list[str]:
        return [f.code for f in project.features.all()]
