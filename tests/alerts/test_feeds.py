"""The Atom feed and the iCalendar file of any funding search, parsed back."""

import datetime

import feedparser
import icalendar
import pytest
import time_machine

from tests.alerts.conftest import make_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(day):
    with time_machine.travel(datetime.datetime(2031, 1, 5, 10, tzinfo=datetime.UTC), tick=False):
        older = make_instrument(
            "Zephyr older call",
            features=["T1"],
            deadlines=[day + datetime.timedelta(days=5), day + datetime.timedelta(days=35)],
        )
    with time_machine.travel(datetime.datetime(2031, 2, 5, 10, tzinfo=datetime.UTC), tick=False):
        newer = make_instrument(
            "Zephyr newer call", features=["T2"], deadlines=[day + datetime.timedelta(days=20)]
        )
    make_instrument("Zephyr closed call", deadlines=[day - datetime.timedelta(days=3)])
    return older, newer


def test_atom_feed_lists_the_newest_results_of_the_search(client, calls, day):
    with time_machine.travel(day, tick=False):
        response = client.get("/funding/feed.atom?q=zephyr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert "zephyr" in feed.feed.title
    assert feed.feed.id and feed.feed.updated
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Zephyr newer call", "Zephyr older call"]  # newest first, closed left out
    for entry in feed.entries:
        assert entry.id and entry.link.startswith("http") and entry.updated
        assert "Deadlines:" in entry.summary


def test_atom_feed_follows_the_search_filters(client, calls, day):
    with time_machine.travel(day, tick=False):
        feed = feedparser.parse(client.get("/funding/feed.atom?q=zephyr&feature=T1").content)
    assert [entry.title for entry in feed.entries] == ["Zephyr older call"]


def test_calendar_has_one_all_day_event_per_deadline(client, calls, day):
    older, newer = calls
    with time_machine.travel(day, tick=False):
        response = client.get("/funding/deadlines.ics?q=zephyr")
        again = client.get("/funding/deadlines.ics?q=zephyr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and "ClusterBridge" in str(calendar["PRODID"])
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    by_uid = {str(event["UID"]): event for event in events}
    deadline = day + datetime.timedelta(days=5)
    event = by_uid[f"instrument-{older.pk}-{deadline.isoformat()}@testserver"]
    assert event.decoded("DTSTART") == deadline and not isinstance(
        event.decoded("DTSTART"), datetime.datetime
    )
    assert event.decoded("DTEND") == deadline + datetime.timedelta(days=1)
    assert event["DTSTAMP"] and str(event["SUMMARY"]) == "Deadline: Zephyr older call"
    assert str(event["URL"]).startswith("http://testserver/")
    # UIDs are stable: a calendar that refreshes updates the same events.
    assert {
        str(e["UID"]) for e in icalendar.Calendar.from_ical(again.content).walk("VEVENT")
    } == set(by_uid)


@pytest.mark.parametrize(
    "url, code",
    [("/funding/feed.atom?feature=ZZ9", "ZZ9"), ("/funding/deadlines.ics?country=XX", "XX")],
)
def test_feeds_refuse_unknown_codes_and_say_which(client, url, code):
    response = client.get(url)
    assert response.status_code == 400
    assert code in response.content.decode()


def test_atom_feed_escapes_descriptions_and_names_itself_with_its_search(client, day):
    call = make_instrument("Zephyr markup call", deadlines=[day + datetime.timedelta(days=9)])
    call.description = "<img src=x onerror=alert(1)> & <b>bold</b>"
    call.save()
    with time_machine.travel(day, tick=False):
        response = client.get("/funding/feed.atom?q=zephyr+markup")
    feed = feedparser.parse(response.content)
    [entry] = feed.entries
    # A reader renders the HTML summary: the markup must arrive as text, not as elements.
    assert "<img" not in entry.summary and "&lt;img src=x" in entry.summary
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == ["http://testserver/funding/feed.atom?q=zephyr+markup"]
