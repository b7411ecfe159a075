"""Every form control of the organisation pages has a label; one h1 and a main landmark on
each (the checks of tests/foundation/test_accessibility.py)."""

import pytest

from clusterbridge.organisations import services
from tests.foundation.test_accessibility import check
from tests.organisations.conftest import acme, mobile_heights

pytestmark = pytest.mark.django_db

PAGES = [
    ("anonymous", "/organisations/"),
    ("anonymous", "/organisations/?type=sme&q=robot"),
    ("anonymous", "/organisations/acme-robotics/"),
    ("other_owner", "/organisations/acme-robotics/"),
    ("owner", "/organisations/acme-robotics/"),
    ("owner", "/organisations/new/"),
    ("owner", "/organisations/acme-robotics/edit/"),
    ("owner", "/organisations/acme-robotics/members/"),
    ("owner", "/organisations/acme-robotics/clusters/"),
    ("owner", "/organisations/acme-robotics/delete/"),
    ("manager", "/organisations/cluster-requests/"),
    ("manager", "/clusters/mobile-heights/"),
]


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_pages_are_labelled(users, client_for, role, url):
    services.request_to_join(acme(), users["other_manager"], "Hello")
    services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=True
    )
    response = client_for(role).get(url)
    assert response.status_code == 200, url
    check(response.content.decode(), url)
