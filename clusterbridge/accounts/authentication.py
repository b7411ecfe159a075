import logging
from datetime import timedelta

from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from clusterbridge.accounts.locks import short_lock_wait
from clusterbridge.accounts.models import ApiToken, hash_key

logger = logging.getLogger(__name__)

# `last_used_at` says roughly when a token was last used; writing it on every request
# would make every token-authenticated read a write (and on SQLite wait behind any long
# import). So: at most once a minute per token, and never at the cost of the request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def record_use(token: ApiToken) -> None:
    now = timezone.now()
    stale = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at >= stale:
        return
    try:
        # A savepoint, so that a failure cannot spoil a transaction the request is in.
        with short_lock_wait(), transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
            ).update(last_used_at=now)
    except OperationalError as error:
        logger.warning("API token %s: last use not recorded (%s)", token.prefix, error)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` (or `Bearer <key>`) with a personal API token."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token as: Authorization: Token <key>.")
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_key(header[1]))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The API token is unknown or revoked.")
        record_use(token)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "clusterbridge.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Personal API token, sent as `Token <key>`. Issue one on /account/tokens/."
            ),
        }
