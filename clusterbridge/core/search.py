"""Full-text search shared by every searchable list: SQLite FTS5 when embedded, PostgreSQL
full-text search in production. Same semantics on both: every word of the query must occur
as a word prefix (accents ignored), results ranked by relevance (higher `search_rank` first).

A searchable model has a `search_text` TextField that it fills itself on save (already
accent-folded with `fold`). Its migration calls `fulltext_operation(table)` to create the
FTS5 table and triggers (SQLite) or a stored `search_vector` column generated from
`search_text` with a GIN index (PostgreSQL; the column is not a model field).
"""

import re
import unicodedata

from django.db import connection, migrations
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)
MAX_TERMS = 8


def fold(text: str) -> str:
    """Lowercase, without accents: 'Košice Łódź' → 'kosice lodz'."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_SPECIAL))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def terms(query: str) -> list[str]:
    return _WORD.findall(fold(query))[:MAX_TERMS]


def build_search_text(*parts) -> str:
    return fold(" ".join(str(p) for p in parts if p))


def search(queryset: QuerySet, query: str) -> QuerySet:
    """Filter to records matching every word of `query`, annotated with `search_rank`."""
    words = terms(query)
    if not words:
        return queryset.annotate(search_rank=RawSQL("0", [], output_field=FloatField()))
    table = queryset.model._meta.db_table
    if connection.vendor == "sqlite":
        fts = f"{table}_fts"
        match = " ".join(f'"{w}"*' for w in words)
        return queryset.extra(
            tables=[fts],
            where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
            params=[match],
            select={"search_rank": f"-{fts}.rank"},
        )
    tsquery = " & ".join(f"{w}:*" for w in words)
    vector = f"{table}.search_vector"
    return queryset.filter(
        RawSQL(f"{vector} @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField())
    ).annotate(
        search_rank=RawSQL(
            f"ts_rank({vector}, to_tsquery('simple', %s))", [tsquery], output_field=FloatField()
        )
    )


def search_filter(queryset: QuerySet, query: str) -> QuerySet:
    """Filter to records matching every word of `query`, without ranking.

    The condition is a self-contained `pk IN (subquery)`, so the result counts fast (SQLite
    may otherwise drive a COUNT over the full-text join from another index and run the match
    once per row) and nests in further subqueries, e.g. facet counts.
    """
    words = terms(query)
    if not words:
        return queryset
    table = queryset.model._meta.db_table
    if connection.vendor == "sqlite":
        match = " ".join(f'"{w}"*' for w in words)
        sql = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"
    else:
        match = " & ".join(f"{w}:*" for w in words)
        sql = f"SELECT id FROM {table} WHERE search_vector @@ to_tsquery('simple', %s)"
    return queryset.filter(pk__in=RawSQL(sql, [match]))


def search_ranks(model, query: str) -> list[tuple[int, float]]:
    """(id, `search_rank`) of every record of `model` matching every word of `query` (the
    same match and the same rank as `search`), read from the text index alone: for lists
    that filter and sort in memory. Empty when the query has no word."""
    words = terms(query)
    if not words:
        return []
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        match = " ".join(f'"{w}"*' for w in words)
        sql = f"SELECT rowid, -rank FROM {table}_fts WHERE {table}_fts MATCH %s"
        params = [match]
    else:
        tsquery = " & ".join(f"{w}:*" for w in words)
        sql = (
            f"SELECT id, ts_rank(search_vector, to_tsquery('simple', %s)) FROM {table} "
            "WHERE search_vector @@ to_tsquery('simple', %s)"
        )
        params = [tsquery, tsquery]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sqlite_sql(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_text, content='{table}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {table}_fts_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_fts_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_fts_au AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _postgres_sql(table: str) -> list[str]:
    # A stored generated column: the vector is computed once per write, not per query, and
    # ranking reads it instead of re-parsing every matching row's text.
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple', coalesce(search_text, ''))) STORED",
        f"CREATE INDEX IF NOT EXISTS {table}_fts_idx ON {table} USING GIN (search_vector)",
    ]


def fulltext_operation(table: str) -> migrations.RunPython:
    def forwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = _sqlite_sql(table) if vendor == "sqlite" else _postgres_sql(table)
        for statement in statements:
            schema_editor.execute(statement)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")
        else:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_fts_idx")
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")

    return migrations.RunPython(forwards, backwards)


def ensure_fulltext(using: str = "default", **kwargs) -> None:
    """Recreate missing SQLite full-text triggers (run after every migrate).

    SQLite cannot alter a column in place: Django rebuilds the table for many schema changes,
    and the rebuild drops its triggers, so a later migration of a searchable model would
    silently stop the index from following the table. PostgreSQL keeps its generated column.
    """
    from django.apps import apps
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if table not in tables or not any(f.name == "search_text" for f in model._meta.fields):
                continue
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [f"{table}_fts_ai"],
            )
            if cursor.fetchone()[0] == 0:
                for statement in _sqlite_sql(table):
                    cursor.execute(statement)
