"""Sign-in lock-out: per (person, address) pair, plus a per-address ceiling for spraying.
Nobody can lock someone else's account from their own address."""

import pytest

from tests.accounts.conftest import post_login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

IP1, IP2 = "10.0.0.1", "10.0.0.2"


def fail(client, login, ip, times):
    for _ in range(times):
        assert post_login(client, login, "wrong", ip).status_code == 200


def test_locking_a_pair_does_not_lock_the_person_elsewhere_nor_others_here(
    client, users, small_lockout
):
    fail(client, "alice", IP1, 3)
    locked = post_login(client, "alice", PASSWORD, IP1)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert post_login(client, "bob", PASSWORD, IP1).status_code == 302  # (bob, ip1)
    client.post("/account/logout/")
    assert post_login(client, "alice", PASSWORD, IP2).status_code == 302  # (alice, ip2)


def test_user_name_and_e_mail_address_count_as_one_person(client, users, small_lockout):
    fail(client, "bob", IP1, 2)
    fail(client, "BOB@example.org", IP1, 1)
    assert post_login(client, "bob@example.org", PASSWORD, IP1).status_code == 429
    assert post_login(client, "bob", PASSWORD, IP1).status_code == 429


def test_a_success_clears_the_pair(client, users, small_lockout):
    fail(client, "bob", IP1, 2)
    assert post_login(client, "bob", PASSWORD, IP1).status_code == 302
    client.post("/account/logout/")
    fail(client, "bob", IP1, 2)  # would be 4 failures without the reset
    assert post_login(client, "bob", PASSWORD, IP1).status_code == 302


def test_the_address_ceiling_locks_the_address_for_everyone(client, users, small_lockout):
    # Spraying: a few tries at many names, never reaching one pair's limit.
    for name in ("ann", "ben", "cid", "dan"):
        fail(client, name, IP1, 2)
    assert post_login(client, "erin", PASSWORD, IP1).status_code == 429
    assert post_login(client, "bob", PASSWORD, IP1).status_code == 429
    assert post_login(client, "erin", PASSWORD, IP2).status_code == 302


def test_successes_do_not_count_towards_the_address_ceiling(client, users, small_lockout):
    for _ in range(10):
        assert post_login(client, "bob", PASSWORD, IP1).status_code == 302
        client.post("/account/logout/")
    assert post_login(client, "bob", PASSWORD, IP1).status_code == 302


def test_the_lockout_is_kept_in_the_shared_cache(client, users, small_lockout):
    """Another server process sees the same lock: the counters live in settings.CACHES,
    not in the process. Forgetting the cache forgets the lock."""
    from django.core.cache import cache

    fail(client, "alice", IP1, 3)
    assert post_login(client, "alice", PASSWORD, IP1).status_code == 429
    cache.clear()
    assert post_login(client, "alice", PASSWORD, IP1).status_code == 302


def test_limits_come_from_the_settings(settings):
    window = f"{settings.LOGIN_LOCKOUT_MINUTES * 60}s"
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["clusterbridge_login_pair"] == f"{settings.LOGIN_FAILURE_LIMIT}/{window}/key"
    assert limits["clusterbridge_login_address"] == (
        f"{settings.LOGIN_ADDRESS_FAILURE_LIMIT}/{window}/ip"
    )
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT > settings.LOGIN_FAILURE_LIMIT
