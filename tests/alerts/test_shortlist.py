"""The shortlist and dismissed results: private to their owner (nobody else sees or changes
them), a dismissed result leaves the owner's searches and digests until shown again, the
shortlist exports to XLSX, CSV and iCalendar, and its share link is read-only and revocable."""

import datetime
import io

import openpyxl
import pytest

from clusterbridge.alerts.models import Dismissal, SavedSearch, ShortlistItem, ShortlistShare
from clusterbridge.alerts.shortlist import export
from clusterbridge.funding.models import Instrument, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(db):
    later = (today() + datetime.timedelta(days=20)).isoformat()
    return [
        Instrument.objects.create(
            name=f"Kookaburra call {n}",
            origin="international",
            cover_level="eu",
            deadline_dates=[later],
        )
        for n in range(3)
    ]


def search_ids(client, extra: str = "") -> set[int]:
    response = client.get(f"/api/v1/instruments/?q=kookaburra{extra}")
    return {row["id"] for row in response.json()["results"]}


def page_ids(client, extra: str = "") -> set[int]:
    response = client.get(f"/funding/?q=kookaburra{extra}")
    return {i.pk for i in response.context["page"].object_list}


def test_dismissed_results_leave_my_searches_only(client_for, calls):
    me, other = client_for("member"), client_for("editor")
    response = me.post(f"/funding/{calls[0].pk}/dismiss/", {"next": "/funding/?q=kookaburra"})
    assert response.status_code == 302 and response["Location"] == "/funding/?q=kookaburra"
    assert page_ids(me) == {calls[1].pk, calls[2].pk}
    assert search_ids(me) == {calls[1].pk, calls[2].pk}
    assert (
        "1 result you marked as not relevant is hidden"
        in me.get("/funding/?q=kookaburra").content.decode()
    )
    # "show dismissed" brings it back; another person never had it hidden.
    assert page_ids(me, "&show_dismissed=true") == {c.pk for c in calls}
    assert page_ids(other) == {c.pk for c in calls}
    # Undo.
    me.post(f"/funding/{calls[0].pk}/undismiss/")
    assert page_ids(me) == {c.pk for c in calls}


def test_dismissed_results_leave_my_digests(users, calls):
    from clusterbridge.alerts import services, sources

    owner = users["member"]
    alert = SavedSearch.objects.create(owner=owner, name="k", query="q=kookaburra")
    services.dismiss(calls[0], user=owner)
    matches = set(sources.matching_instruments(alert).values_list("pk", flat=True))
    assert calls[0].pk in matches  # the search itself is everyone's...
    remaining = (
        sources.matching_instruments(alert)
        .exclude(pk__in=Dismissal.objects.filter(owner=owner).values("instrument_id"))
        .count()
    )
    assert remaining == 2  # ...the digest leaves out what its owner dismissed


def test_shortlist_with_notes_and_exports(client_for, calls):
    me = client_for("member")
    for call in calls[:2]:
        me.post(f"/shortlist/add/{call.pk}/")
    item = ShortlistItem.objects.get(instrument=calls[0])
    me.post(f"/shortlist/{item.pk}/note/", {"note": "Ask the partner in Vilnius"})
    page = me.get("/shortlist/").content.decode()
    assert "Kookaburra call 0" in page and "Ask the partner in Vilnius" in page
    assert "Kookaburra call 2" not in page
    csv_text = me.get("/shortlist/?format=csv").content.decode("utf-8-sig")
    assert "Ask the partner in Vilnius" in csv_text and "Kookaburra call 1" in csv_text
    book = openpyxl.load_workbook(io.BytesIO(me.get("/shortlist/?format=xlsx").content))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert "Kookaburra call 0" in cells and "Ask the partner in Vilnius" in cells
    ics = me.get("/shortlist/?format=ics").content.decode()
    assert ics.count("BEGIN:VEVENT") == 2 and "Deadline: Kookaburra call 0" in ics
    # Removing and adding again keeps one entry.
    me.post(f"/shortlist/remove/{calls[0].pk}/")
    me.post(f"/shortlist/add/{calls[0].pk}/")
    assert ShortlistItem.objects.filter(instrument=calls[0]).count() == 1


def test_nobody_else_sees_or_changes_my_shortlist(client_for, users, calls):
    me, other, anonymous = client_for("member"), client_for("editor"), client_for("anonymous")
    me.post(f"/shortlist/add/{calls[0].pk}/")
    item = ShortlistItem.objects.get(owner=users["member"])
    assert "Kookaburra" not in other.get("/shortlist/").content.decode()
    assert other.post(f"/shortlist/{item.pk}/note/", {"note": "mine now"}).status_code == 404
    assert other.post(f"/shortlist/remove/{calls[0].pk}/").status_code == 404
    assert anonymous.get("/shortlist/").status_code == 302  # to sign in
    assert anonymous.post(f"/shortlist/add/{calls[1].pk}/").status_code == 302
    me.post(f"/funding/{calls[1].pk}/dismiss/")
    assert other.post(f"/funding/{calls[1].pk}/undismiss/").status_code == 404
    item.refresh_from_db()
    assert item.note == "" and not item.is_deleted
    assert Dismissal.objects.filter(owner=users["member"]).count() == 1


def test_share_link_is_read_only_and_revocable(client_for, users, calls):
    me, anonymous = client_for("member"), client_for("anonymous")
    me.post(f"/shortlist/add/{calls[0].pk}/")
    me.post("/shortlist/share/")
    link = ShortlistShare.objects.get(owner=users["member"])
    page = anonymous.get(link.get_absolute_url()).content.decode()
    assert "Kookaburra call 0" in page and "Read-only" in page
    assert "<textarea" not in page and "Revoke" not in page
    assert anonymous.get(link.get_absolute_url() + "?format=csv").status_code == 200
    # Another person cannot revoke it; the owner can, and the link then answers 404.
    assert client_for("editor").post(f"/shortlist/share/{link.pk}/revoke/").status_code == 404
    me.post(f"/shortlist/share/{link.pk}/revoke/")
    assert anonymous.get(link.get_absolute_url()).status_code == 404


def test_shortlist_is_on_my_clusterbridge_and_in_my_data(client_for, users, calls):
    me = client_for("member")
    me.post(f"/shortlist/add/{calls[0].pk}/")
    me.post(f"/funding/{calls[1].pk}/dismiss/")
    assert "My shortlist" in me.get("/account/").content.decode()
    data = export(users["member"])
    assert [row["call"] for row in data["shortlist"]] == ["Kookaburra call 0"]
    assert [row["call"] for row in data["dismissed"]] == ["Kookaburra call 1"]


def test_result_cards_offer_the_shortlist(client_for, calls):
    text = client_for("member").get("/funding/?q=kookaburra").content.decode()
    assert "Add to my shortlist" in text and "Not relevant: hide" in text
    assert (
        "Add to my shortlist"
        not in client_for("anonymous").get("/funding/?q=kookaburra").content.decode()
    )
