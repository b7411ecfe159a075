"""Bookkeeping writes that must never hold up a request: on SQLite, a write that would wait
for another writer (a long import) gives up quickly instead, and the caller carries on."""

from contextlib import contextmanager

from django.db import connection

# On SQLite, how long a bookkeeping write (a token's last use, a throttle count) may wait
# for another writer before giving up.
BOOKKEEPING_LOCK_WAIT_MS = 200


@contextmanager
def short_lock_wait():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        usual = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {BOOKKEEPING_LOCK_WAIT_MS}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(usual)}")
