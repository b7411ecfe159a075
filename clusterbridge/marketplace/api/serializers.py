"""Marketplace posts as JSON. Writes go through `services.posts` (ServiceSerializer), so the
API refuses what the pages refuse, with the same messages. No e-mail address is served."""

from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from clusterbridge.accounts import roles
from clusterbridge.clusters.models import Cluster
from clusterbridge.core.api import ServiceSerializer
from clusterbridge.funding.models import Instrument
from clusterbridge.marketplace.models import Post
from clusterbridge.organisations.api.serializers import CodeField
from clusterbridge.organisations.models import Organisation
from clusterbridge.taxonomy.models import Country, Feature, Term, Vocabulary


class PostSerializer(ServiceSerializer):
    """Read: a post with its status and validator. Write (the organisation's members): the
    author's fields; a PATCH changes only the fields it sends, while the post is a draft or
    sent back."""

    url = serializers.HyperlinkedIdentityField(view_name="marketplace-post-detail")
    page = serializers.CharField(source="get_absolute_url", read_only=True)
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all()
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    cluster = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Cluster.objects.all(),
        allow_null=True,
        required=False,
        help_text="The pre-validating cluster (its slug); shown as validator and contact.",
    )
    funding_call = serializers.PrimaryKeyRelatedField(
        queryset=Instrument.objects.all(), allow_null=True, required=False
    )
    features = CodeField(Feature.objects.all(), many=True, required=False)
    ecosystems = CodeField(
        Term.objects.filter(vocabulary=Vocabulary.ECOSYSTEMS), many=True, required=False
    )
    sectors = CodeField(
        Term.objects.filter(vocabulary=Vocabulary.SECTORS), many=True, required=False
    )
    countries = CodeField(Country.objects.all(), many=True, required=False)
    partner_organisation = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text="The organisation named as the partner found, when it is on ClusterBridge.",
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "url",
            "page",
            *Post.VALUE_FIELDS,
            "organisation_name",
            *Post.M2M_FIELDS,
            "status",
            "return_reason",
            "published_at",
            "interest_closed_at",
            "partner_found_at",
            "partner_name",
            "partner_organisation",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "interest_closed_at",
            "partner_found_at",
            "partner_name",
            "status",
            "return_reason",
            "published_at",
            "version",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, instance):
        codes = getattr(instance, "listed_codes", None)
        data = super().to_representation(instance) if codes is None else self._listed(instance)
        request = self.context.get("request")
        members_of = self.context.get("members_of")  # the list's: the reader's organisations
        if members_of is not None and request is not None:
            may_change = roles.is_admin(request.user) or instance.organisation_id in members_of
        else:
            may_change = request is not None and instance.user_can_change(request.user)
        if not may_change:
            data.pop("return_reason", None)
        return data

    def _listed(self, instance) -> dict:
        """As `to_representation`, with the codes of the relations read for the whole page
        (`listed_codes`, see api.views.with_codes) rather than a queryset per post."""
        data = {}
        for field in self._readable_fields:
            if field.field_name in instance.listed_codes:
                data[field.field_name] = instance.listed_codes[field.field_name]
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if value is None else field.to_representation(attribute)
        return data


class PostMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField(source="post.title")
    kind = serializers.CharField(source="post.kind")
    organisation = serializers.CharField(source="post.organisation.name")
    page = serializers.CharField(source="post.get_absolute_url")
    score = serializers.FloatField()
    covers_quantity = serializers.BooleanField(source="covers", allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class OrganisationMatchSerializer(serializers.Serializer):
    """An organisation that fits a partner search (`?of=organisations`)."""

    slug = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    type = serializers.CharField(source="organisation.type")
    country = serializers.CharField(source="organisation.country.code", allow_null=True)
    page = serializers.CharField(source="organisation.get_absolute_url")
    score = serializers.FloatField()
    roles = serializers.ListField(
        child=serializers.CharField(), help_text="The roles sought the organisation answers."
    )
    reasons = serializers.ListField(child=serializers.CharField())


class SubmitSerializer(serializers.Serializer):
    cluster = serializers.SlugRelatedField(
        slug_field="slug", queryset=Cluster.objects.all(), required=False, allow_null=True
    )
