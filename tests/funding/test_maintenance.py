"""The editors' maintenance page (§4.1: "maintenance of the tools is very critical")."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.funding.services import maintenance_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def records(make_instrument):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    stale = make_instrument("Stale programme", kind="programme", features=["G1"])
    Instrument.objects.filter(pk=stale.pk).update(created_at=long_ago)
    reviewed_long_ago = make_instrument(
        "Reviewed long ago", kind="programme", features=["G1"], last_reviewed_at=long_ago
    )
    Instrument.objects.filter(pk=reviewed_long_ago.pk).update(created_at=long_ago)
    return {
        "soon": make_instrument(
            "Closing soon call", kind="call", features=["T1"], deadline_dates=["2026-06-20"]
        ),
        "later": make_instrument(
            "Closing later call", kind="call", features=["T1"], deadline_dates=["2026-08-20"]
        ),
        "stale_source": make_instrument(
            "Closed but open at source",
            kind="call",
            features=["T1"],
            deadline_dates=["2026-05-01"],
            source_status="Open",
        ),
        "closed_ok": make_instrument(
            "Closed and closed at source",
            kind="call",
            features=["T1"],
            deadline_dates=["2026-05-01"],
            source_status="closed",
        ),
        "stale": stale,
        "reviewed_long_ago": reviewed_long_ago,
        "fresh": make_instrument("Fresh programme", kind="programme", features=["G1"]),
        "bare": make_instrument("Bare instrument"),
        "synthetic_bare": make_instrument("Synthetic bare", is_synthetic=True),
    }


def names(items):
    return {i.name for i in items}


def test_report_sections(records):
    report = maintenance_report()
    assert "Closing soon call" in names(report.closing_soon)
    assert "Closing later call" not in names(report.closing_soon)
    assert "Closed but open at source" in names(report.closed_but_current)
    assert "Closed and closed at source" not in names(report.closed_but_current)
    assert {"Stale programme", "Reviewed long ago"} <= names(report.not_reviewed)
    assert "Fresh programme" not in names(report.not_reviewed)
    assert "Bare instrument" in names(report.without_features)
    assert "Synthetic bare" not in names(report.without_features)
    assert "Closing soon call" not in names(report.without_features)


def test_page_lists_them_and_mark_reviewed_takes_one_off(client_for, records):
    editor = client_for("editor")
    text = editor.get("/funding/maintenance/").content.decode()
    for name in (
        "Closing soon call",
        "Closed but open at source",
        "Stale programme",
        "Bare instrument",
    ):
        assert name in text
    stale = records["stale"]
    response = editor.post(f"/funding/{stale.pk}/reviewed/", {"next": "maintenance"})
    assert response.status_code == 302 and response["Location"] == "/funding/maintenance/"
    stale.refresh_from_db()
    assert stale.last_reviewed_at == timezone.now()
    assert "Stale programme" not in names(maintenance_report().not_reviewed)
    change = history.history_of(stale).first()
    assert change.action == "update" and change.message == "Marked as reviewed"
