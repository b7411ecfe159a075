"""export_records and import_records: the spreadsheet round trip from the command line."""

import pytest
from django.core.management import CommandError, call_command

from clusterbridge.funding.models import StrategicDocument

pytestmark = pytest.mark.django_db


def test_export_then_import_from_the_command_line(tmp_path, users, capsys):
    path = tmp_path / "strategies.xlsx"
    call_command("export_records", "strategic-documents", str(path), "--user", "erin")
    names = sorted(StrategicDocument.objects.values_list("name", flat=True))
    document = StrategicDocument.objects.order_by("pk").first()
    original = document.issuer
    document.issuer = "changed"
    document.save()

    call_command("import_records", "strategic-documents", str(path), "--user", "erin")

    document.refresh_from_db()
    assert document.issuer == original
    assert sorted(StrategicDocument.objects.values_list("name", flat=True)) == names
    assert "1 updated" in capsys.readouterr().out


def test_import_records_lists_every_problem_and_writes_nothing(tmp_path, users, capsys):
    path = tmp_path / "strategies.csv"
    path.write_text("name,country,priorities\nOne,FI,P12\nTwo,Atlantis,Q1\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_records", "strategic-documents", str(path), "--user", "erin")
    out = capsys.readouterr().out
    assert "row 3, column country" in out and "row 3, column priorities" in out
    assert not StrategicDocument.objects.filter(name="One").exists()


def test_import_records_applies_the_users_permissions(tmp_path, users):
    path = tmp_path / "strategies.csv"
    path.write_text("name\nThree\n")
    with pytest.raises(CommandError, match="may not import strategic documents"):
        call_command("import_records", "strategic-documents", str(path), "--user", "bob")
    with pytest.raises(CommandError, match="no active user"):
        call_command("import_records", "strategic-documents", str(path), "--user", "nobody")
    assert not StrategicDocument.objects.filter(name="Three").exists()
