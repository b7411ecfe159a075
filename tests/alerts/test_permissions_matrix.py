"""Every write of the alerts app tried by every role: alerts are private to their owner."""

import datetime

import pytest

from clusterbridge.alerts import services
from clusterbridge.alerts.models import SavedSearch, WatchedCall
from tests.alerts.conftest import make_instrument
from tests.matrix import ROLES, WriteCase, check_write

pytestmark = pytest.mark.django_db
SIGNED_IN = {"member", "editor", "manager", "admin"}


def _bobs_alert():
    return SavedSearch.all_objects.get(owner__username="bob")


def _prepare_bobs_alert(users):
    services.save_alert(
        SavedSearch(name="Bob's alert", query="q=zephyr", frequency="daily"), user=users["member"]
    )


def _prepare_bobs_watch(users):
    call = make_instrument("Zephyr matrix call", deadlines=[datetime.date(2031, 1, 1)])
    services.watch(call, user=users["member"])


def _call():
    return make_instrument("Zephyr open call", deadlines=[datetime.date(2031, 1, 1)])


CASES = [
    WriteCase(
        "save a search",
        lambda c: c.post(
            "/alerts/new/", {"name": "New", "kind": "search", "query": "q=x", "frequency": "daily"}
        ),
        lambda: SavedSearch.objects.filter(name="New").exists(),
        allowed=SIGNED_IN,
    ),
    WriteCase(
        "change someone's alert",
        lambda c: c.post(
            f"/alerts/{_bobs_alert().pk}/edit/",
            {"name": "Renamed", "kind": "search", "query": "q=x", "frequency": "weekly"},
        ),
        lambda: _bobs_alert().name == "Renamed",
        allowed={"member"},
        prepare=_prepare_bobs_alert,
    ),
    WriteCase(
        "delete someone's alert",
        lambda c: c.post(f"/alerts/{_bobs_alert().pk}/delete/"),
        lambda: _bobs_alert().is_deleted,
        allowed={"member"},
        prepare=_prepare_bobs_alert,
    ),
    WriteCase(
        "watch a call",
        lambda c: c.post(f"/alerts/watch/{_call().pk}/"),
        lambda: WatchedCall.objects.exists(),
        allowed=SIGNED_IN,
    ),
    WriteCase(
        "stop someone's watch",
        lambda c: c.post(f"/alerts/watches/{WatchedCall.all_objects.get().pk}/delete/"),
        lambda: WatchedCall.all_objects.get().is_deleted,
        allowed={"member"},
        prepare=_prepare_bobs_watch,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=repr)
def test_write(case, role, users, client_for):
    check_write(case, role, users, client_for)


@pytest.mark.parametrize("role", ["editor", "manager", "admin"])
def test_others_cannot_even_see_an_alert(role, users, client_for):
    _prepare_bobs_alert(users)
    client = client_for(role)
    assert client.get(f"/alerts/{_bobs_alert().pk}/edit/").status_code == 404
    assert "Bob&#x27;s alert" not in client.get("/alerts/").content.decode()
