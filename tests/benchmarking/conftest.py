"""Two clusters and their managers: mona manages Mobile Heights, max manages Minalogic;
bob is signed in and manages nothing; alice administers."""

import pytest

from clusterbridge.benchmarking import services
from clusterbridge.clusters import services as cluster_services
from clusterbridge.clusters.models import Cluster
from clusterbridge.taxonomy.models import Term, Vocabulary
from tests.conftest import make_user


def mobile_heights() -> Cluster:
    return Cluster.objects.get(slug="mobile-heights")


def minalogic() -> Cluster:
    return Cluster.objects.get(slug="minalogic")


@pytest.fixture
def people(db):
    admin = make_user("alice", superuser=True)
    people = {
        "anonymous": None,
        "member": make_user("bob"),
        "manager": make_user("mona"),
        "other_manager": make_user("max"),
        "admin": admin,
    }
    cluster_services.grant_manager(mobile_heights(), admin, people["manager"])
    cluster_services.grant_manager(minalogic(), admin, people["other_manager"])
    return people


@pytest.fixture
def signed_in(people):
    from django.test import Client

    def make(role: str) -> Client:
        client = Client()
        if people[role] is not None:
            client.force_login(people[role], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


# A complete set of answers that meets every eligibility rule.
FULL = {
    "I-01": 2008,
    "I-02": 40,
    "I-03": 30,
    "I-04": 5,
    "I-05": 5,
    "I-06": "Information and communication",
    "I-07": 30,
    "I-08": 25,
    "I-09": "yes",
    "II-01": 2,
    "II-02": 3,
    "II-03": 40,
    "II-04": 40,
    "II-05": 20,
    "II-06": ["rdi-support", "communication"],
    "II-07": 8,
    "II-08": 3,
    "II-09": "yes",
    "II-10": "Joint projects with two clusters.",
    "III-01": "yes",
    "III-02": "yes",
    "III-03": "yes",
    "III-04": "yes",
    "III-05": "yes",
    "III-06": "yes",
    "IV-01": "A regional innovation award.",
    "IV-02": "More members abroad.",
    "IV-03": "Training for the team.",
    "V-01": "regular",
    "V-02": "yes",
    "V-03": "yes",
    "V-04": "no",
    "V-05": "no",
    "V-06": "no",
    "V-07": "no",
    "V-08": "no",
}


@pytest.fixture
def draft(people):
    cluster = mobile_heights()
    if not cluster.sectors.exists():
        # Peers share a sector or an ecosystem; the catalogue keeps only the classifications
        # a source states, so the test states one.
        cluster.sectors.add(Term.objects.filter(vocabulary=Vocabulary.SECTORS).order_by("code")[0])
    return services.start_assessment(cluster, people["manager"])


@pytest.fixture
def submitted(people, draft):
    services.save_answers(draft, people["manager"], FULL)
    return services.submit(draft, people["manager"])
