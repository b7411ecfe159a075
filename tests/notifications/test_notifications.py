"""The one outbox: notify once per key, urgent mail at the next run, the rest as one digest
per person once it has waited, never a mail twice — even with two runs at once."""

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from clusterbridge.notifications import services
from clusterbridge.notifications.models import Notification
from tests.alerts.conftest import smtp  # noqa: F401 — a real SMTP server fixture
from tests.conftest import make_user
from tests.threads import race

pytestmark = pytest.mark.django_db


def later(minutes: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_notify_is_idempotent_per_key_and_skips_inactive_people(users):
    bob = users["member"]
    first = services.notify(bob, kind="t.x", subject="Hello", key="post:1:match")
    again = services.notify(bob, kind="t.x", subject="Hello again", key="post:1:match")
    assert first is not None and again.pk == first.pk
    assert Notification.objects.filter(recipient=bob).count() == 1
    bob.is_active = False
    bob.save()
    assert services.notify(bob, kind="t.x", subject="x", key="other") is None
    assert services.notify(None, kind="t.x", subject="x", key="other") is None


def test_notify_many_stores_one_row_per_new_recipient(users):
    bob, erin, mona = users["member"], users["editor"], users["manager"]
    services.notify(bob, kind="m", subject="s", key="post:7")
    created = services.notify_many([bob, erin, mona, None], kind="m", subject="s", key="post:7")
    assert created == 2
    assert Notification.objects.filter(key="post:7").count() == 3


def test_subjects_are_one_line_so_they_cannot_inject_mail_headers(users):
    n = services.notify(users["member"], kind="m", subject="Hi\r\nBcc: evil@example.org", key="k")
    assert "\n" not in n.subject and "\r" not in n.subject


def test_urgent_is_mailed_at_the_next_run_and_only_once(users, settings):
    settings.SITE_URL = "https://cb.example.org"
    bob = users["member"]
    services.notify(
        bob, kind="m", subject="Crisis: masks needed", key="k1", url="/marketplace/1/", urgent=True
    )
    report = services.send_due()
    assert report.urgent == 1
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    assert "Crisis: masks needed" in message.subject
    assert "https://cb.example.org/marketplace/1/" in message.body
    assert services.send_due().urgent == 0
    assert len(mail.outbox) == 1


def test_other_notifications_wait_and_go_out_as_one_digest(users, settings):
    settings.NOTIFICATION_DIGEST_MINUTES = 60
    bob = users["member"]
    for n in range(3):
        services.notify(bob, kind="m", subject=f"Match number {n}", key=f"k{n}")
    assert services.send_due().digests == 0  # not waited long enough
    assert mail.outbox == []
    report = services.send_due(later(61))
    assert (report.digests, report.digest_items) == (1, 3)
    [message] = mail.outbox
    assert "3 updates" in message.subject
    for n in range(3):
        assert f"Match number {n}" in message.body
    assert services.send_due(later(200)).digests == 0


def test_a_failed_mail_is_tried_again_at_the_next_run(users):
    services.notify(users["member"], kind="m", subject="Try me", key="k", urgent=True)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        assert services.send_due().failed == 1
    assert services.send_due().urgent == 1
    assert len(mail.outbox) == 1


def test_a_person_without_an_address_keeps_it_on_the_site_only(users):
    bob = users["member"]
    bob.email = ""
    bob.save()
    n = services.notify(bob, kind="m", subject="Quiet", key="k", urgent=True)
    services.send_due()
    assert mail.outbox == []
    n.refresh_from_db()
    assert n.sent_at is not None and n.read_at is None


def test_the_command_reports_what_it_sent(users):
    services.notify(users["member"], kind="m", subject="Now", key="k", urgent=True)
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert "urgent sent: 1" in out.getvalue()


def test_the_inbox_shows_only_my_notifications_and_marks_them_read(users, client_for):
    services.notify(users["member"], kind="m", subject="For <b>Bob</b>", key="k", url="/x/")
    services.notify(users["editor"], kind="m", subject="For Erin", key="k")
    page = client_for("member").get("/notifications/")
    body = page.content.decode()
    assert "For &lt;b&gt;Bob&lt;/b&gt;" in body and "For Erin" not in body
    assert "1 unread" in body
    client_for("member").post("/notifications/read/", {"all": "1"})
    assert Notification.objects.get(recipient=users["member"]).read_at is not None
    assert Notification.objects.get(recipient=users["editor"]).read_at is None
    assert client_for("anonymous").get("/notifications/").status_code == 302


def test_marking_read_needs_a_post_with_the_csrf_token(users):
    from django.test import Client

    services.notify(users["member"], kind="m", subject="s", key="k")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["member"])
    assert strict.post("/notifications/read/", {"all": "1"}).status_code == 403
    assert strict.get("/notifications/read/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_mail_each_notification_once(reference_data, smtp):  # noqa: F811
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is not shared between threads")
    people = [make_user(f"person{n}") for n in range(5)]
    for person in people:
        services.notify(person, kind="m", subject="Urgent", key="u", urgent=True)
        for n in range(3):
            services.notify(person, kind="m", subject=f"Digest {n}", key=f"d{n}")
    reports = race(lambda: services.send_due(later(120)), lambda: services.send_due(later(120)))
    assert sum(r.urgent for r in reports) == 5
    assert sum(r.digest_items for r in reports) == 15
    assert len(smtp.messages) == 10
    for person in people:
        assert len(smtp.to(person.email)) == 2
