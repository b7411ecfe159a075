"""API throttles count in the shared cache (the database by default, Redis when CACHE_URL
says so): a second server process sees the requests the first one counted."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tests.foundation.test_settings import _run

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch):
    # DRF reads the rates when its throttles are imported: the test sets them on the classes.
    rates = {"anon": "3/min", "user": "4/min"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)


def another_process():
    """Forget everything this process holds of the cache (its connection, any local
    state), as a second gunicorn worker would have none of it."""
    del caches["default"]


def test_every_api_view_is_throttled_by_default():
    classes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert classes == [
        "clusterbridge.core.throttling.AnonRateThrottle",
        "clusterbridge.core.throttling.UserRateThrottle",
    ]
    assert not isinstance(caches["default"], LocMemCache)


def test_anonymous_requests_are_counted_across_processes(client, low_rates):
    for _ in range(3):
        assert client.get("/api/v1/features/").status_code == 200
        another_process()
    refused = client.get("/api/v1/features/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Request was throttled" in refused.json()["detail"]


def test_token_requests_are_counted_per_user_across_processes(api_client_for, low_rates):
    erin = api_client_for("editor")
    for _ in range(4):
        assert erin.get("/api/v1/features/").status_code == 200
        another_process()
    assert erin.get("/api/v1/features/").status_code == 429
    assert api_client_for("member").get("/api/v1/features/").status_code == 200


def test_a_malformed_rate_stops_start_up(tmp_path):
    result = _run(["check"], {"API_THROTTLE_ANON": "lots"}, tmp_path)
    assert result.returncode != 0
    assert "API_THROTTLE_ANON must be a rate such as 300/min" in result.stderr


def test_a_throttle_that_cannot_count_lets_the_request_through(client, low_rates, monkeypatch):
    """With the database cache on SQLite a long import may hold the write lock: the count
    is skipped (after a short wait), never the request."""
    from django.db import OperationalError

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(caches["default"].__class__, "set", locked)
    for _ in range(5):
        assert client.get("/api/v1/features/").status_code == 200
