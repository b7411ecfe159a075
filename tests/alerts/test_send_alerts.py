"""`send_alerts` against a real SMTP server: digests due daily or weekly with only new calls,
reminders exactly 7 days before a watched deadline, nothing ever sent twice."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from clusterbridge.alerts import services
from clusterbridge.alerts.models import SavedSearch, SentItem, SentReminder
from clusterbridge.taxonomy.models import Country, Feature
from tests.alerts.conftest import make_instrument
from tests.threads import race

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(day: datetime.date, hour: int = 6) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


def run() -> str:
    out = io.StringIO()
    call_command("send_alerts", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def saved(user, query: str, frequency: str, name="Zephyr calls") -> SavedSearch:
    alert = SavedSearch(name=name, kind="search", query=query, frequency=frequency)
    return services.save_alert(alert, user=user)


def test_a_daily_digest_is_sent_a_day_later_with_the_matching_calls_only(users, smtp, day):
    bob = users["member"]
    with time_machine.travel(at(day), tick=False):
        make_instrument("Zephyr robotics call", deadlines=[day + datetime.timedelta(days=40)])
        make_instrument("Unrelated call", deadlines=[day + datetime.timedelta(days=40)])
        saved(bob, "q=zephyr", "daily")
        assert "digests sent: 0" in run()  # not due yet
    assert smtp.messages == []
    with time_machine.travel(at(day + datetime.timedelta(days=1)), tick=False):
        output = run()
    assert "digests sent: 1 (1 call(s))" in output
    [message] = smtp.to("bob@example.org")
    body = smtp.body(message)
    assert "Zephyr robotics call" in body and "Unrelated" not in body
    assert "Zephyr calls" in message["Subject"]
    assert "https://cb.example.org/funding/?q=zephyr" in body


def test_running_twice_sends_nothing_twice_and_later_only_new_calls(users, smtp, day):
    bob = users["member"]
    with time_machine.travel(at(day), tick=False):
        make_instrument("Zephyr first call", deadlines=[day + datetime.timedelta(days=60)])
        alert = saved(bob, "q=zephyr", "daily")
    with time_machine.travel(at(day + datetime.timedelta(days=1)), tick=False):
        run()
        assert "digests sent: 0" in run()  # same moment, second run: nothing
    assert len(smtp.messages) == 1
    with time_machine.travel(at(day + datetime.timedelta(days=1), 15), tick=False):
        make_instrument("Zephyr second call", deadlines=[day + datetime.timedelta(days=60)])
        run()  # the next digest is only due tomorrow morning
    assert len(smtp.messages) == 1
    with time_machine.travel(at(day + datetime.timedelta(days=2)), tick=False):
        run()
        run()
    assert len(smtp.messages) == 2
    second = smtp.body(smtp.messages[1])
    assert "Zephyr second call" in second and "Zephyr first call" not in second
    assert SentItem.objects.filter(alert=alert).count() == 2
    with time_machine.travel(at(day + datetime.timedelta(days=3)), tick=False):
        assert "digests sent: 0" in run()  # nothing new: no empty e-mail
    assert len(smtp.messages) == 2


def test_a_weekly_digest_waits_a_week(users, smtp, day):
    bob = users["member"]
    with time_machine.travel(at(day), tick=False):
        make_instrument("Zephyr weekly call", deadlines=[day + datetime.timedelta(days=60)])
        saved(bob, "q=zephyr", "weekly")
    for days in range(1, 7):
        with time_machine.travel(at(day + datetime.timedelta(days=days)), tick=False):
            run()
    assert smtp.messages == []
    with time_machine.travel(at(day + datetime.timedelta(days=7)), tick=False):
        run()
    assert len(smtp.messages) == 1


def test_no_digest_for_never_deleted_or_closed(users, smtp, day):
    bob = users["member"]
    with time_machine.travel(at(day), tick=False):
        make_instrument("Zephyr closed call", deadlines=[day - datetime.timedelta(days=1)])
        saved(bob, "q=zephyr", "daily", name="closed only")
        make_instrument("Quokka open call", deadlines=[day + datetime.timedelta(days=30)])
        saved(bob, "q=quokka", "never", name="no mail")
        deleted = saved(bob, "q=quokka", "daily", name="deleted")
        services.delete_alert(deleted, user=bob)
    with time_machine.travel(at(day + datetime.timedelta(days=8)), tick=False):
        run()
    assert smtp.messages == []


def test_reminder_exactly_seven_days_before_each_deadline_once(users, smtp, day):
    bob = users["member"]
    first, second = day + datetime.timedelta(days=10), day + datetime.timedelta(days=20)
    with time_machine.travel(at(day), tick=False):
        call = make_instrument("Zephyr watched call", deadlines=[first, second])
        watch = services.watch(call, user=bob)
        run()
    assert smtp.messages == []
    with time_machine.travel(at(first - datetime.timedelta(days=8)), tick=False):
        run()
    assert smtp.messages == []
    with time_machine.travel(at(first - datetime.timedelta(days=7)), tick=False):
        assert "reminders sent: 1" in run()
        assert "reminders sent: 0" in run()
    [message] = smtp.messages
    assert "Deadline in 7 day(s): Zephyr watched call" in message["Subject"]
    assert first.isoformat() in smtp.body(message)
    with time_machine.travel(at(first - datetime.timedelta(days=6)), tick=False):
        run()
    assert len(smtp.messages) == 1
    with time_machine.travel(at(second - datetime.timedelta(days=7)), tick=False):
        run()
    assert len(smtp.messages) == 2
    assert sorted(SentReminder.objects.filter(watch=watch).values_list("deadline", flat=True)) == [
        first,
        second,
    ]


def test_a_call_watched_on_its_deadline_day_still_gets_a_reminder(users, smtp, day):
    bob = users["member"]
    with time_machine.travel(at(day), tick=False):
        call = make_instrument("Zephyr last-day call", deadlines=[day])
        services.watch(call, user=bob)
        assert "reminders sent: 1" in run()
    [message] = smtp.messages
    assert "Zephyr last-day call" in message["Subject"]


def test_no_reminder_after_unwatching(users, smtp, day):
    bob = users["member"]
    deadline = day + datetime.timedelta(days=7)
    with time_machine.travel(at(day), tick=False):
        call = make_instrument("Zephyr unwatched call", deadlines=[deadline])
        services.unwatch(services.watch(call, user=bob), user=bob)
        run()
    assert smtp.messages == []


def test_a_refused_mail_is_tried_again_next_run(users, smtp, settings, day):
    bob = users["member"]
    with time_machine.travel(at(day), tick=False):
        call = make_instrument("Zephyr retried call", deadlines=[day + datetime.timedelta(days=7)])
        services.watch(call, user=bob)
        saved(bob, "q=zephyr", "daily")
    with time_machine.travel(at(day + datetime.timedelta(days=1)), tick=False):
        good_port = settings.EMAIL_PORT
        settings.EMAIL_PORT = 1  # nothing listens there
        output = run()
        assert "failed: 2" in output
        assert not SentItem.objects.exists() and not SentReminder.objects.exists()
        settings.EMAIL_PORT = good_port
        output = run()
    assert "digests sent: 1" in output and "reminders sent: 1" in output
    assert len(smtp.messages) == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_mail_once(reference_data, smtp, day):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is not shared between threads")
    from tests.conftest import make_user

    users = [make_user(f"user{n}") for n in range(4)]
    with time_machine.travel(at(day), tick=False):
        call = make_instrument(
            "Zephyr concurrent call", deadlines=[day + datetime.timedelta(days=7)]
        )
        for user in users:
            saved(user, "q=zephyr", "daily")
            services.watch(call, user=user)
    reports = race(
        lambda: services.send_alerts(at(day + datetime.timedelta(days=1))),
        lambda: services.send_alerts(at(day + datetime.timedelta(days=1))),
    )
    assert len(reports) == 2
    assert sum(r.digests for r in reports) == 4
    assert sum(r.reminders for r in reports) == 4
    assert len(smtp.messages) == 8
    for user in users:
        assert len(smtp.to(user.email)) == 2


def test_a_digest_is_claimed_by_one_run_only(users, day):
    with time_machine.travel(at(day), tick=False):
        alert = saved(users["member"], "q=zephyr", "daily")
    now = at(day + datetime.timedelta(days=1))
    # Two runs read the same due alert before either claims it.
    first_read = SavedSearch.objects.get(pk=alert.pk)
    second_read = SavedSearch.objects.get(pk=alert.pk)
    assert services._claim(first_read, now) is True
    assert services._claim(second_read, now) is False
    assert SavedSearch.objects.get(
        pk=alert.pk
    ).next_run_at == first_read.next_run_at + datetime.timedelta(days=1)


def test_a_profile_digest_lists_open_calls_it_is_eligible_for(users, smtp, day, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "clusterbridge.matching.engine", None)  # overlap fallback
    bob = users["member"]
    with time_machine.travel(at(day), tick=False):
        later = [day + datetime.timedelta(days=30)]
        make_instrument(
            "Zephyr Lithuanian drones",
            features=["T13"],
            country="LT",
            origin="national",
            deadlines=later,
        )
        make_instrument(
            "Zephyr Spanish drones",
            features=["T13"],
            country="ES",
            origin="national",
            deadlines=later,
        )
        alert = SavedSearch(name="My drone", kind="profile", frequency="daily")
        alert.country = Country.objects.get(code="LT")
        services.save_alert(alert, user=bob, features=Feature.objects.filter(code="T13"))
    with time_machine.travel(at(day + datetime.timedelta(days=1)), tick=False):
        run()
    [message] = smtp.messages
    body = smtp.body(message)
    assert "Zephyr Lithuanian drones" in body and "Zephyr Spanish drones" not in body
    assert "solution profile" in body
