"""Imports through the API: the same reports as the pages, editors only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterbridge.funding.models import Instrument, StrategicDocument

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "portal"


def post_file(api, url, raw, name, **fields):
    return api.post(url, {"file": SimpleUploadedFile(name, raw), **fields}, format="multipart")


def test_an_editor_imports_portal_calls_with_a_dry_run_first(api_client_for):
    api = api_client_for("editor")
    raw = (DATA / "search_results.json").read_bytes()
    before = Instrument.all_objects.count()

    dry = post_file(api, "/api/v1/import/calls/", raw, "search.json", dry_run="true")
    assert dry.status_code == 200
    # One topic updates the record printed as IA-HORIZON-CL3-2023-CS-01-01.
    assert dry.json()["created"] == 4 and dry.json()["dry_run"] is True
    assert dry.json()["skipped"] == {"news update (type 6)": 1, "same topic in another language": 2}
    assert dry.json()["errors"][0]["identifier"] == "HORIZON-CL3-2025-CS-ECCC-99"
    assert Instrument.all_objects.count() == before

    done = post_file(api, "/api/v1/import/calls/", raw, "search.json")
    assert done.status_code == 200 and done.json()["created"] == 4
    assert Instrument.all_objects.count() == before + 4


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("member", 403), ("manager", 403)])
def test_others_may_not_import_through_the_api(role, status, api_client_for):
    raw = (DATA / "grantsTenders.json").read_bytes()
    before = Instrument.all_objects.count()
    response = post_file(api_client_for(role), "/api/v1/import/calls/", raw, "bulk.json")
    assert response.status_code == status
    assert Instrument.all_objects.count() == before


def test_a_bad_file_gets_a_400_saying_why(api_client_for):
    api = api_client_for("editor")
    response = post_file(api, "/api/v1/import/calls/", b'{"results": [', "cut.json")
    assert response.status_code == 400 and "cut off" in response.json()["detail"]
    response = api.post("/api/v1/import/calls/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


def test_a_spreadsheet_is_imported_all_or_nothing(api_client_for):
    api = api_client_for("editor")
    bad = b"name,country,priorities\nStrategy A,FI,P12\nStrategy B,Atlantis,Q9\n"
    response = post_file(api, "/api/v1/import/strategic-documents/", bad, "docs.csv")
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (3, "country"),
        (3, "priorities"),
    ]
    assert not StrategicDocument.objects.filter(name="Strategy A").exists()

    good = b"name,country,priorities\nStrategy A,FI,P12\n"
    response = post_file(api, "/api/v1/import/strategic-documents/", good, "docs.csv")
    assert response.status_code == 200 and response.json()["created"] == 1
    assert StrategicDocument.objects.get(name="Strategy A").priorities.get().code == "P12"


def test_an_oversized_api_upload_is_refused(api_client_for, settings):
    settings.IMPORT_MAX_BYTES = 1024
    raw = b"name\n" + b"x" * (100 * 1024)
    response = post_file(api_client_for("editor"), "/api/v1/import/instruments/", raw, "a.csv")
    assert response.status_code == 413 and "too large" in response.json()["detail"]


def test_only_administrators_import_clusters_through_the_api(api_client_for):
    raw = b"name,country\nAPI cluster,FI\n"
    response = post_file(api_client_for("editor"), "/api/v1/import/clusters/", raw, "c.csv")
    assert response.status_code == 403 and "may not import clusters" in response.json()["detail"]
    response = post_file(api_client_for("admin"), "/api/v1/import/clusters/", raw, "c.csv")
    assert response.status_code == 200 and response.json()["created"] == 1
