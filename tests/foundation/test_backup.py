"""`clusterbridge backup FILE` and `clusterbridge restore FILE`: a restored backup brings
back the records as they were (counts and a sample of records), on SQLite and PostgreSQL."""

import os
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from clusterbridge.clusters.models import Cluster
from clusterbridge.core.models import ObjectChange
from clusterbridge.funding.models import Instrument
from clusterbridge.taxonomy.models import Feature
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def can_back_up():
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        if os.environ.get("CI"):
            pytest.fail("CI: pg_dump is required for the PostgreSQL backup test.")
        pytest.skip("pg_dump is not installed")


def snapshot():
    models = {
        "instruments": Instrument.all_objects,
        "clusters": Cluster._base_manager,
        "features": Feature.objects,
        "history": ObjectChange.objects,
        "users": get_user_model().objects,
    }
    counts = {name: manager.count() for name, manager in models.items()}
    sample = list(
        Instrument.all_objects.order_by("pk", "features__code").values(
            "pk", "name", "deadline_dates", "budget_amount", "features__code", "updated_at"
        )[:40]
    )
    clusters = list(Cluster._base_manager.order_by("pk").values("pk", "name", "country")[:20])
    return counts, sample, clusters


def test_a_restored_backup_brings_back_every_record(reference_data, tmp_path, can_back_up):
    make_user("kept")
    first = Instrument.objects.order_by("pk").first()
    Instrument.objects.filter(pk=first.pk).update(name="As it was at the backup")
    before = snapshot()
    path = tmp_path / "nightly.backup"
    call_command("backup", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert path.stat().st_size > 0

    Instrument.objects.filter(pk=first.pk).update(name="Changed after the backup")
    Instrument.all_objects.exclude(pk=first.pk).filter(pk__lt=first.pk + 10).delete()
    make_user("added-later")
    assert snapshot() != before

    call_command("restore", str(path), "--noinput", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert snapshot() == before
    assert Instrument.all_objects.get(pk=first.pk).name == "As it was at the backup"
    assert not get_user_model().objects.filter(username="added-later").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(reference_data, tmp_path, can_back_up):
    stray = tmp_path / "notes.txt"
    stray.write_text("not a database")
    count = Instrument.all_objects.count()
    with pytest.raises(CommandError, match="not a"):
        call_command("restore", str(stray), "--noinput")
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--noinput")
    assert Instrument.all_objects.count() == count
