"""Emptying the database after a transactional test, on PostgreSQL by DELETE instead of
Django's TRUNCATE. TRUNCATE gives every table, index and TOAST table a new file, about a
hundred of them per test: it took 12–20 s per transactional test on a busy machine, DELETE
of the few rows a test wrote well under a second. Foreign keys are checked at commit, so
the order of the tables does not matter. The rest is as Django's flush: the same tables,
sequences kept, post_migrate run again (content types, permissions, version rows)."""

from django.core.management.sql import emit_post_migrate_signal
from django.db import connections
from django.test import TransactionTestCase

_django_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown(self):
    names = list(self._databases_names(include_mirrors=False))
    if (
        self.available_apps is not None
        or self.serialized_rollback
        or any(connections[name].vendor != "postgresql" for name in names)
    ):
        return _django_teardown(self)  # SQLite's flush deletes already
    for name in names:
        connection = connections[name]
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        quote = connection.ops.quote_name
        connection.ops.execute_sql_flush([f"DELETE FROM {quote(table)}" for table in tables])
        emit_post_migrate_signal(0, False, name)


def install(monkeypatch) -> None:
    monkeypatch.setattr(TransactionTestCase, "_fixture_teardown", _fixture_teardown)
