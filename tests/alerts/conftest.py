"""A real SMTP server on 127.0.0.1 (aiosmtpd) that the alerts are sent to, and instruments
with a distinctive word in their name so searches find only them."""

import datetime
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from clusterbridge.core import history
from clusterbridge.funding.models import Instrument
from clusterbridge.taxonomy.models import Country, Feature


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        with self.lock:
            self.envelopes.append(envelope)
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str):
        return [m for m in self.messages if address in m["To"]]

    def body(self, message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://cb.example.org"
    yield mailbox
    controller.stop()


def make_instrument(
    name: str,
    *,
    features=(),
    country=None,
    deadlines=(),
    opening=None,
    origin="international",
    created_at=None,
) -> Instrument:
    instrument = Instrument(
        name=name,
        origin=origin,
        kind="call",
        country=Country.objects.get(code=country) if country else None,
        deadline_dates=[d.isoformat() for d in deadlines],
        opening_date=opening,
        description=f"{name}: a test call.",
    )
    if created_at is not None:
        instrument.created_at = created_at
    history.save(instrument, m2m={"features": list(Feature.objects.filter(code__in=features))})
    return instrument


@pytest.fixture
def make_call():
    return make_instrument


@pytest.fixture
def day():
    return datetime.date(2031, 3, 2)
