"""The import pages: only editors import; upload → dry-run report → commit; oversized
uploads are refused before the body is read."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clusterbridge.core.models import ObjectChange
from clusterbridge.funding.models import Instrument, StrategicDocument
from tests.matrix import ROLES, WriteCase, check_write

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "portal"
CALLS = reverse("interop:calls")
SHEETS = reverse("interop:spreadsheet")
GENAI = "HORIZON-CL3-2025-CS-ECCC-01"


def upload(client, url, raw: bytes, name: str, **fields):
    return client.post(url, {"file": SimpleUploadedFile(name, raw), **fields})


def preview_token(response) -> str:
    return response.context["commit_form"].initial["token"]


def test_the_upload_shows_a_dry_run_report_then_commits(client_for, users):
    editor = client_for("editor")
    before = Instrument.all_objects.count()

    response = upload(editor, CALLS, (DATA / "search_results.json").read_bytes(), "search.json")

    assert response.status_code == 200
    page = response.content.decode()
    assert "What the import would do" in page
    # One topic updates the record printed as IA-HORIZON-CL3-2023-CS-01-01.
    assert (
        "Dry run, nothing written: 9 records in the Search API results: 4 created, 1 updated"
        in page
    )
    assert "same topic in another language" in page
    assert "HORIZON-CL3-2025-CS-ECCC-99" in page and "31/12/2025" in page
    assert Instrument.all_objects.count() == before

    response = editor.post(CALLS, {"token": preview_token(response)})

    assert response.status_code == 200
    assert "Imported" in response.content.decode()
    assert Instrument.all_objects.count() == before + 4
    entry = ObjectChange.objects.get(
        object_id=str(Instrument.objects.get(identifier=GENAI).pk), action="import"
    )
    assert entry.user == users["editor"] and "search.json" in entry.message


def test_a_preview_is_committed_once_and_only_by_its_uploader(client_for, users):
    editor = client_for("editor")
    response = upload(editor, CALLS, (DATA / "grantsTenders.json").read_bytes(), "bulk.json")
    token = preview_token(response)

    other = Client()
    other.force_login(users["admin"], backend="django.contrib.auth.backends.ModelBackend")
    refused = other.post(CALLS, {"token": token})
    assert refused.status_code == 400 and "not valid" in refused.content.decode()
    assert not Instrument.objects.filter(identifier=GENAI).exists()

    assert editor.post(CALLS, {"token": token}).status_code == 200
    again = editor.post(CALLS, {"token": token})
    assert again.status_code == 400 and "already imported" in again.content.decode()
    forged = editor.post(CALLS, {"token": token[:-3] + "abc"})
    assert forged.status_code == 400


def test_a_bad_portal_file_is_explained_on_the_page(client_for):
    raw = (DATA / "search_results.json").read_bytes()
    response = upload(client_for("editor"), CALLS, raw[:3000], "search.json")
    assert response.status_code == 400
    assert "cut off while downloading" in response.content.decode()
    assert not response.context.get("commit_form")


def test_an_oversized_upload_is_refused_before_its_body_is_read(client_for, settings):
    """A 200 MB upload: refused from its declared length; the body is never read."""

    class Body(io.RawIOBase):
        read_bytes = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = min(len(buffer), 65536)
            buffer[:chunk] = b"x" * chunk
            Body.read_bytes += chunk
            return chunk

    editor = client_for("editor")
    size = 200 * 1024 * 1024
    before = Instrument.all_objects.count()
    response = editor.generic(
        "POST",
        CALLS,
        data=b"",
        content_type="multipart/form-data; boundary=XyZ",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": Body()},
    )
    assert response.status_code == 413
    assert "too large (200 MB): imports are limited to 50 MB" in response.content.decode()
    assert Body.read_bytes == 0
    assert Instrument.all_objects.count() == before


def test_an_upload_over_the_limit_is_stopped_while_streaming(client_for, settings):
    settings.IMPORT_MAX_BYTES = 2048
    raw = (DATA / "search_results.json").read_bytes()
    response = upload(client_for("editor"), CALLS, raw[:2048] + b" " * 4096, "big.json")
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def commit_calls(client):
    response = upload(client, CALLS, (DATA / "grantsTenders.json").read_bytes(), "bulk.json")
    if response.status_code != 200 or "commit_form" not in (response.context or {}):
        return response
    return client.post(CALLS, {"token": preview_token(response)})


def commit_sheet(client):
    raw = b"name,issuer,country,priorities\nTest strategy,Ministry,FI,P12\n"
    response = upload(client, SHEETS, raw, "docs.csv", record_type="strategic-documents")
    if response.status_code != 200 or "commit_form" not in (response.context or {}):
        return response
    return client.post(SHEETS, {"token": preview_token(response)})


WRITES = [
    WriteCase(
        "import calls",
        commit_calls,
        lambda: Instrument.objects.filter(identifier=GENAI).exists(),
        allowed={"editor", "admin"},
    ),
    WriteCase(
        "import a spreadsheet",
        commit_sheet,
        lambda: StrategicDocument.objects.filter(name="Test strategy").exists(),
        allowed={"editor", "admin"},
    ),
]


@pytest.mark.parametrize("case", WRITES, ids=repr)
@pytest.mark.parametrize("role", ROLES)
def test_only_editors_import(case, role, users, client_for):
    check_write(case, role, users, client_for)


@pytest.mark.parametrize(
    "role, status", [("anonymous", 302), ("member", 403), ("manager", 403), ("editor", 200)]
)
def test_the_import_pages_are_for_editors(role, status, client_for):
    for url in (reverse("interop:index"), CALLS, SHEETS):
        assert client_for(role).get(url).status_code == status


def test_the_upload_still_checks_the_csrf_token(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["editor"], backend="django.contrib.auth.backends.ModelBackend")
    raw = (DATA / "grantsTenders.json").read_bytes()
    response = upload(client, CALLS, raw, "bulk.json")
    assert response.status_code == 403
    page = client.get(CALLS)
    token = page.cookies["csrftoken"].value
    response = client.post(
        CALLS, {"file": SimpleUploadedFile("bulk.json", raw), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200 and "What the import would do" in response.content.decode()


def test_a_list_page_can_link_its_filtered_export(rf):
    from django.template import Context, Template

    request = rf.get("/funding/", {"q": "cyber", "country": "FI", "page": "2"})
    html = Template('{% load interop_tags %}{% export_links "instruments" %}').render(
        Context({"request": request})
    )
    assert 'href="/export/instruments.csv?q=cyber&amp;country=FI"' in html
    assert 'href="/export/instruments.xlsx?q=cyber&amp;country=FI"' in html
