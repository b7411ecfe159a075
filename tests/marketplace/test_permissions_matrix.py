"""Every write of the marketplace, tried on the pages by each role: anonymous, unverified,
the owner of another organisation (Beta Labs), the owner and a member of Acme Robotics
(the post's organisation), the manager of Acme's cluster (Mobile Heights), the manager of
another cluster (Minalogic) and an administrator (the moderators). Only the allowed roles
change data; a refusal answers 302 (to sign-in), 403 or 404, or redirects with a message
and changes nothing."""

import pytest

from clusterbridge.marketplace import services
from clusterbridge.marketplace.models import Message, Post
from clusterbridge.taxonomy.models import Feature
from tests.marketplace.conftest import in_days, make_post, publish
from tests.organisations.conftest import ROLES, acme

pytestmark = pytest.mark.django_db

ACME_MEMBERS = {"owner", "member"}


def _post() -> Post:
    return Post.all_objects.get()


def _draft(users):
    make_post(users["owner"])


def _submitted(users):
    services.submit(make_post(users["owner"]), users["owner"])


def _prevalidated(users):
    _submitted(users)
    services.prevalidate(_post(), users["manager"])


def _published(users):
    publish(make_post(users["owner"]), users)


def _form(**changes) -> dict:
    data = {
        "organisation": str(acme().pk),
        "kind": "offer",
        "title": "Gloves",
        "description": "Nitrile gloves.",
        "features": [str(Feature.objects.get(code="T1").pk)],
        "urgency": "normal",
        "valid_until": in_days(30).isoformat(),
    }
    data.update(changes)
    return data


CASES = [
    (
        "create a post for Acme",
        None,
        lambda c: c.post("/marketplace/new/", _form()),
        lambda: Post.objects.filter(title="Gloves").exists(),
        ACME_MEMBERS,
    ),
    (
        "edit a draft",
        _draft,
        lambda c: c.post(f"/marketplace/{_post().pk}/edit/", _form(title="Changed")),
        lambda: _post().title == "Changed",
        ACME_MEMBERS | {"admin"},
    ),
    (
        "submit a draft",
        _draft,
        lambda c: c.post(f"/marketplace/{_post().pk}/submit/"),
        lambda: _post().status == "submitted",
        ACME_MEMBERS | {"admin"},
    ),
    (
        "pre-validate",
        _submitted,
        lambda c: c.post(f"/marketplace/{_post().pk}/prevalidate/"),
        lambda: _post().status == "moderation",
        {"manager", "admin"},
    ),
    (
        "send back (cluster)",
        _submitted,
        lambda c: c.post(f"/marketplace/{_post().pk}/send-back/", {"reason": "No"}),
        lambda: _post().status == "returned",
        {"manager", "admin"},
    ),
    (
        "approve",
        _prevalidated,
        lambda c: c.post(f"/marketplace/{_post().pk}/approve/"),
        lambda: _post().status == "published",
        {"admin"},
    ),
    (
        "withdraw",
        _published,
        lambda c: c.post(f"/marketplace/{_post().pk}/withdraw/"),
        lambda: _post().status == "withdrawn",
        ACME_MEMBERS | {"admin"},
    ),
    (
        "write to the organisation",
        _published,
        lambda c: c.post(f"/marketplace/{_post().pk}/message/", {"body": "Hello"}),
        lambda: Message.objects.exists(),
        {"other_owner", "manager", "other_manager", "admin"},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_permission_matrix(users, client_for, case, role):
    name, prepare, perform, changed, allowed = case
    if prepare:
        prepare(users)
    assert not changed(), f"{name}: changed before the write"
    response = perform(client_for(role))
    if role in allowed:
        assert response.status_code < 400, f"{name} as {role}: {response.status_code}"
        assert changed(), f"{name} as {role} should have changed the data"
    else:
        # 200: the form again, with the organisation refused as a choice.
        assert response.status_code in (200, 302, 403, 404), f"{name} as {role}"
        assert not changed(), f"{name} as {role} must not change the data"
