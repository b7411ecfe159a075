"""Import of Eurostat files: both formats, flags kept, confidential and missing never zero,
row errors with line and column, all or nothing, dry run, the command and the editors' page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from clusterbridge.analytics import eurostat, services
from clusterbridge.analytics.models import RegionalDataset, RegionalValue
from clusterbridge.core.models import ObjectChange
from tests.analytics.conftest import FIXTURES, fixture_bytes

pytestmark = pytest.mark.django_db


def test_the_tsv_is_read_with_its_flags_and_without_inventing_zeros(imported):
    dataset = RegionalDataset.objects.get(code="sbs_r_nuts06_r2")
    assert dataset.periods == [2020, 2021]
    assert dataset.series == ["freq=A,indic_sb=V16110"]
    assert dataset.confidential == 2 and dataset.missing == 2
    conf = RegionalValue.objects.get(geo="AT12", industry="C26", period=2021)
    assert conf.value is None and conf.flags == "c"
    est = RegionalValue.objects.get(geo="AT11", industry="C10", period=2020)
    assert est.value == 98 and est.flags == "e"
    missing = RegionalValue.objects.get(geo="BE10", industry="C30", period=2021)
    assert missing.value is None and missing.flags == ""
    zero = RegionalValue.objects.get(geo="AT11", industry="C30", period=2021)
    assert zero.value == 0  # a real zero stays a zero
    change = ObjectChange.objects.filter(action="import", object_id=str(dataset.pk)).get()
    assert "confidential" in change.message


def test_sdmx_csv_gives_the_same_values_and_the_region_names():
    parsed = eurostat.parse(fixture_bytes("employment.test-fixture.sdmx.csv"))
    assert parsed.errors == []
    assert parsed.format == "sdmx-csv" and parsed.dataset_code == "sbs_r_nuts06_r2"
    assert parsed.geo_labels["AT12"] == "Niederösterreich"
    by_key = {(o.geo, o.industry): o for o in parsed.observations}
    assert by_key[("AT12", "C26")].value is None and by_key[("AT12", "C26")].confidential
    assert by_key[("BE10", "C26")].value == 180 and by_key[("BE10", "C26")].flags == "p"
    tsv = {
        (o.geo, o.industry): o.value
        for o in eurostat.parse(fixture_bytes("employment.test-fixture.tsv")).observations
        if o.period == 2021 and len(o.geo) == 4 and o.industry[0] in "CJ" and len(o.industry) == 3
    }
    assert tsv == {key: o.value for key, o in by_key.items()}


BROKEN = (
    "freq,nace_r2,indic_sb,geo\\TIME_PERIOD\t2020 \t2021 \n"
    "A,C10,V16110,AT11\t98 e\t100 \n"
    "A,C10,V16110,AT12\tabc\t50 \n"
    "A,C26,V16110,AT11\t21 x\t20 \n"
    "A,C26,V16110\t1 \t2 \n"
    "A,C26,V16110,at12\t1 \t2 \n"
    "A,C10,V16110,AT11\t98 \t100 \n"
)


def test_row_errors_name_line_and_column_and_nothing_is_written():
    report = services.import_regional(BROKEN.encode(), dataset_code="sbs_r_nuts06_r2")
    messages = [str(e) for e in report.errors]
    assert "line 3, column 2020: “abc” is not a number with flags." in messages
    assert "line 4, column 2020: Unknown flag “x”." in messages
    assert any(
        m.startswith("line 5, column freq,nace_r2,indic_sb,geo\\TIME_PERIOD") for m in messages
    )
    assert "line 6, column geo: “at12” is not a NUTS or country code." in messages
    assert any(m.startswith("line 7") and "also on line 2" in m for m in messages)
    assert not RegionalDataset.objects.exists() and not RegionalValue.objects.exists()


def test_a_file_that_is_not_eurostat_is_refused():
    with pytest.raises(eurostat.EurostatFileError):
        eurostat.parse(b"name,value\na,1\n")


def test_the_command_imports_and_the_dry_run_writes_nothing(tmp_path):
    out = io.StringIO()
    call_command(
        "import_regional",
        str(FIXTURES / "employment.test-fixture.tsv"),
        "--dataset",
        "sbs_r_nuts06_r2",
        "--dry-run",
        stdout=out,
    )
    assert "would be imported" in out.getvalue()
    assert not RegionalDataset.objects.exists()
    call_command("import_regional", str(FIXTURES / "employment.test-fixture.sdmx.csv"), stdout=out)
    assert RegionalDataset.objects.get().code == "sbs_r_nuts06_r2"
    broken = tmp_path / "broken.tsv"
    broken.write_text(BROKEN)
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_regional", str(broken), stdout=out, stderr=io.StringIO())
    assert RegionalValue.objects.filter(industry="C10", geo="AT12").get().value == 50


def test_reimporting_replaces_the_values_and_adds_a_version(imported):
    dataset = RegionalDataset.objects.get()
    services.import_regional(
        fixture_bytes("employment.test-fixture.sdmx.csv"), dataset_code=dataset.code
    )
    dataset.refresh_from_db()
    assert dataset.version == 2
    assert dataset.periods == [2021]
    assert RegionalValue.objects.filter(dataset=dataset).count() == 12


@pytest.mark.parametrize("role,status", [("anonymous", 302), ("member", 403), ("editor", 200)])
def test_only_editors_reach_the_upload_page(client_for, role, status):
    response = client_for(role).get("/analytics/import/")
    assert response.status_code == status


def test_an_editor_uploads_a_file_and_sees_the_errors_of_a_broken_one(client_for):
    client = client_for("editor")
    response = client.post(
        "/analytics/import/",
        {"file": SimpleUploadedFile("sbs_r_nuts06_r2.tsv", BROKEN.encode()), "dataset": ""},
    )
    assert response.status_code == 400
    assert "Nothing imported: 6 problems in the file." in response.content.decode()
    assert "“abc” is not a number with flags." in response.content.decode()
    assert not RegionalDataset.objects.exists()
    response = client.post(
        "/analytics/import/",
        {"file": SimpleUploadedFile("x.csv", fixture_bytes("employment.test-fixture.sdmx.csv"))},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?dataset=sbs_r_nuts06_r2")
    dataset = RegionalDataset.objects.get()
    assert dataset.imported_by.username == "erin"
