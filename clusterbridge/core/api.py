"""API conventions shared by every app: pagination, JSON errors that say what was wrong, and
writes through the models' services with versions (ETag / If-Match)."""

import logging
import re

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, pagination, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from clusterbridge.accounts.roles import is_editor
from clusterbridge.core.services import Conflict, WriteResult, service_for

logger = logging.getLogger(__name__)


class Pagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The record was changed since you read it: read it again (GET), then retry."
    default_code = "precondition_failed"


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        response = drf_exception_handler(PreconditionFailed(str(exc)), context)
        response.data.update(current_version=exc.current, your_version=exc.expected)
        response["ETag"] = etag(exc.obj)
        return response
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, IntegrityError):
        # Validation runs before every write; this is a race with another writer.
        logger.warning("Write refused by the database: %s", exc)
        exc = exceptions.APIException("Another write got there first: read the record again.")
        exc.status_code = 409
    return drf_exception_handler(exc, context)


# Versions: ETag and If-Match -----------------------------------------------------------------
def etag(obj) -> str:
    """The record's version as a strong entity tag: "7"."""
    return f'"{obj.version}"'


def if_match_version(request, obj) -> int | None:
    """The version an `If-Match` header allows writing over (None when there is no header,
    or `*`). A header naming only other versions fails the precondition (412)."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        return None
    versions = set()
    for tag in header.split(","):
        tag = tag.strip()
        # If-Match compares strongly: a weak tag (W/"7") never matches (RFC 9110 §13.1.1).
        if len(tag) > 2 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit():
            versions.add(int(tag[1:-1]))
    if obj.version in versions:
        return obj.version
    raise Conflict(obj, min(versions) if versions else 0)


class VersionedMixin:
    """For viewsets of versioned records: detail responses carry `ETag` (the version), and
    PUT, PATCH and DELETE honour `If-Match` (412 when the record changed meanwhile). The
    version is checked again under lock by the service, so a race answers 412 too."""

    etag_object = None

    def get_object(self):
        obj = super().get_object()
        self.etag_object = obj
        return obj

    def perform_update(self, serializer):
        serializer.save(**{VERSION_KEY: if_match_version(self.request, serializer.instance)})

    def perform_create(self, serializer):
        self.etag_object = serializer.save()

    def perform_destroy(self, instance):
        service_for(instance).delete(
            instance, self.request.user, version=if_match_version(self.request, instance)
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = self.etag_object
        if obj is not None and 200 <= response.status_code < 300 and response.status_code != 204:
            response["ETag"] = etag(obj)
        return response


# A key no model field has: how `perform_update` hands the If-Match version to the serializer.
VERSION_KEY = "__if_match_version"


class EditorOnlyFieldsMixin:
    """Fields named in `Meta.editor_only_fields` (editorial notes…) are in the answer only
    for editors; everyone else gets the record without them. The schema documents them as
    optional (not required)."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        hidden = getattr(self.Meta, "editor_only_fields", ())
        request = self.context.get("request")
        if hidden and not (request is not None and is_editor(request.user)):
            for name in hidden:
                data.pop(name, None)
        return data


def sometimes_absent_fields(serializer) -> set[str]:
    """The fields a serializer's answer may leave out (not `required` in the schema):
    `Meta.editor_only_fields` and `Meta.optional_fields`."""
    meta = getattr(serializer, "Meta", None)
    return set(getattr(meta, "editor_only_fields", ())) | set(getattr(meta, "optional_fields", ()))


# RFC 3339 (what the schema's "date-time" means): a date, "T", a time and an offset "Z" or
# "+01:00". DRF alone also takes "+0100", no offset or a space, which the schema does not say.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


class RFC3339DateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "invalid": "Give a date and time as RFC 3339, e.g. 2025-11-12T09:30:00+01:00 "
        "or 2025-11-12T08:30:00Z.",
    }

    def to_internal_value(self, value):
        if not isinstance(value, str) or not RFC3339.fullmatch(value.strip()):
            self.fail("invalid")
        return super().to_internal_value(value.strip())


class ServiceSerializer(EditorOnlyFieldsMixin, serializers.ModelSerializer):
    """A ModelSerializer that writes through the model's service: the validated data are the
    values (only the fields sent, for PATCH), so the API validates, checks permissions and
    records history exactly as the pages do. `write_result` keeps what the service did."""

    write_result: WriteResult | None = None
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: RFC3339DateTimeField,
    }

    def create(self, validated_data):
        service = service_for(self.Meta.model)
        self.write_result = service.create(self.context["request"].user, validated_data)
        return self.write_result.obj

    def update(self, instance, validated_data):
        version = validated_data.pop(VERSION_KEY, None)
        service = service_for(self.Meta.model)
        self.write_result = service.update(
            instance, self.context["request"].user, validated_data, version=version
        )
        return instance


ERROR_BODY = inline_serializer(
    "PreconditionFailed",
    {
        "detail": serializers.CharField(),
        "current_version": serializers.IntegerField(),
        "your_version": serializers.IntegerField(),
    },
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ETag (version) you read, e.g. "7": the write is refused with 412 when '
    "the record has changed since. Without it the write applies the fields sent.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='The record\'s version, e.g. "7"; send it back as If-Match.',
)
STALE = OpenApiResponse(ERROR_BODY, description="If-Match names an older version.")


def versioned_schema(serializer_class, *, writes=("update", "partial_update", "destroy")):
    """The OpenAPI part of the version contract for a viewset's detail operations."""
    operations = {"retrieve": extend_schema(parameters=[ETAG])}
    for name in writes:
        success = {204: None} if name == "destroy" else {200: serializer_class}
        operations[name] = extend_schema(
            parameters=[IF_MATCH, ETAG], responses={**success, 412: STALE}
        )
    return operations
