"""Backups of the whole database into one file, and their restore.

SQLite: through SQLite's online backup API, page by page, which gives a consistent copy
while the server goes on reading and writing. PostgreSQL: `pg_dump` in its custom format
and `pg_restore`, when those programs are installed. A restore replaces every table of the
database by the file's."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """What went wrong, in words for the person at the command line."""


def vendor(using: str = "default") -> str:
    return connections[using].vendor


def backup(path: Path, using: str = "default") -> Path:
    """Write a backup of the database to `path` (replaced if it exists)."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the name of the backup file.")
    path.parent.mkdir(parents=True, exist_ok=True)
    kind = vendor(using)
    if kind == "sqlite":
        _sqlite_copy(_raw_sqlite(using), path)
    elif kind == "postgresql":
        _run_pg(
            "pg_dump",
            ["--format=custom", "--no-owner", "--no-privileges", "--file", str(path)],
            using,
        )
    else:
        raise BackupError(f"Backups of a {kind} database are not supported.")
    return path


def restore(path: Path, using: str = "default") -> None:
    """Replace the database's content by the backup in `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    kind = vendor(using)
    if kind == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not a backup of an SQLite database.")
        source = sqlite3.connect(str(path))
        try:
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
            if "django_migrations" not in tables:
                raise BackupError(f"{path} is an SQLite database, but not a ClusterBridge one.")
            target = _raw_sqlite(using)
            source.backup(target)
        finally:
            source.close()
    elif kind == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(
                f"{path} is not a PostgreSQL backup made by `clusterbridge backup` (pg_dump's "
                "custom format)."
            )
        connections[using].close()  # no session of ours holds a lock on a table to replace
        _run_pg(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
            using,
        )
    else:
        raise BackupError(f"Restoring a {kind} database is not supported.")
    connections[using].close()


def _raw_sqlite(using: str) -> sqlite3.Connection:
    connection = connections[using]
    connection.ensure_connection()
    return connection.connection


def _sqlite_copy(source: sqlite3.Connection, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(str(partial))
    try:
        # Pages are copied in steps, so writers of the running site are kept waiting only
        # for a step at a time.
        source.backup(target, pages=1024)
    finally:
        target.close()
    os.replace(partial, path)


def _run_pg(program: str, arguments: list[str], using: str) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not installed: install PostgreSQL's client programs (on Debian, "
            "apt-get install postgresql-client) of the server's major version."
        )
    settings = connections[using].settings_dict
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    result = subprocess.run(  # noqa: S603 — fixed program, arguments from settings
        [executable, f"--dbname={settings['NAME']}", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip() or result.returncode}")
