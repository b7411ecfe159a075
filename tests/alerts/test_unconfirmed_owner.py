"""Alerts of an account whose e-mail address is not confirmed yet are kept but not mailed:
anyone can sign up with someone else's address. After confirmation the next digest lists
everything new since the alert was saved."""

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress

from clusterbridge.alerts import services
from clusterbridge.alerts.models import SavedSearch, WatchedCall
from tests.alerts.conftest import make_instrument
from tests.alerts.test_send_alerts import at, run
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_no_digest_or_reminder_goes_to_an_unconfirmed_address(smtp, day):
    nora = make_user("nora", verified=False)
    with time_machine.travel(at(day), tick=False):
        call = make_instrument("Zephyr drones call", deadlines=[day + datetime.timedelta(days=7)])
        services.save_alert(
            SavedSearch(name="Zephyr", kind="search", query="q=zephyr", frequency="daily"),
            user=nora,
        )
        services.watch(call, user=nora)
    assert WatchedCall.objects.filter(owner=nora).exists()
    with time_machine.travel(at(day + datetime.timedelta(days=1)), tick=False):
        output = run()
    assert "digests sent: 0" in output and smtp.to("nora@example.org") == []

    EmailAddress.objects.filter(user=nora).update(verified=True)
    with time_machine.travel(at(day + datetime.timedelta(days=2)), tick=False):
        run()
    subjects = [message["Subject"] for message in smtp.to("nora@example.org")]
    assert any("Zephyr" in subject and "new call" in subject for subject in subjects)
    assert any("Deadline in 5 day(s)" in subject for subject in subjects)
