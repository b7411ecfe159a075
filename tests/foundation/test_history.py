"""One append-only history: create, update, delete, restore and revert are recorded."""

import pytest
from django.core.exceptions import PermissionDenied

from clusterbridge.core import history
from clusterbridge.core.models import ObjectChange
from clusterbridge.core.request_context import request_id_scope
from clusterbridge.taxonomy.models import Feature, FeatureCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return FeatureCategory.objects.get(code="T")


def test_create_update_delete_restore_are_recorded(users, category):
    admin = users["admin"]
    feature = Feature(code="T99", label="Edge computing", category=category, order=99)
    with request_id_scope() as request_id:
        created = history.save(feature, user=admin, message="new technique")
    assert created.action == "create" and created.before is None
    assert created.after["label"] == "Edge computing"
    assert created.user == admin and created.user_name == "alice"
    assert created.request_id == request_id and created.message == "new technique"

    feature.label = "Edge and fog computing"
    updated = history.save(feature, user=admin)
    assert updated.action == "update"
    assert updated.diff() == [("label", "Edge computing", "Edge and fog computing")]

    # Saving without a change writes nothing.
    assert history.save(feature, user=admin) is None

    history.soft_delete(feature, user=admin)
    assert not Feature.objects.filter(code="T99").exists()
    assert Feature.all_objects.filter(code="T99", deleted_at__isnull=False).exists()

    history.restore(feature, user=admin)
    assert Feature.objects.filter(code="T99").exists()
    actions = list(history.history_of(feature).values_list("action", flat=True))
    assert actions == ["restore", "delete", "update", "create"]


def test_revert_is_a_new_change(users, category):
    feature = Feature.objects.get(code="T1")
    original = feature.label
    feature.label = "Artificial intelligence"
    change = history.save(feature, user=users["admin"])
    revert = history.revert(change, user=users["admin"])
    feature.refresh_from_db()
    assert feature.label == original
    assert revert.action == "revert" and f"#{change.pk}" in revert.message
    assert ObjectChange.objects.filter(pk=change.pk).exists()  # nothing erased


def test_revert_of_creation_soft_deletes(users, category):
    feature = Feature(code="T98", label="Temporary", category=category)
    change = history.save(feature, user=users["admin"])
    history.revert(change, user=users["admin"])
    assert Feature.all_objects.get(code="T98").is_deleted


def test_history_entries_cannot_be_changed_or_deleted(users):
    entry = ObjectChange.objects.first()
    entry.message = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_reference_load_is_recorded_and_does_not_overwrite_edits(users):
    from clusterbridge.taxonomy.reference import load

    feature = Feature.objects.get(code="T2")
    assert history.history_of(feature).filter(action="load").exists()
    feature.label = "Distributed ledgers"
    history.save(feature, user=users["admin"])
    counts = load()
    feature.refresh_from_db()
    assert feature.label == "Distributed ledgers"
    assert counts.get("created", 0) == 0


def test_revert_page_needs_permission_and_reverts(client_for, users):
    feature = Feature.objects.get(code="T3")
    feature.label = "Crypto"
    change = history.save(feature, user=users["admin"])
    for role in ("anonymous", "member", "editor", "manager"):
        response = client_for(role).post(f"/history/{change.pk}/revert/")
        assert response.status_code in (302, 403)
        feature.refresh_from_db()
        assert feature.label == "Crypto", role
    response = client_for("admin").post(f"/history/{change.pk}/revert/", {"next": "/taxonomy/"})
    assert response.status_code == 302 and response["Location"] == "/taxonomy/"
    feature.refresh_from_db()
    assert feature.label == "Cryptography"


def test_trash_restore_is_for_administrators(client_for, users):
    feature = Feature.objects.get(code="T4")
    history.soft_delete(feature, user=users["admin"])
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Feature)
    url = f"/trash/{ct.pk}/{feature.pk}/restore/"
    for role in ("anonymous", "member", "editor", "manager"):
        client_for(role).post(url)
        assert not Feature.objects.filter(code="T4").exists(), role
    page = client_for("admin").get("/trash/")
    assert "Visualisation" in page.content.decode()
    client_for("admin").post(url)
    assert Feature.objects.filter(code="T4").exists()


def test_an_editor_cannot_undelete_through_revert(users, client_for):
    from clusterbridge.funding.models import Instrument

    call = Instrument(name="Revert guard call", origin="international")
    history.save(call, user=users["editor"])
    deletion = history.soft_delete(call, user=users["editor"])
    response = client_for("editor").post(f"/history/{deletion.pk}/revert/")
    assert response.status_code == 403
    assert Instrument.all_objects.get(pk=call.pk).is_deleted
    # Reverting an older update of a deleted record does not bring it back either.
    with pytest.raises(PermissionDenied):
        history.revert(history.history_of(call).get(action="create"), user=users["admin"])
    assert Instrument.all_objects.get(pk=call.pk).is_deleted


def test_reverting_a_creation_leaves_the_gone_page(users, client_for):
    from clusterbridge.funding.models import Instrument

    call = Instrument(name="Short-lived call", origin="international")
    created = history.save(call, user=users["editor"])
    response = client_for("editor").post(
        f"/history/{created.pk}/revert/", {"next": f"/funding/{call.pk}/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert Instrument.all_objects.get(pk=call.pk).is_deleted


def test_trash_is_for_administrators_only(client_for):
    assert client_for("admin").get("/trash/").status_code == 200
    for role in ("member", "editor", "manager"):
        assert client_for(role).get("/trash/").status_code == 403, role


def test_commands_do_not_count_as_peoples_edits(users):
    from clusterbridge.core.reference import changed_by_people

    feature = Feature.objects.get(code="T7")
    history.record(feature, "expire", user=None, message="a command")
    assert not changed_by_people(feature)
    feature.label = "SLAM (mapping)"
    history.save(feature, user=users["admin"])
    assert changed_by_people(feature)


def test_reloading_the_reference_data_changes_nothing():
    from django.core.management import call_command

    from clusterbridge.core.models import ObjectChange

    before = ObjectChange.objects.count()
    call_command("load_reference", stdout=__import__("io").StringIO())
    assert ObjectChange.objects.count() == before


def test_revert_never_sends_the_person_to_another_site(users, client_for):
    feature = Feature.objects.get(code="T8")
    feature.label = "CBRN sensing"
    change = history.save(feature, user=users["admin"])
    response = client_for("admin").post(
        f"/history/{change.pk}/revert/", {"next": "https://evil.example/phish"}
    )
    assert response.status_code == 302 and response["Location"] == "/taxonomy/#T8"


def test_an_administration_site_edit_goes_through_the_service(client_for):
    feature = Feature.objects.get(code="T7")
    data = {
        "code": "T7",
        "label": "SLAM mapping",
        "category": feature.category_id,
        "order": feature.order,
        "notes": "{}",
        "provenance": "[]",
    }
    response = client_for("admin").post(f"/admin/taxonomy/feature/{feature.pk}/change/", data)
    assert response.status_code == 302
    feature.refresh_from_db()
    assert feature.label == "SLAM mapping" and feature.version == 2
    change = history.history_of(feature).first()
    assert change.message == "Changed in the administration site" and change.version == 2
    assert change.diff() == [("label", "SLAM", "SLAM mapping")]
