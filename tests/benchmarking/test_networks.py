"""A network sees aggregate figures over its members who agreed to share — never fewer than
5, never one organisation's answers."""

import pytest

from clusterbridge.benchmarking import services
from clusterbridge.benchmarking.generator import generate
from clusterbridge.benchmarking.models import Assessment
from clusterbridge.clusters.models import Network, NetworkMembership
from tests.benchmarking.conftest import mobile_heights


@pytest.fixture
def network(db):
    return Network.objects.create(code="test-alliance", name="Test Alliance", kind="national")


def join(network, assessments):
    for item in assessments:
        NetworkMembership.objects.create(cluster=item.cluster, network=network)
        item.is_synthetic = False  # stand-ins for real members
        item.save()


def test_only_members_who_agreed_count_and_only_from_5(network, client):
    members = generate(6, like=mobile_heights())
    join(network, members)
    page = client.get("/benchmarking/networks/test-alliance/")
    assert page.status_code == 200
    assert "0 members agreed so far" in page.content.decode()
    Assessment.objects.filter(pk__in=[m.pk for m in members[:4]]).update(share_with_networks=True)
    assert (
        "4 members agreed so far"
        in client.get("/benchmarking/networks/test-alliance/").content.decode()
    )
    Assessment.objects.filter(pk=members[4].pk).update(share_with_networks=True)
    html = client.get("/benchmarking/networks/test-alliance/").content.decode()
    assert "Scores of 5 members" in html
    for member in members:
        assert member.cluster.name not in html


def test_a_manager_shares_from_the_report_and_can_stop(submitted, signed_in):
    client = signed_in("manager")
    response = client.post(f"/benchmarking/assessments/{submitted.pk}/sharing/", {"share": "1"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.share_with_networks is True
    client.post(f"/benchmarking/assessments/{submitted.pk}/sharing/", {"share": "0"})
    submitted.refresh_from_db()
    assert submitted.share_with_networks is False
    other = signed_in("other_manager").post(
        f"/benchmarking/assessments/{submitted.pk}/sharing/", {"share": "1"}
    )
    assert other.status_code == 404


def test_sharing_is_off_by_default(people):
    assert (
        services.start_assessment(mobile_heights(), people["manager"]).share_with_networks is False
    )
