"""API tokens: issued hashed and shown once, used, revoked; `create_token` for automation;
`last_used_at` written at most once a minute and never at the cost of the request."""

import datetime
import io
import logging

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from clusterbridge.accounts.models import ApiToken, hash_key

pytestmark = pytest.mark.django_db


def api_with(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_tokens_are_issued_hashed_used_and_revoked(client, users):
    client.force_login(users["member"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/account/tokens/", {"name": "script"})
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=users["member"])
    assert key.startswith("cb_") and token.key_hash == hash_key(key) and key not in token.key_hash
    assert key not in client.get("/account/tokens/").content.decode()  # shown once only

    api = api_with(key)
    assert api.get("/api/v1/features/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    client.post(f"/account/tokens/{token.pk}/revoke/")
    response = api.get("/api/v1/features/")
    assert response.status_code == 401
    assert "unknown or revoked" in response.json()["detail"]


def test_someone_else_cannot_revoke_my_token(client, users):
    token, _ = ApiToken.issue(users["member"], "mine")
    client.force_login(users["editor"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_forms_need_csrf(users):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["member"], backend="django.contrib.auth.backends.ModelBackend")
    assert strict.post("/account/tokens/", {"name": "x"}).status_code == 403


# last_used_at ---------------------------------------------------------------------------------
def test_last_use_is_written_at_most_once_a_minute(users):
    token, key = ApiToken.issue(users["member"], "script")
    api = api_with(key)
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        assert api.get("/api/v1/features/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/features/").status_code == 200
        # (The API throttle's count in the cache table is another, fail-safe write.)
        token_writes = [q for q in captured.captured_queries if "apitoken" in q["sql"].lower()]
        assert not [q for q in token_writes if q["sql"].startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + datetime.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        assert api.get("/api/v1/features/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == later


def test_the_write_is_conditional_so_concurrent_requests_write_once(users):
    """Two processes that both read an old last_used_at: only the first UPDATE matches."""
    from clusterbridge.accounts.authentication import record_use

    token, _ = ApiToken.issue(users["member"], "script")
    stale_copy = ApiToken.objects.get(pk=token.pk)
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        record_use(token)
    with time_machine.travel(start + datetime.timedelta(seconds=5), tick=False):
        record_use(stale_copy)  # its copy still says "never used"
    token.refresh_from_db()
    assert token.last_used_at == start


def test_a_locked_database_never_fails_the_request(users, monkeypatch, caplog):
    token, key = ApiToken.issue(users["member"], "script")

    def locked(self, **values):
        if "last_used_at" in values:
            raise OperationalError("database is locked")
        return original(self, **values)

    from django.db.models.query import QuerySet

    original = QuerySet.update
    monkeypatch.setattr(QuerySet, "update", locked)
    with caplog.at_level(logging.WARNING, logger="clusterbridge.accounts.authentication"):
        response = api_with(key).get("/api/v1/features/")
    assert response.status_code == 200
    assert "last use not recorded (database is locked)" in caplog.text
    token.refresh_from_db()
    assert token.last_used_at is None


# create_token ---------------------------------------------------------------------------------
def test_create_token_prints_only_a_working_key(users):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_token", "bob", "--name", "nightly import", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert out.getvalue() == key + "\n" and key.startswith("cb_")
    token = ApiToken.objects.get(user=users["member"])
    assert token.name == "nightly import" and token.key_hash == hash_key(key)
    assert api_with(key).get("/api/v1/features/").status_code == 200


def test_create_token_finds_the_user_by_e_mail(users):
    out = io.StringIO()
    call_command("create_token", "erin@example.org", stdout=out)
    assert ApiToken.objects.get(user=users["editor"]).name == "command line"


def test_create_token_refuses_an_unknown_user_on_stderr(users):
    out = io.StringIO()
    with pytest.raises(CommandError, match="nobody"):
        call_command("create_token", "nobody", stdout=out)
    assert out.getvalue() == "" and not ApiToken.objects.exists()
