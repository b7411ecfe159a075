"""Organisations as JSON: the public profile only. Members, requests and hidden cluster
memberships are served only to the people who may see them (`MemberSerializer`,
`ClusterMembershipSerializer`, through their own endpoints)."""

from rest_framework import serializers

from clusterbridge.organisations.models import (
    MESSAGE_MAX,
    ClusterMembership,
    Membership,
    Organisation,
)
from clusterbridge.taxonomy.models import Country, Feature, Term, Vocabulary


class CodeField(serializers.SlugRelatedField):
    """A taxonomy entry by its code; an unknown code is an error that names it."""

    default_error_messages = {
        "does_not_exist": "Unknown code: {value}.",
        "invalid": "Invalid code.",
    }

    def __init__(self, queryset, **kwargs):
        super().__init__(slug_field="code", queryset=queryset, **kwargs)


class OrganisationSerializer(serializers.ModelSerializer):
    """Read: the public profile. Write (owners, through the services): the editable fields;
    a PATCH changes only the fields it sends."""

    url = serializers.HyperlinkedIdentityField(view_name="organisation-detail", lookup_field="slug")
    page = serializers.CharField(source="get_absolute_url", read_only=True)
    country = CodeField(Country.objects.all(), allow_null=True, required=False)
    features = CodeField(Feature.objects.all(), many=True, required=False)
    ecosystems = CodeField(
        Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS), many=True, required=False
    )
    sectors = CodeField(
        Term.objects.filter(vocabulary=Vocabulary.SECTORS), many=True, required=False
    )
    clusters = serializers.SerializerMethodField(
        help_text="Slugs of the clusters that list this organisation publicly."
    )

    class Meta:
        model = Organisation
        fields = [
            "url",
            "page",
            "slug",
            "name",
            "type",
            "country",
            "region",
            "website",
            "description",
            "size",
            "features",
            "ecosystems",
            "sectors",
            "clusters",
            "is_synthetic",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "is_synthetic", "created_at", "updated_at"]
        extra_kwargs = {"type": {"required": True}}

    def get_clusters(self, organisation) -> list[str]:
        links = getattr(organisation, "shown_clusters", None)
        if links is None:
            links = ClusterMembership.objects.shown().filter(organisation=organisation)
            links = links.select_related("cluster")
        return [link.cluster.slug for link in links]

    def values(self) -> dict:
        """The validated values, as the services take them (only the fields sent)."""
        return dict(self.validated_data)


class MemberSerializer(serializers.ModelSerializer):
    """A member or a join request, for the organisation's own members."""

    username = serializers.CharField(source="user.get_username", read_only=True)
    name = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "name", "role", "status", "created_at", "decided_at"]
        read_only_fields = fields


class OwnerMemberSerializer(MemberSerializer):
    """What the owners see in addition: e-mail addresses and the requests' messages."""

    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "email", "message"]
        read_only_fields = fields


class JoinSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=MESSAGE_MAX, required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MESSAGE_MAX, required=False, allow_blank=True)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class ClusterMembershipSerializer(serializers.ModelSerializer):
    """A cluster membership as its two sides see it (the organisation's owners and members,
    the cluster's managers)."""

    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ClusterMembership
        fields = [
            "id",
            "organisation",
            "cluster",
            "status",
            "show_publicly",
            "message",
            "reason",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class ClusterRequestSerializer(serializers.Serializer):
    cluster = serializers.CharField(help_text="The cluster's slug.")
    show_publicly = serializers.BooleanField(
        help_text="Whether the organisation agrees to be listed on the cluster's public profile."
    )
    message = serializers.CharField(max_length=MESSAGE_MAX, required=False, allow_blank=True)


class VisibilitySerializer(serializers.Serializer):
    show_publicly = serializers.BooleanField()
