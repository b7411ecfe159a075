"""Portal files that cannot be read: a clear message and nothing written."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clusterbridge.core.models import ObjectChange
from clusterbridge.funding import portal_import as calls
from clusterbridge.funding.models import Instrument
from clusterbridge.interop import portal

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "portal"


def counts():
    return Instrument.all_objects.count(), ObjectChange.objects.count()


def assert_refused(raw: bytes, *words: str):
    before = counts()
    with pytest.raises(portal.PortalFileError) as raised:
        calls.import_calls(raw)
    for word in words:
        assert word in str(raised.value)
    assert counts() == before


def test_a_truncated_download_is_refused_whole():
    raw = (DATA / "search_results.json").read_bytes()
    assert_refused(raw[: len(raw) // 2], "cut off", "Nothing was imported")
    raw = (DATA / "grantsTenders.json").read_bytes()
    assert_refused(raw[:-3], "cut off")


def test_broken_json_names_the_line():
    assert_refused(b'{"results": [\n{"metadata": }\n]}', "not valid JSON", "line 2")


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"identifier;title\nHORIZON-1;A call\n", ("not JSON",)),
        (b"PK\x03\x04\x14\x00\x06\x00", ("spreadsheet",)),
        (b'{"calls": []}', ("not from the EU Funding & Tenders Portal",)),
        (b"", ("empty",)),
        (b"\xff\xfe\x00{", ("UTF-8",)),
        (b'{"fundingData": {"Tenders": []}}', ("GrantTenderObj",)),
    ],
)
def test_a_file_in_another_format_is_refused(raw, words):
    assert_refused(raw, *words)


def test_the_command_refuses_a_200_mb_file_by_its_size(tmp_path, settings):
    huge = tmp_path / "grantsTenders.json"
    with huge.open("wb") as handle:  # sparse: takes no disk space, never read
        handle.truncate(200 * 1024 * 1024)
    before = counts()
    with pytest.raises(CommandError, match=r"200 MB; the import limit is 50 MB"):
        call_command("import_calls", str(huge), verbosity=0)
    assert counts() == before


def test_the_command_explains_a_truncated_file(tmp_path):
    cut = tmp_path / "search.json"
    cut.write_bytes((DATA / "search_results.json").read_bytes()[:5000])
    with pytest.raises(CommandError, match="cut off"):
        call_command("import_calls", str(cut), verbosity=0)
