"""Transactional tests get the reference data back from an in-memory copy of the session's
load (tests/reference_snapshot.py) rather than by running the loaders again: the copy must
give the same records as the loaders do on emptied tables."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import models

from clusterbridge.funding.models import SearchChange, SearchVersion
from clusterbridge.marketplace.models import PostsVersion
from clusterbridge.taxonomy.models import Feature
from tests import reference_snapshot
from tests.conftest import REFERENCE_ROWS

pytestmark = pytest.mark.django_db(transaction=True)

# Ids differ between two loads; the time and request id of a load are not reference data.
SKIPPED = (
    models.AutoField,
    models.BigAutoField,
    models.ForeignKey,
    models.DateTimeField,
    models.UUIDField,  # the request id of the load
)


def contents() -> dict[str, Counter]:
    """Every table's rows without ids, foreign keys, generic ids and times."""
    tables = {}
    for model in reference_snapshot._models():
        if model in (SearchVersion, PostsVersion):  # random tokens, compared below
            continue
        kept = [
            f.attname
            for f in model._meta.concrete_fields
            if not isinstance(f, SKIPPED) and f.name != "object_id"
        ]
        if kept:
            rows = Counter(tuple(map(repr, r)) for r in model._base_manager.values_list(*kept))
        else:  # links between two records (ids only): their number
            rows = Counter({(): model._base_manager.count()}) - Counter()
        if rows:
            tables[model._meta.label] = rows
    return tables


def empty_tables(reset_sequences: bool):
    """As after a transactional test (post_migrate handlers run again); with
    `reset_sequences`, as the new test database the session's load ran on (same ids)."""
    call_command(
        "flush",
        interactive=False,
        reset_sequences=reset_sequences,
        verbosity=0,
        stdout=io.StringIO(),
    )
    assert not Feature.objects.exists()


def test_the_copy_of_the_reference_data_is_what_the_loaders_write():
    empty_tables(reset_sequences=True)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    loaded = contents()

    empty_tables(reset_sequences=False)
    token = SearchVersion.objects.get().token
    reference_snapshot.restore(REFERENCE_ROWS)

    assert contents().keys() == loaded.keys()
    assert contents() == loaded
    # The copy's instruments were written as any others: the search index sees the change.
    assert SearchChange.objects.exists()
    assert SearchVersion.objects.get().token != token
