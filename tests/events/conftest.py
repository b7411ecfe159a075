"""An on-site brokerage event organised by Mobile Heights (managed by mona), with two
meeting sessions cut into 30-minute slots and two tables, and people to register."""

import datetime

import pytest
from django.utils import timezone

from clusterbridge.clusters import services as cluster_services
from clusterbridge.clusters.models import Cluster
from clusterbridge.events import participant_facts, services
from clusterbridge.organisations import services as organisation_services
from clusterbridge.taxonomy.models import Country, Feature, Term
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _forget_participant_facts():
    """Each test's database is rolled back and may reuse an event's id and, with the clock
    frozen, its profiles version: facts a process kept from another test would be wrong."""
    participant_facts.forget()
    yield
    participant_facts.forget()


def event_values(**changes) -> dict:
    start = (timezone.now() + datetime.timedelta(days=30)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    values = {
        "title": "Wind energy brokerage",
        "kind": "brokerage",
        "organiser_cluster": Cluster.objects.get(slug="mobile-heights"),
        "description": "One-to-one meetings on offshore wind.",
        "venue": "Malmö Live, Dag Hammarskjölds torg 4",
        "city": "Malmö",
        "country": Country.objects.get(code="SE"),
        "time_zone": "Europe/Stockholm",
        "start": start,
        "end": start + datetime.timedelta(hours=8),
        "tables": 2,
        "max_pending_requests": 3,
        "questions": "What do you hope to find?",
        "ecosystems": list(Term.objects.filter(vocabulary="ecosystems", code="renewable-energy")),
        "features": list(Feature.objects.filter(code__in=["T1"])),
    }
    values.update(changes)
    return values


@pytest.fixture
def manager(users):
    admin = users["admin"]
    cluster_services.grant_manager(
        Cluster.objects.get(slug="mobile-heights"), admin, users["manager"]
    )
    return users["manager"]


@pytest.fixture
def event(manager):
    event = services.events.create(manager, event_values()).obj
    services.set_sessions(
        event,
        manager,
        [
            (event.start + datetime.timedelta(hours=1), event.start + datetime.timedelta(hours=2)),
            (event.start + datetime.timedelta(hours=4), event.start + datetime.timedelta(hours=5)),
        ],
    )
    return event


ANSWERS = {"What do you hope to find?": "Partners"}


@pytest.fixture
def person():
    """person("ann", features=["T1"]) → a verified user owning an organisation."""
    counter = iter(range(1000))

    def make(name, *, features=(), description="", country="SE"):
        user = make_user(name)
        organisation = organisation_services.create_organisation(
            user,
            {
                "name": f"{name.title()} Org {next(counter)}",
                "type": "sme",
                "country": Country.objects.get(code=country),
                "description": description,
                "features": list(Feature.objects.filter(code__in=features)),
            },
        )
        return user, organisation

    return make


@pytest.fixture
def registered(event, person):
    """registered("ann", ...) → the confirmed registration (and the person's profile)."""
    from clusterbridge.events import matchmaking

    def make(name, **kwargs):
        user, organisation = person(name, **kwargs)
        registration = services.register_for(
            event, user, organisation=organisation, answers=ANSWERS
        )
        return matchmaking.join_matchmaking(registration, user)

    return make
