"""/api/v1/marketplace/posts/: the list with the page's FilterSet (published posts), a
post (published, or the reader's own organisation's), create and update by the
organisation's members with their tokens, submit and withdraw, and the matches."""

import threading
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
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

from clusterbridge.accounts import roles
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
from clusterbridge.organisations.models import Membership
from clusterbridge.taxonomy.models import Country, Feature, Term

# What `matches/?of=` ranks against the post.
MATCH_SIDES = ("posts", "organisations")
_writer = threading.Lock()


@contextmanager
def one_writer():
    """On SQLite, writers of this process take turns on a lock. SQLite lets one writer in
    and makes the others poll, sleeping between tries: the database may stand free while
    they sleep and one writer may lose every round for seconds (50 clients posting at once
    got "database is locked" after 20 s). Queued on a lock, the next writer starts as soon
    as the last one commits. Other processes still meet SQLite's own wait."""
    if connection.vendor != "sqlite":
        yield
        return
    with _writer:
        yield


# The relations the API shows as codes: (field, the related model in its link table).
CODES = (
    ("features", "feature"),
    ("ecosystems", "term"),
    ("sectors", "term"),
    ("countries", "country"),
)


def with_codes(posts: list[Post]) -> list[Post]:
    """Each post's related codes as `listed_codes` (in code order, as the detail's
    prefetch), one query per relation for the whole page."""
    codes = {post.pk: {name: [] for name, _ in CODES} for post in posts}
    for name, column in CODES:
        links = getattr(Post, name).through.objects.filter(
            post_id__in=list(codes), **{f"{column}__deleted_at": None}
        )
        for pk, code in links.order_by(f"{column}__code").values_list("post_id", f"{column}__code"):
            codes[pk][name].append(code)
    for post in posts:
        post.listed_codes = codes[post.pk]
    return posts


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
        if not (key and request.user.is_authenticated):
            key = ""
        elif (existing := self._created_with(key)) is not None:
            return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        # Checked before the write lock is taken; the answer is built after it is let go:
        # the write itself is all a burst of clients waits for (bench/marketplace_burst.py).
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with one_writer(), transaction.atomic():
                post = serializer.save(**({"idempotency_key": key} if key else {}))
        except (IntegrityError, DjangoValidationError):
            # Another request with the same key got there first (the database's
            # constraint, or the model's check of it).
            existing = self._created_with(key) if key else None
            if existing is None:
                raise
            return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        self.etag_object = post
        # Its codes are those just checked: no query to read them back.
        post.listed_codes = {
            name: sorted({entry.code for entry in serializer.validated_data.get(name) or []})
            for name, _ in CODES
        }
        # The serializer that checked the body shows the post (building another one costs
        # as much as the write).
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def _created_with(self, key: str) -> Post | None:
        return Post.all_objects.filter(author=self.request.user, idempotency_key=key).first()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        """The page's answer from the list's index (`PostFilterSet.listing`): the total
        without a COUNT over the filtered posts, then only the page's rows and their codes."""
        rows = Post.objects.public().select_related("organisation", "cluster")
        filterset = DjangoFilterBackend().get_filterset(request, rows, self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        page = with_codes(self.paginate_queryset(filterset.listing()))
        members_of = set()
        if roles.is_member(request.user):
            members_of = set(
                Membership.objects.filter(
                    user=request.user, status=Membership.Status.ACTIVE
                ).values_list("organisation_id", flat=True)
            )
        context = {**self.get_serializer_context(), "members_of": members_of}
        data = PostSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "of",
                str,
                enum=[*MATCH_SIDES],  # `list` is the view method here
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
