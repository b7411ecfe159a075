"""Settings come only from the environment and fail loudly on bad values."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from clusterbridge.env import env_bool, env_int, env_list, env_str

LONG_KEY = "k" * 60


def test_env_bool_accepts_common_words(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_a_typo(monkeypatch):
    monkeypatch.setenv("FLAG", "treu")
    with pytest.raises(ImproperlyConfigured, match="FLAG='treu' is not a boolean"):
        env_bool("FLAG")


def test_env_int_rejects_text_and_small_values(monkeypatch):
    monkeypatch.setenv("NUMBER", "five")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("NUMBER", 1)
    monkeypatch.setenv("NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("NUMBER", 1, minimum=1)


def test_env_str_required_and_env_list(monkeypatch):
    monkeypatch.delenv("MISSING", raising=False)
    with pytest.raises(ImproperlyConfigured, match="MISSING must be set"):
        env_str("MISSING", required=True)
    monkeypatch.setenv("HOSTS", " a.org, b.org ,")
    assert env_list("HOSTS", []) == ["a.org", "b.org"]
    monkeypatch.setenv("HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured):
        env_list("HOSTS", [])


def _run(args, env_overrides, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "HTTPS",
            "EMAIL_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        {"CLUSTERBRIDGE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "clusterbridge.settings"}
    )
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "clusterbridge", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DATABASE_URL": "postgres://cb@db.example.org/clusterbridge",
    "SECRET_KEY": LONG_KEY + "-production-x9",
    "ALLOWED_HOSTS": "clusterbridge.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587/?tls=True",
}


def test_production_requires_a_secret_key(tmp_path):
    env = dict(PRODUCTION)
    del env["SECRET_KEY"]
    result = _run(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_debug_value_stops_start_up(tmp_path):
    result = _run(["check"], {"DEBUG": "maybe"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_embedded_default_generates_and_keeps_a_secret_key(tmp_path):
    first = _run(["check"], {}, tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    _run(["check"], {}, tmp_path)
    assert (tmp_path / "secret_key").read_text() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_runs_in_wal_mode(db, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The in-memory test database cannot use WAL; the configured init command is what we check.
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
    assert mode in {"wal", "memory"}
