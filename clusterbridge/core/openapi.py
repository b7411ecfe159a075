"""The API's OpenAPI conventions (the `DEFAULT_SCHEMA_CLASS`), apart from `core.api` because
drf-spectacular's AutoSchema imports DRF's generic views, which import `core.api`'s
pagination."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from drf_spectacular.openapi import AutoSchema
from rest_framework.request import Request

from clusterbridge.core.api import sometimes_absent_fields

# The schema convention ---------------------------------------------------------------------
# Every error answer is JSON: {"detail": "..."} or, for invalid input, the fields with their
# messages. Which of them an operation can give follows from what it takes and who may call it.
ERROR_SCHEMA = {
    "type": "object",
    "description": '{"detail": "what was wrong"}, or each field sent with its messages.',
    "additionalProperties": True,
}
ERROR_STATUSES = {
    "400": "The request is invalid: a parameter or field is wrong (the body says which).",
    "401": "The credentials sent (an API token or a session) are unknown or revoked.",
    "403": "You may not do this (sign in, or ask for the role it needs).",
    "404": "No such record (or page of results).",
    "429": "Too many requests: wait for the time given in Retry-After.",
}


class ApiSchema(AutoSchema):
    """The project's OpenAPI conventions, in one place:
    - fields a response may leave out (editor-only fields, a search rank given only when
      searching) are not required;
    - every operation documents the errors it can answer (400, 401, 403, 404, 429) with
      the JSON error body;
    - an operation an anonymous visitor may call is marked as needing no authentication
      (an empty security requirement), whichever permission class says so."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_STATUSES.items():
            responses.setdefault(
                code,
                {
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    "description": description,
                },
            )
        return responses

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        absent = sometimes_absent_fields(serializer)
        if direction == "response" and absent and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in absent]
            if not schema["required"]:
                del schema["required"]
        return schema

    def get_auth(self):
        auths = super().get_auth()
        if {} not in auths and self._open_to_anonymous():
            auths.append({})
        return auths

    def _open_to_anonymous(self) -> bool:
        http_request = HttpRequest()
        http_request.method = self.method
        request = Request(http_request)
        request.user = AnonymousUser()
        try:
            return all(p.has_permission(request, self.view) for p in self.view.get_permissions())
        except Exception:  # a permission that needs more of a request than there is here
            return False
