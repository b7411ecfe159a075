"""/api/v1/marketplace/posts/: the list with the page's FilterSet (published posts), a
post (published, or the reader's own organisation's), create and update by the
organisation's members with their tokens, submit and withdraw, and the matches."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from clusterbridge.core.api import VersionedMixin, versioned_schema
from clusterbridge.marketplace import matching, partners, services
from clusterbridge.marketplace.api.serializers import (
    OrganisationMatchSerializer,
    PostMatchSerializer,
    PostSerializer,
    SubmitSerializer,
)
from clusterbridge.marketplace.filtersets import PostFilterSet
from clusterbridge.marketplace.models import Post
from clusterbridge.taxonomy.models import Country, Feature, Term

# What `matches/?of=` ranks against the post.
MATCH_SIDES = ("posts", "organisations")


@extend_schema_view(**versioned_schema(PostSerializer, writes=("update", "partial_update")))
class PostViewSet(
    VersionedMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Marketplace posts: offers, needs and partner searches. The list takes the page's
    filters (q, kind, feature, ecosystem, sector, country, cluster, urgency, disruption,
    funding_call, ordering) and shows published posts only. A verified member of an
    organisation creates a draft for it; its members PATCH it while it is a draft or sent
    back, and `submit/` sends it for validation."""

    serializer_class = PostSerializer
    filterset_class = PostFilterSet
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        base = Post.objects.public() if self.action == "list" else Post.objects.all()
        if self.action != "list":
            base = base.visible_to(self.request.user)
        return base.select_related("organisation", "cluster").prefetch_related(
            Prefetch("features", queryset=Feature.objects.only("code").order_by("code")),
            Prefetch("ecosystems", queryset=Term.objects.only("code").order_by("code")),
            Prefetch("sectors", queryset=Term.objects.only("code").order_by("code")),
            Prefetch("countries", queryset=Country.objects.only("code").order_by("code")),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Any unique text (≤ 100 characters) per post you create: a "
                "repeated request with the same key returns the post already created "
                "(200) instead of a second one.",
            )
        ]
    )
    def create(self, request, *args, **kwargs):
        key = (request.headers.get("Idempotency-Key") or "").strip()[:100]
        if key and request.user.is_authenticated:
            existing = self._created_with(key)
            if existing is not None:
                return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
            try:
                with transaction.atomic():
                    return self._create(request, key)
            except (IntegrityError, DjangoValidationError):
                # Another request with the same key got there first (the database's
                # constraint, or the model's check of it).
                existing = self._created_with(key)
                if existing is None:
                    raise
                return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        return self._create(request, None)

    def _created_with(self, key: str) -> Post | None:
        return Post.all_objects.filter(author=self.request.user, idempotency_key=key).first()

    def _create(self, request, key: str | None):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = serializer.save(**({"idempotency_key": key} if key else {}))
        self.etag_object = post
        return Response(self.get_serializer(post).data, status=status.HTTP_201_CREATED)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "of",
                str,
                enum=list(MATCH_SIDES),
                description="posts (default): the published posts of the other side; "
                "organisations: for a partner search, the organisations that fit the roles "
                "sought (an empty list for offers and needs).",
            )
        ],
        responses={
            200: PolymorphicProxySerializer(
                component_name="PostMatches",
                serializers=[PostMatchSerializer, OrganisationMatchSerializer],
                resource_type_field_name=None,
                many=True,
            )
        },
        description="What fits this post, best first, each with its score (0–1) and "
        "reasons: the published posts of the other side, or with `?of=organisations` the "
        "organisations that fit a partner search.",
    )
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        post = self.get_object()
        side = request.query_params.get("of") or "posts"
        if side not in MATCH_SIDES:
            raise ValidationError({"of": [f"Choose {' or '.join(MATCH_SIDES)}."]})
        if side == "organisations":
            found = partners.for_post(post, limit=50)
            return Response(OrganisationMatchSerializer(found, many=True).data)
        return Response(PostMatchSerializer(matching.matches_for(post, limit=50), many=True).data)

    @extend_schema(
        request=SubmitSerializer,
        responses={200: PostSerializer},
        description="Send a draft (or a post sent back) for validation: to the chosen "
        "cluster, the organisation's only cluster, or the moderators.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        post = self.get_object()
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.submit(post, request.user, cluster=data.validated_data.get("cluster"))
        self.etag_object = post
        return Response(PostSerializer(post, context={"request": request}).data)

    @extend_schema(request=None, responses={200: PostSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        post = services.withdraw(self.get_object(), request.user)
        self.etag_object = post
        return Response(PostSerializer(post, context={"request": request}).data)
