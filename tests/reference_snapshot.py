"""The rows `load_reference` writes, kept in memory so that a transactional test (which
starts from emptied tables) gets them back by a bulk insert instead of running the loaders
again: the loaders write through the history one record at a time, which took several
seconds per browser test.

`take` is called around the one real load of the test database; `restore` writes the same
rows (same ids) into the emptied tables. Content types are recreated with new ids when the
tables are emptied, so references to them are mapped by natural key. The database's own
triggers keep the search index's version row and change log, as they do for any write."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

# Written by database triggers while the other rows are inserted, never copied.
TRIGGER_WRITTEN = {"funding.SearchChange"}


def _models():
    tables = set(connection.introspection.table_names())
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.db_table in tables
        and model._meta.label not in TRIGGER_WRITTEN
    ]


def existing_ids() -> dict[type, set]:
    """The primary keys present before the load (migrations' and post_migrate's rows)."""
    return {model: set(model._base_manager.values_list("pk", flat=True)) for model in _models()}


def take(before: dict[type, set]) -> list[tuple[type, list[dict]]]:
    """The rows added since `before`, as column values, with content types by natural key."""
    natural = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    snapshot = []
    for model in _models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = [
            row
            for row in model._base_manager.order_by("pk").values(*fields)
            if row[model._meta.pk.attname] not in before.get(model, ())
        ]
        if not rows:
            continue
        for field in _content_type_fields(model):
            for row in rows:
                if row[field] is not None:
                    row[field] = natural[row[field]]
        snapshot.append((model, rows))
    return snapshot


def restore(snapshot: list[tuple[type, list[dict]]]) -> None:
    """Insert the rows of `snapshot` into tables emptied by a transactional test's flush.
    Foreign keys are checked at commit on SQLite and PostgreSQL, so the order of the tables
    does not matter inside the transaction."""
    content_types = {(ct.app_label, ct.model): ct.pk for ct in ContentType.objects.all()}
    with transaction.atomic():
        for model, rows in snapshot:
            ct_fields = _content_type_fields(model)
            objects = []
            for row in rows:
                values = dict(row)
                for field in ct_fields:
                    if values[field] is not None:
                        values[field] = content_types[values[field]]
                objects.append(model(**values))
            model._base_manager.bulk_create(objects, batch_size=500)
        # The rows keep their ids, which PostgreSQL's sequences did not hand out this time
        # (a flush may have reset them): move each past the highest id, as a load would.
        statements = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in snapshot])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _content_type_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is ContentType
    ]
