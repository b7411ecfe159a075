"""The API's throttles (settings.REST_FRAMEWORK): DRF's anonymous and per-account rates,
counted in the shared cache. Counting is bookkeeping: with the database cache it is a small
write, which on SQLite waits at most a moment for another writer (a long import) and, if
it cannot be done, lets the request through rather than fail it."""

import logging

from django.db import DatabaseError
from rest_framework import throttling

from clusterbridge.accounts.locks import short_lock_wait

logger = logging.getLogger(__name__)


class _NeverFails:
    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except DatabaseError as error:
            logger.warning("API throttle not read (%s): request let through", error)
            return True

    def throttle_success(self):
        # Only the count's write may wait for a writer; reading it never does (WAL).
        try:
            with short_lock_wait():
                return super().throttle_success()
        except DatabaseError as error:
            logger.warning("API throttle not counted (%s): request let through", error)
            return True


class AnonRateThrottle(_NeverFails, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_NeverFails, throttling.UserRateThrottle):
    """Per account; anonymous requests are counted once, by the anonymous throttle."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
