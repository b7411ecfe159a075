"""Failed sign-ins, counted so that nobody can lock someone else out.

Two counters, both kept in the shared cache by allauth's rate limiter (so they hold across
server processes), over a sliding window of LOGIN_LOCKOUT_MINUTES:

- per (person, address): LOGIN_FAILURE_LIMIT failures lock that person from that address
  only. The person is the account the typed user name or e-mail address belongs to, so
  "alice" and "alice@example.org" count as one; a name with no account counts as itself.
  A successful sign-in clears the pair.
- per address: LOGIN_ADDRESS_FAILURE_LIMIT failures, whatever the names, lock the address
  for everyone (password spraying). Successes neither count nor clear it.

Settings: ACCOUNT_RATE_LIMITS["clusterbridge_login_pair" / "clusterbridge_login_address"].
"""

from collections.abc import Mapping
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.utils import filter_users_by_email, filter_users_by_username
from allauth.core import ratelimit
from django.http import HttpRequest

PAIR = "clusterbridge_login_pair"
ADDRESS = "clusterbridge_login_address"


def person(credentials: Mapping[str, Any]) -> str:
    """Who a sign-in attempt is about: the account's id when the login names exactly one
    account (by e-mail address or user name), else the login text itself."""
    login = str(credentials.get("email") or credentials.get("username") or "").strip()
    if "@" in login:
        users = filter_users_by_email(login)
        if len(users) != 1:
            users = list(filter_users_by_username(login)[:2])
    else:
        users = list(filter_users_by_username(login)[:2])
    if len(users) == 1:
        return f"user:{users[0].pk}"
    return f"login:{login.lower()}"


def _pair_key(request: HttpRequest, credentials: Mapping[str, Any]) -> str:
    # One lookup per attempt, whichever of check / failure / success asks first.
    cache = request.__dict__.setdefault("_clusterbridge_login_pairs", {})
    marker = (credentials.get("email"), credentials.get("username"))
    if marker not in cache:
        address = get_adapter().get_client_ip(request)
        cache[marker] = f"{person(credentials)}|{address}"
    return cache[marker]


def is_locked(request: HttpRequest, credentials: Mapping[str, Any]) -> bool:
    return not (
        ratelimit.consume(request, action=ADDRESS, dry_run=True)
        and ratelimit.consume(
            request, action=PAIR, key=_pair_key(request, credentials), dry_run=True
        )
    )


def record_failure(request: HttpRequest, credentials: Mapping[str, Any]) -> None:
    ratelimit.consume(request, action=ADDRESS)
    ratelimit.consume(request, action=PAIR, key=_pair_key(request, credentials))


def record_success(request: HttpRequest, credentials: Mapping[str, Any]) -> None:
    ratelimit.clear(request, action=PAIR, key=_pair_key(request, credentials))
