from rest_framework import serializers

from clusterbridge.clusters.models import Cluster, Network
from clusterbridge.core.api import ServiceSerializer
from clusterbridge.taxonomy.models import Country, Term


class NetworkSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    member_of = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    clusters = serializers.SerializerMethodField()

    class Meta:
        model = Network
        fields = [
            "code",
            "name",
            "kind",
            "country",
            "website",
            "description",
            "member_of",
            "clusters",
            "provenance",
        ]

    def get_clusters(self, network) -> list[str]:
        return [
            c.slug for c in network.clusters.all() if c.status == "published" and not c.is_synthetic
        ]


class ClusterSerializer(ServiceSerializer):
    """Read: the whole profile. Write (through the services): the editable fields."""

    url = serializers.HyperlinkedIdentityField(view_name="cluster-detail", lookup_field="slug")
    country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), allow_null=True, required=False
    )
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sectors = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Term.objects.filter(vocabulary="sectors"),
    )
    ecosystems = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Term.objects.filter(vocabulary="ecosystems"),
    )
    technologies = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Term.objects.filter(vocabulary="technologies"),
    )
    services = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Term.objects.filter(vocabulary="cluster-services"),
    )
    networks = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    domains = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    label = serializers.SerializerMethodField()
    size = serializers.IntegerField(source="size_members", read_only=True, allow_null=True)

    class Meta:
        model = Cluster
        fields = [
            "url",
            "slug",
            "name",
            "former_names",
            "also_known_as",
            "country",
            "countries",
            "region",
            "city",
            "description",
            "mission",
            "member_benefits",
            "contact_email",
            "contact_phone",
            "contact_form_url",
            "website",
            "founding_year",
            "members_total",
            "members_sme",
            "members_large",
            "members_research",
            "members_note",
            "size",
            "sectors",
            "ecosystems",
            "technologies",
            "services",
            "domains",
            "sectors_text",
            "networks",
            "label",
            "status",
            "field_sources",
            "provenance",
            "updated_at",
        ]
        read_only_fields = [
            "slug",
            "former_names",
            "also_known_as",
            "members_note",
            "sectors_text",
            "status",
            "field_sources",
            "provenance",
            "updated_at",
        ]

    def get_label(self, cluster) -> dict | None:
        if not cluster.label_level:
            return None
        return {
            "level": cluster.label_level,
            "issued": cluster.label_issued,
            "expires": cluster.label_expires,
            "validity": cluster.label_validity(),
        }
