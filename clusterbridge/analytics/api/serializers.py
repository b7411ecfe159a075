from rest_framework import serializers

from clusterbridge.analytics.models import RegionalDataset


class RegionalDatasetSerializer(serializers.ModelSerializer):
    citation = serializers.CharField(read_only=True)

    class Meta:
        model = RegionalDataset
        fields = [
            "code",
            "title",
            "origin",
            "source_name",
            "file_format",
            "imported_at",
            "observations",
            "confidential",
            "missing",
            "periods",
            "series",
            "citation",
        ]


class SpecialisationRowSerializer(serializers.Serializer):
    geo = serializers.CharField()
    region_name = serializers.CharField()
    industry = serializers.CharField(help_text="NACE code, or ecosystem code by ecosystem.")
    employment = serializers.FloatField(allow_null=True)
    flags = serializers.CharField()
    share_of_region = serializers.FloatField(allow_null=True)
    industry_share_of_reference = serializers.FloatField(allow_null=True)
    lq = serializers.FloatField(allow_null=True)
    industry_node = serializers.BooleanField()
    region_node = serializers.BooleanField()
    note = serializers.CharField()


class ProjectGroupSerializer(serializers.ModelSerializer):
    projects = serializers.SerializerMethodField()
    manager = serializers.SerializerMethodField()

    class Meta:
        from clusterbridge.analytics.models import ProjectGroup

        model = ProjectGroup
        fields = [
            "slug",
            "name",
            "area",
            "end_users",
            "status",
            "manager",
            "projects",
            "provenance",
        ]

    def get_projects(self, group) -> list[dict]:
        return [{"id": p.pk, "name": p.name, "call": p.call} for p in group.shown_projects]

    def get_manager(self, group) -> str | None:
        return group.manager.get_username() if group.manager else None
