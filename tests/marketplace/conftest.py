"""The people of the organisations tests (tests/organisations/conftest.py) around the
marketplace:

- Acme Robotics (owner olga, member mel) is an approved member of Mobile Heights, whose
  manager is mona; max manages Minalogic (another cluster);
- Beta Labs (owner otto) is in no cluster: its posts go straight to the moderators;
- alice is the administrator, hence a moderator; uma is unverified.
"""

import datetime

import pytest
from django.utils import timezone

from clusterbridge.marketplace import services
from clusterbridge.marketplace.models import Post
from clusterbridge.organisations import services as organisation_services
from clusterbridge.organisations.models import ClusterMembership
from clusterbridge.taxonomy.models import Country, Feature, Term
from tests.organisations.conftest import (  # noqa: F401 (fixtures and helpers)
    ROLES,
    acme,
    beta,
    make_unverified,
    minalogic,
    mobile_heights,
)
from tests.organisations.conftest import users as organisation_users  # noqa: F401


@pytest.fixture
def users(organisation_users):  # noqa: F811
    link = organisation_services.request_cluster_membership(
        acme(), organisation_users["owner"], mobile_heights(), show_publicly=True
    )
    organisation_services.approve_cluster_membership(link, organisation_users["manager"])
    assert ClusterMembership.objects.filter(status="approved").count() == 1
    return organisation_users


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def post_values(**changes) -> dict:
    values = {
        "organisation": acme(),
        "kind": "offer",
        "title": "Face masks, 200,000 a week",
        "description": "FFP2 masks made in Skåne, certified.",
        "features": list(Feature.objects.filter(code__in=["T1", "D2"])),
        "ecosystems": list(Term.objects.filter(vocabulary="ecosystems", code="health")),
        "sectors": [],
        "countries": list(Country.objects.filter(code__in=["SE", "DK"])),
        "quantity": 200000,
        "unit": "masks per week",
        "urgency": "normal",
        "valid_until": in_days(60),
    }
    values.update(changes)
    return values


def make_post(user, **changes) -> Post:
    return services.posts.create(user, post_values(**changes)).obj


def publish(post: Post, users) -> Post:
    """Through the whole life cycle as the right people."""
    post = services.submit(
        post, users["owner"] if post.organisation == acme() else users["other_owner"]
    )
    if post.status == "submitted":
        post = services.prevalidate(post, users["manager"])
    return services.approve(post, users["admin"])
