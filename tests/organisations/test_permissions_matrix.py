"""Every write of organisations, members and cluster memberships, tried on the pages and
the API by each role: anonymous, unverified, the owner of another organisation, the owner,
a member, the manager of the right cluster (Mobile Heights), the manager of another cluster
(Minalogic) and an administrator. Only the allowed roles change data; a refusal answers
302 (to sign-in), 401, 403 or 404 — or 400 where the person may act but the state forbids
it (e.g. a member asking to join again), and then nothing changes either."""

from dataclasses import dataclass, field

import pytest

from clusterbridge.organisations import services
from clusterbridge.organisations.models import ClusterMembership, Membership, Organisation
from clusterbridge.taxonomy.models import Feature
from tests.matrix import WriteCase, check_write
from tests.organisations.conftest import ROLES, acme, membership, mobile_heights

pytestmark = pytest.mark.django_db

VERIFIED = {"other_owner", "owner", "member", "manager", "other_manager", "admin"}
OWNERS = {"owner", "admin"}
MANAGERS = {"manager", "admin"}
NON_MEMBERS = {"other_owner", "manager", "other_manager", "admin"}
URL = "/organisations/acme-robotics"
API = "/api/v1/organisations/acme-robotics"


@dataclass(repr=False)
class Case(WriteCase):
    # Roles refused with 400 (allowed to try, but the state says no).
    refused_with_400: set[str] = field(default_factory=set)


def _form(**changes) -> dict:
    data = {
        "name": "Acme Robotics",
        "type": "sme",
        "country": "SE",
        "region": "Skåne",
        "website": "https://acme.example",
        "description": "Robots that inspect wind turbines.",
        "size": "10-49",
        "features": [
            str(pk) for pk in Feature.objects.filter(code="T1").values_list("pk", flat=True)
        ],
        "ecosystems": ["renewable-energy"],
        "sectors": ["energy"],
    }
    data.update(changes)
    return data


def _join_request(users):
    services.request_to_join(acme(), users["other_manager"], "Hello")


def _request_of_max():
    return membership("max")


def _cluster_request(users, *, show=True):
    services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=show
    )


def _approved_hidden(users):
    _cluster_request(users, show=False)
    services.approve_cluster_membership(_link(), users["manager"])


def _approved(users):
    _cluster_request(users)
    services.approve_cluster_membership(_link(), users["manager"])


def _link() -> ClusterMembership:
    return ClusterMembership.all_objects.get()


def _link_gone() -> bool:
    return _link().is_deleted


def _json(method, url, data=None):
    return lambda c: getattr(c, method)(url, data, format="json")


def _pending_request_made() -> bool:
    return Membership.objects.filter(organisation=acme(), status="pending").exists()


PAGE_CASES = [
    Case(
        "create an organisation (page)",
        lambda c: c.post("/organisations/new/", _form(name="Gamma Drones")),
        lambda: Organisation.objects.filter(name="Gamma Drones").exists(),
        allowed=VERIFIED,
    ),
    Case(
        "edit an organisation (page)",
        lambda c: c.post(f"{URL}/edit/", _form(region="Scania")),
        lambda: acme().region == "Scania",
        allowed=OWNERS,
    ),
    Case(
        "delete an organisation (page)",
        lambda c: c.post(f"{URL}/delete/"),
        lambda: acme().is_deleted,
        allowed=OWNERS,
    ),
    Case(
        "ask to join (page)",
        lambda c: c.post(f"{URL}/join/", {"message": "Hi"}),
        _pending_request_made,
        allowed=NON_MEMBERS,
    ),
    Case(
        "approve a join request (page)",
        lambda c: c.post(f"{URL}/members/{_request_of_max().pk}/approve/"),
        lambda: _request_of_max().status == "active",
        allowed=OWNERS,
        prepare=_join_request,
    ),
    Case(
        "decline a join request (page)",
        lambda c: c.post(f"{URL}/members/{_request_of_max().pk}/decline/", {"reason": "No"}),
        lambda: _request_of_max().status == "declined",
        allowed=OWNERS,
        prepare=_join_request,
    ),
    Case(
        "make a member an owner (page)",
        lambda c: c.post(f"{URL}/members/{membership('mel').pk}/promote/"),
        lambda: membership("mel").role == "owner",
        allowed=OWNERS,
    ),
    Case(
        "remove a member (page)",
        lambda c: c.post(f"{URL}/members/{membership('mel').pk}/remove/"),
        lambda: membership("mel").is_deleted,
        allowed=OWNERS,
    ),
    Case(
        "leave (page)",
        lambda c: c.post(f"{URL}/leave/"),
        lambda: Membership.objects.filter(organisation=acme()).count() < 2,
        # The owner is the last owner: refused with a message, like non-members.
        allowed={"member"},
    ),
    Case(
        "ask a cluster to list the organisation (page)",
        lambda c: c.post(f"{URL}/clusters/", {"cluster": "mobile-heights", "show_publicly": "on"}),
        lambda: ClusterMembership.objects.exists(),
        allowed=OWNERS,
    ),
    Case(
        "show a cluster membership publicly (page)",
        lambda c: c.post(f"{URL}/clusters/{_link().pk}/show/"),
        lambda: _link().show_publicly,
        allowed=OWNERS,
        prepare=_approved_hidden,
    ),
    Case(
        "withdraw a cluster membership (page)",
        lambda c: c.post(f"{URL}/clusters/{_link().pk}/withdraw/"),
        _link_gone,
        allowed=OWNERS,
        prepare=_approved,
    ),
    Case(
        "approve a cluster membership (page)",
        lambda c: c.post(f"/organisations/cluster-requests/{_link().pk}/approve/"),
        lambda: _link().status == "approved",
        allowed=MANAGERS,
        prepare=_cluster_request,
    ),
    Case(
        "decline a cluster membership (page)",
        lambda c: c.post(
            f"/organisations/cluster-requests/{_link().pk}/decline/", {"reason": "Unknown"}
        ),
        lambda: _link().status == "declined",
        allowed=MANAGERS,
        prepare=_cluster_request,
    ),
    Case(
        "end a cluster membership as its cluster (page)",
        lambda c: c.post(f"/organisations/cluster-requests/{_link().pk}/end/"),
        _link_gone,
        allowed=MANAGERS,
        prepare=_approved,
    ),
]

API_CASES = [
    Case(
        "create an organisation (API)",
        _json(
            "post",
            "/api/v1/organisations/",
            {"name": "Gamma Drones", "type": "sme", "country": "FR", "features": ["T1"]},
        ),
        lambda: Organisation.objects.filter(name="Gamma Drones").exists(),
        allowed=VERIFIED,
    ),
    Case(
        "edit an organisation (API)",
        _json("patch", f"{API}/", {"region": "Scania"}),
        lambda: acme().region == "Scania",
        allowed=OWNERS,
    ),
    Case(
        "delete an organisation (API)",
        _json("delete", f"{API}/"),
        lambda: acme().is_deleted,
        allowed=OWNERS,
    ),
    Case(
        "ask to join (API)",
        _json("post", f"{API}/join/", {"message": "Hi"}),
        _pending_request_made,
        allowed=NON_MEMBERS,
        refused_with_400={"owner", "member"},
    ),
    Case(
        "leave (API)",
        _json("post", f"{API}/leave/"),
        lambda: Membership.objects.filter(organisation=acme()).count() < 2,
        allowed={"member"},
        refused_with_400={
            "unverified",
            "owner",
            "other_owner",
            "manager",
            "other_manager",
            "admin",
        },
    ),
    Case(
        "approve a join request (API)",
        lambda c: c.post(f"{API}/members/{_request_of_max().pk}/approve/"),
        lambda: _request_of_max().status == "active",
        allowed=OWNERS,
        prepare=_join_request,
    ),
    Case(
        "decline a join request (API)",
        lambda c: c.post(f"{API}/members/{_request_of_max().pk}/decline/", {"reason": "No"}),
        lambda: _request_of_max().status == "declined",
        allowed=OWNERS,
        prepare=_join_request,
    ),
    Case(
        "make a member an owner (API)",
        lambda c: c.post(f"{API}/members/{membership('mel').pk}/role/", {"role": "owner"}),
        lambda: membership("mel").role == "owner",
        allowed=OWNERS,
    ),
    Case(
        "remove a member (API)",
        lambda c: c.post(f"{API}/members/{membership('mel').pk}/remove/"),
        lambda: membership("mel").is_deleted,
        allowed=OWNERS,
    ),
    Case(
        "ask a cluster to list the organisation (API)",
        _json("post", f"{API}/clusters/", {"cluster": "mobile-heights", "show_publicly": True}),
        lambda: ClusterMembership.objects.exists(),
        allowed=OWNERS,
    ),
    Case(
        "approve a cluster membership (API)",
        lambda c: c.post(f"/api/v1/cluster-memberships/{_link().pk}/approve/"),
        lambda: _link().status == "approved",
        allowed=MANAGERS,
        prepare=_cluster_request,
    ),
    Case(
        "decline a cluster membership (API)",
        lambda c: c.post(
            f"/api/v1/cluster-memberships/{_link().pk}/decline/", {"reason": "Unknown"}
        ),
        lambda: _link().status == "declined",
        allowed=MANAGERS,
        prepare=_cluster_request,
    ),
    Case(
        "show a cluster membership publicly (API)",
        lambda c: c.patch(
            f"/api/v1/cluster-memberships/{_link().pk}/", {"show_publicly": True}, format="json"
        ),
        lambda: _link().show_publicly,
        allowed=OWNERS,
        prepare=_approved_hidden,
    ),
    Case(
        "end a cluster membership (API)",
        lambda c: c.delete(f"/api/v1/cluster-memberships/{_link().pk}/"),
        _link_gone,
        # Either side: the organisation's owner or the cluster's manager.
        allowed={"owner", "manager", "admin"},
        prepare=_approved,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", PAGE_CASES + API_CASES, ids=repr)
def test_write_permissions(case, role, users, client_for, api_client_for):
    factory = api_client_for if "(API)" in case.name else client_for
    if role in case.refused_with_400:
        if case.prepare:
            case.prepare(users)
        response = case.perform(factory(role))
        assert response.status_code == 400, f"{case.name} as {role}: {response.status_code}"
        assert response.json(), "a 400 says what was wrong"
        assert not case.changed(), f"{case.name} as {role} must not change the data"
        return
    check_write(case, role, users, factory)
