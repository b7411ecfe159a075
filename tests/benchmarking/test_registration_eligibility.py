"""A cluster registration asks what the European definition of a cluster organisation needs
and shows the result to the registrant and the moderator; it informs, it does not reject.
A new assessment takes those answers over."""

import pytest

from clusterbridge.benchmarking import services
from clusterbridge.clusters.models import Cluster
from tests.conftest import make_user


def register(client, **values):
    data = {"name": "Fjord Robotics Cluster", "description": "Robots for the sea.", **values}
    return client.post("/clusters/register/", data)


@pytest.fixture
def registrant(db, client):
    user = make_user("rita")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def test_a_registration_that_meets_every_rule(client, registrant):
    response = register(
        client,
        management_fte="0.5",
        committed_participants="15",
        private_participants="8",
        services_past_year="5",
        priority_areas="2",
        eccp_listed="true",
    )
    assert response.status_code == 302
    cluster = Cluster.all_objects.get(name="Fjord Robotics Cluster")
    assert cluster.status == "pending"
    page = client.get(cluster.get_absolute_url()).content.decode()
    assert "Meets the European definition of a cluster organisation." in page


@pytest.mark.parametrize(
    ("changes", "failing"),
    [
        ({"management_fte": "0.49"}, "at least 0.5 full-time equivalent"),
        ({"committed_participants": "14", "private_participants": "8"}, "at least 15 clearly"),
        ({"private_participants": "7"}, "A majority of the committed participants"),
        ({"services_past_year": "4"}, "At least 5 different services"),
        ({"priority_areas": "1"}, "at least 2 defined strategic priority areas"),
        ({"eccp_listed": "false"}, "Listed on the European Cluster Collaboration Platform"),
    ],
)
def test_the_failing_rule_is_named_to_the_moderator_and_nothing_is_rejected(
    client, registrant, changes, failing
):
    values = {
        "management_fte": "0.5",
        "committed_participants": "15",
        "private_participants": "8",
        "services_past_year": "5",
        "priority_areas": "2",
        "eccp_listed": "true",
        **changes,
    }
    assert register(client, **values).status_code == 302
    cluster = Cluster.all_objects.get(name="Fjord Robotics Cluster")
    assert cluster.status == "pending"  # informs; does not reject
    summary = cluster.eligibility_summary()
    assert summary.startswith("Does not meet the European definition")
    assert failing.lower() in summary.lower()
    admin = make_user("alice", superuser=True)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/clusters/moderation/")
    if page.status_code == 200:  # administrators may first be asked for two-factor sign-in
        assert "Does not meet the European definition" in page.content.decode()


def test_unanswered_rules_are_unknown(client, registrant):
    register(client)
    cluster = Cluster.all_objects.get(name="Fjord Robotics Cluster")
    assert {rule.state for rule in cluster.eligibility()} == {"unknown"}
    assert cluster.eligibility_summary().startswith("Not known yet")


def test_more_private_than_committed_participants_is_refused(client, registrant):
    response = register(client, committed_participants="10", private_participants="12")
    assert response.status_code == 200
    assert "More private participants than committed ones." in response.content.decode()


def test_an_assessment_takes_over_the_registration_answers(db):
    from clusterbridge.clusters import services as cluster_services

    cluster = Cluster.objects.get(slug="minalogic")
    cluster.management_fte, cluster.committed_participants = 3, 400
    cluster.private_participants, cluster.eccp_listed = 300, True
    cluster.save()
    admin = make_user("alice", superuser=True)
    manager = make_user("max")
    cluster_services.grant_manager(cluster, admin, manager)
    assessment = services.start_assessment(cluster, manager)
    assert assessment.answers["II-01"] == 3
    assert assessment.answers["I-07"] == 400
    assert assessment.answers["I-09"] is True
