"""People around two organisations and two clusters, one per role of the permission matrix:

- `owner` olga and `member` mel belong to Acme Robotics (Sweden);
- `other_owner` otto owns Beta Labs (another organisation);
- `manager` mona manages Mobile Heights; `other_manager` max manages Minalogic;
- `unverified` uma is signed in without a confirmed e-mail address; `admin` alice.
"""

import pytest
from django.apps import apps

from clusterbridge.accounts import roles
from clusterbridge.clusters import services as cluster_services
from clusterbridge.clusters.models import Cluster
from clusterbridge.organisations import services
from clusterbridge.organisations.models import Membership, Organisation
from clusterbridge.taxonomy.models import Country, Feature, Term
from tests.conftest import make_user

ROLES = (
    "anonymous",
    "unverified",
    "other_owner",
    "owner",
    "member",
    "manager",
    "other_manager",
    "admin",
)


def make_unverified(username: str, monkeypatch):
    """A signed-in person whose e-mail address is not confirmed. With e-mail confirmation
    installed the account simply has no verified address; until then `is_verified` is told."""
    user = make_user(username)
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=user).update(verified=False)
    else:
        real = roles.is_verified
        monkeypatch.setattr(
            roles, "is_verified", lambda u: real(u) and getattr(u, "username", "") != username
        )
    return user


def organisation_values(**changes) -> dict:
    values = {
        "name": "Acme Robotics",
        "type": "sme",
        "country": Country.objects.get(code="SE"),
        "region": "Skåne",
        "website": "https://acme.example",
        "description": "Robots that inspect wind turbines.",
        "size": "10-49",
        "features": list(Feature.objects.filter(code__in=["T1", "D2"])),
        "ecosystems": list(Term.objects.filter(vocabulary="ecosystems", code="renewable-energy")),
        "sectors": list(Term.objects.filter(vocabulary="sectors", code="energy")),
    }
    values.update(changes)
    return values


@pytest.fixture
def users(db, monkeypatch):
    admin = make_user("alice", superuser=True)
    people = {
        "anonymous": None,
        "unverified": make_unverified("uma", monkeypatch),
        "other_owner": make_user("otto"),
        "owner": make_user("olga"),
        "member": make_user("mel"),
        "manager": make_user("mona"),
        "other_manager": make_user("max"),
        "admin": admin,
    }
    acme = services.create_organisation(people["owner"], organisation_values())
    joined = services.request_to_join(acme, people["member"])
    services.approve_request(joined, people["owner"])
    services.create_organisation(
        people["other_owner"],
        organisation_values(name="Beta Labs", type="research-organisation", country=None),
    )
    cluster_services.grant_manager(mobile_heights(), admin, people["manager"])
    cluster_services.grant_manager(minalogic(), admin, people["other_manager"])
    return people


def acme() -> Organisation:
    return Organisation.all_objects.get(name="Acme Robotics")


def beta() -> Organisation:
    return Organisation.all_objects.get(name="Beta Labs")


def mobile_heights() -> Cluster:
    return Cluster.objects.get(slug="mobile-heights")


def minalogic() -> Cluster:
    return Cluster.objects.get(slug="minalogic")


def membership(username: str, organisation=None) -> Membership:
    return Membership.all_objects.get(user__username=username, organisation=organisation or acme())
