import pytest

from clusterbridge.clusters import services
from clusterbridge.clusters.models import Cluster


@pytest.fixture
def mobile_heights(db):
    return Cluster.objects.get(slug="mobile-heights")


@pytest.fixture
def managed(users, mobile_heights):
    """Mobile Heights, managed by mona (the cluster-manager user), not trusted."""
    services.grant_manager(mobile_heights, users["admin"], users["manager"])
    return mobile_heights
