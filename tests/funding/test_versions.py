"""Versions: every write through the service increments a record's version; the API sends it
as ETag and honours If-Match (412 when stale); a PATCH writes only the fields sent, so two
concurrent PATCHes of different fields both keep theirs; an edit form submitted over a
newer version shows a conflict page with both values."""

import threading

import pytest
from django.db import connection

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.funding.models import Instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(make_instrument, users):
    return make_instrument(
        "Versioned kestrel call", description="Kestrels.", source="Kestrel fund", user=None
    )


def url(instrument) -> str:
    return f"/api/v1/instruments/{instrument.pk}/"


def test_each_write_increments_the_version_and_the_history_names_it(call, users):
    assert call.version == 1
    call.notes = "Checked."
    change = history.save(call, user=users["editor"])
    call.refresh_from_db()
    assert call.version == 2 and change.version == 2
    assert "version" not in change.after  # a revert never brings an old number back


def test_detail_responses_carry_the_version_as_etag(client, call):
    response = client.get(url(call))
    assert response.status_code == 200 and response["ETag"] == '"1"'
    assert "ETag" not in client.get("/api/v1/instruments/").headers


def test_a_stale_if_match_is_refused_with_412(api_client_for, call):
    api = api_client_for("editor")
    first = api.patch(url(call), {"notes": "First."}, format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first["ETag"] == '"2"'
    stale = api.patch(url(call), {"notes": "Second."}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    body = stale.json()
    assert "changed by someone else" in body["detail"]
    assert body["current_version"] == 2 and body["your_version"] == 1
    assert stale["ETag"] == '"2"'
    call.refresh_from_db()
    assert call.notes == "First." and call.version == 2


def test_if_match_star_or_the_current_version_writes(api_client_for, call):
    api = api_client_for("editor")
    assert api.patch(url(call), {"notes": "A"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    response = api.patch(url(call), {"notes": "B"}, format="json", HTTP_IF_MATCH='"3", "2"')
    assert response.status_code == 200
    weak = api.patch(url(call), {"notes": "C"}, format="json", HTTP_IF_MATCH='W/"3"')
    assert weak.status_code == 412  # If-Match compares strongly


def test_a_stale_delete_is_refused(api_client_for, call):
    api = api_client_for("editor")
    api.patch(url(call), {"notes": "Changed."}, format="json")
    assert api.delete(url(call), HTTP_IF_MATCH='"1"').status_code == 412
    assert Instrument.objects.filter(pk=call.pk).exists()
    assert api.delete(url(call), HTTP_IF_MATCH='"2"').status_code == 204


def test_a_patch_writes_only_the_fields_sent(api_client_for, call, monkeypatch):
    """The view's copy was read before another writer changed the record (as in a race):
    the PATCH still writes only its own field, and the other writer's survives."""
    from clusterbridge.funding.api.views import InstrumentViewSet

    stale_copy = Instrument.objects.get(pk=call.pk)
    monkeypatch.setattr(InstrumentViewSet, "get_object", lambda self: stale_copy)
    call.source = "Changed meanwhile"
    history.save(call)
    response = api_client_for("editor").patch(url(call), {"notes": "Mine."}, format="json")
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.source == "Changed meanwhile" and call.notes == "Mine."
    change = history.history_of(call).first()
    assert [name for name, _, _ in change.diff()] == ["notes"]
    assert response.json()["source"] == "Changed meanwhile"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_of_different_fields_keep_both(reference_data, users_tx):
    """Twenty rounds of two PATCHes at the same moment (PostgreSQL: real concurrency)."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is not shared between threads")
    from rest_framework.test import APIClient

    from clusterbridge.accounts.models import ApiToken

    _, key = ApiToken.issue(users_tx, "concurrency")
    instrument = Instrument.objects.create(name="Concurrent call", origin="international")
    lost = 0

    def patch(barrier, statuses, field: str, value: str) -> None:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        barrier.wait()
        statuses.append(api.patch(url(instrument), {field: value}, format="json").status_code)
        connection.close()

    for round_number in range(20):
        barrier = threading.Barrier(2)
        statuses: list[int] = []
        values = {"notes": f"notes {round_number}", "source": f"source {round_number}"}
        threads = [
            threading.Thread(target=patch, args=(barrier, statuses, *item))
            for item in values.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [200, 200]
        instrument.refresh_from_db()
        lost += (instrument.notes, instrument.source) != (values["notes"], values["source"])
    assert lost == 0
    assert instrument.version == 1 + 2 * 20


@pytest.fixture
def users_tx(transactional_db):
    from clusterbridge.accounts.roles import EDITOR_GROUP
    from tests.conftest import make_user

    return make_user("erin", groups=[EDITOR_GROUP])


def _form(call, **changes):
    data = {
        "name": call.name,
        "origin": call.origin,
        "source": call.source,
        "description": call.description,
        "notes": call.notes,
        "version": str(call.version),
    }
    data.update(changes)
    return data


def _conflict_choices(response) -> dict:
    """What the conflict page posts as rendered: the person's values, the current version
    and the suggested choice per field."""
    data = dict(response.context["resubmit"])
    data["version"] = str(response.context["version"])
    for row in response.context["rows"]:
        data[f"conflict_{row['name']}"] = row["keep"]
    return data


def test_a_form_over_a_newer_version_shows_both_values(client_for, users, call):
    erin = client_for("editor")
    opened = Instrument.objects.get(pk=call.pk)  # erin opens the form at version 1
    call.source = "Falcon fund"
    history.save(call, user=users["admin"])  # alice saves meanwhile
    response = erin.post(f"/funding/{call.pk}/edit/", _form(opened, description="Kestrels, too."))
    assert response.status_code == 409
    page = response.content.decode()
    assert "was changed while you were editing it" in page
    assert "Falcon fund" in page and "Kestrel fund" in page  # theirs and yours
    assert "alice updated it on" in page and "(changed by someone else)" in page
    call.refresh_from_db()
    assert call.source == "Falcon fund" and call.description == "Kestrels."
    rows = {row["label"]: row for row in response.context["rows"]}
    assert (rows["Source / funding body"]["theirs"], rows["Source / funding body"]["yours"]) == (
        "Falcon fund",
        "Kestrel fund",
    )
    # Suggested: alice's source (erin did not touch it), erin's description.
    assert rows["Source / funding body"]["keep"] == "theirs"
    assert rows["Description"]["keep"] == "mine"
    assert 'name="conflict_source" value="theirs" checked' in page

    saved = erin.post(f"/funding/{call.pk}/edit/", _conflict_choices(response))
    assert saved.status_code == 302
    call.refresh_from_db()
    assert call.source == "Falcon fund" and call.description == "Kestrels, too."
    assert call.version == 3


def test_the_person_may_put_their_own_value_back_consciously(client_for, users, call):
    erin = client_for("editor")
    opened = Instrument.objects.get(pk=call.pk)
    call.source = "Falcon fund"
    history.save(call, user=users["admin"])
    response = erin.post(f"/funding/{call.pk}/edit/", _form(opened))
    assert response.status_code == 409
    choices = _conflict_choices(response) | {"conflict_source": "mine"}
    assert erin.post(f"/funding/{call.pk}/edit/", choices).status_code == 302
    call.refresh_from_db()
    assert call.source == "Kestrel fund"


def test_a_second_change_meanwhile_shows_the_conflict_again(client_for, users, call):
    erin = client_for("editor")
    opened = Instrument.objects.get(pk=call.pk)
    call.source = "Falcon fund"
    history.save(call, user=users["admin"])
    response = erin.post(f"/funding/{call.pk}/edit/", _form(opened, description="Mine."))
    call.notes = "Another change."
    history.save(call, user=users["admin"])
    again = erin.post(f"/funding/{call.pk}/edit/", _conflict_choices(response))
    assert again.status_code == 409
    call.refresh_from_db()
    assert call.description == "Kestrels."


def test_the_form_carries_the_version_it_was_opened_at(client_for, call):
    page = client_for("editor").get(f"/funding/{call.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in page


def test_the_history_entry_and_the_record_agree_on_the_version(api_client_for, call):
    api_client_for("editor").patch(url(call), {"notes": "x"}, format="json")
    call.refresh_from_db()
    assert ObjectChange.objects.filter(object_id=str(call.pk)).first().version == call.version


def test_the_openapi_schema_documents_the_version_contract(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    detail = schema["paths"]["/api/v1/instruments/{id}/"]
    for method in ("patch", "put", "delete"):
        operation = detail[method]
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"])
        assert "412" in operation["responses"], method
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    assert "ETag" in detail["patch"]["responses"]["200"]["headers"]
    cluster = schema["paths"]["/api/v1/clusters/{slug}/"]
    assert "412" in cluster["patch"]["responses"]


def test_every_detail_response_of_a_versioned_record_carries_its_etag(client):
    from clusterbridge.clusters.models import Cluster, Network
    from clusterbridge.projects.models import Project

    project = Project.objects.filter(visibility="public").first()
    cluster = Cluster.objects.public().first()
    network = Network.objects.first()
    for path, record in (
        (f"/api/v1/projects/{project.pk}/", project),
        (f"/api/v1/clusters/{cluster.slug}/", cluster),
        (f"/api/v1/networks/{network.code}/", network),
    ):
        assert client.get(path)["ETag"] == f'"{record.version}"', path
