"""The search page and a call's page lead to what other parts of the platform offer:
saving the search as an alert, its feeds, downloads, imports, watching a call and
suggested features."""

import datetime

import pytest

pytestmark = pytest.mark.django_db


def test_search_page_offers_save_feeds_and_downloads_with_the_same_query(client):
    query = {"origin": "international", "kind": "programme"}
    html = client.get("/funding/", query).content.decode()
    assert 'href="/alerts/new/?query=origin%3Dinternational%26kind%3Dprogramme"' in html
    assert 'href="/funding/feed.atom?origin=international&amp;kind=programme"' in html
    assert 'href="/funding/deadlines.ics?origin=international&amp;kind=programme"' in html
    assert 'href="/export/instruments.csv?origin=international&amp;kind=programme"' in html
    assert 'href="/import/"' not in html


def test_nothing_to_save_or_download_when_nothing_matches(client):
    html = client.get("/funding/", {"q": "nosuchwordanywhere"}).content.decode()
    assert "No instrument matches" in html
    assert "/alerts/new/?query=" not in html
    assert "/export/instruments.csv" not in html


def test_editors_find_the_import_page_from_the_search(client_for):
    assert 'href="/import/"' in client_for("editor").get("/funding/").content.decode()


def test_call_page_offers_watching_and_editors_get_suggestions(make_instrument, client_for):
    call = make_instrument(
        "Drone pilots call",
        features=["T13"],
        deadline_dates=[(datetime.date.today() + datetime.timedelta(days=40)).isoformat()],
        description="Funding for a prototype that uses machine learning.",
    )
    url = f"/funding/{call.pk}/"
    assert "Watch this call" in client_for("member").get(url).content.decode()
    assert "Sign in</a> to watch this call" in client_for("anonymous").get(url).content.decode()
    assert "Suggested features" not in client_for("member").get(url).content.decode()
    editor_page = client_for("editor").get(url).content.decode()
    assert "Suggest features from the description" in editor_page
