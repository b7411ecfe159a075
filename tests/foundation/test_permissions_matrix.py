"""Every write of the foundation, tried by every role; only the allowed ones change data.

Each app has its own matrix module with the same shape (see tests/matrix.py)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from clusterbridge.core import history
from clusterbridge.taxonomy.models import Feature
from tests.matrix import ROLES, WriteCase, check_write

pytestmark = pytest.mark.django_db


def _edit_feature(client):
    feature = Feature.objects.get(code="T5")
    data = {
        "code": "T5",
        "label": "Laser scanning",
        "category": feature.category_id,
        "order": feature.order,
        "notes": "{}",
        "provenance": "[]",
    }
    return client.post(f"/admin/taxonomy/feature/{feature.pk}/change/", data)


def _feature_changed():
    return Feature.objects.get(code="T5").label == "Laser scanning"


def _revert(client):
    from clusterbridge.core.models import ObjectChange

    change = ObjectChange.objects.filter(content_type__model="feature").first()
    return client.post(f"/history/{change.pk}/revert/")


def _reverted():
    return history.history_of(Feature.objects.get(code="T1")).filter(action="revert").exists()


def _restore(client):
    feature = Feature.all_objects.get(code="T6")
    ct = ContentType.objects.get_for_model(Feature)
    return client.post(f"/trash/{ct.pk}/{feature.pk}/restore/")


def _restored():
    return not Feature.all_objects.get(code="T6").is_deleted


def _prepare_trash(users):
    history.soft_delete(Feature.objects.get(code="T6"), user=users["admin"])


def _prepare_revert(users):
    feature = Feature.objects.get(code="T1")
    feature.label = "Machine learning"
    history.save(feature, user=users["admin"])


CASES = [
    WriteCase("edit a taxonomy entry", _edit_feature, _feature_changed, allowed={"admin"}),
    WriteCase(
        "revert a taxonomy change", _revert, _reverted, allowed={"admin"}, prepare=_prepare_revert
    ),
    WriteCase(
        "restore a deleted record", _restore, _restored, allowed={"admin"}, prepare=_prepare_trash
    ),
    WriteCase(
        "issue an API token",
        lambda c: c.post("/account/tokens/", {"name": "t"}),
        lambda: (
            __import__("clusterbridge.accounts.models", fromlist=["ApiToken"])
            .ApiToken.objects.filter(name="t")
            .exists()
        ),
        allowed={"member", "editor", "manager", "admin"},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_write_permission(case, role, users, client_for):
    check_write(case, role, users, client_for)
