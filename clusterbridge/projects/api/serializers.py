from rest_framework import serializers

from clusterbridge.projects.models import Project


class ProjectSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", allow_null=True, default=None)
    features = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    owner_cluster = serializers.SerializerMethodField()

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

    def get_owner_cluster(self, project) -> str | None:
        """Slug of the owning cluster, when the public may see that cluster."""
        cluster = project.public_owner_cluster
        return cluster.slug if cluster is not None else None

    def get_features(self, project) -> list[str]:
        return [f.code for f in project.features.all()]
