"""The life cycle of a post, step by step through the services: draft → submitted →
pre-validated by the organisation's cluster → approved by a moderator → published →
expired or withdrawn; each step in the history and notified to the author."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusterbridge.core import history
from clusterbridge.marketplace import services
from clusterbridge.marketplace.models import Post
from clusterbridge.notifications.models import Notification
from tests.marketplace.conftest import acme, beta, in_days, make_post, mobile_heights, publish

pytestmark = pytest.mark.django_db


def _actions(post: Post) -> list[str]:
    return list(history.history_of(post).order_by("time", "pk").values_list("action", flat=True))


def test_a_post_goes_from_draft_through_the_cluster_and_the_moderators_to_published(users):
    post = make_post(users["member"])
    assert post.status == "draft" and post.author == users["member"]
    assert not Post.objects.public().exists()

    post = services.submit(post, users["member"])
    assert post.status == "submitted"
    assert post.cluster == mobile_heights()  # the organisation's only cluster
    assert post in services.cluster_queue(users["manager"])
    assert post not in services.cluster_queue(users["other_manager"])
    assert not Post.objects.public().exists()

    post = services.prevalidate(post, users["manager"])
    assert post.status == "moderation" and post.prevalidated_by == users["manager"]
    assert post in services.moderation_queue(users["admin"])
    assert not Post.objects.public().exists()

    post = services.approve(post, users["admin"])
    assert post.status == "published" and post.published_at is not None
    assert list(Post.objects.public()) == [post]
    assert _actions(post) == ["create", "submit", "approve", "approve"]

    # The author was told at every step, once each.
    subjects = list(
        Notification.objects.filter(recipient=users["member"], kind="marketplace")
        .order_by("pk")
        .values_list("subject", flat=True)
    )
    assert subjects == [
        "Your post “Face masks, 200,000 a week” was submitted",
        "Mobile Heights pre-validated “Face masks, 200,000 a week”",
        "“Face masks, 200,000 a week” is published on the marketplace",
    ]


def test_the_cluster_managers_and_then_the_moderators_are_told_a_post_waits(users):
    post = services.submit(make_post(users["owner"]), users["owner"])
    assert Notification.objects.filter(recipient=users["manager"], kind="marketplace").exists()
    assert not Notification.objects.filter(recipient=users["admin"]).exists()
    services.prevalidate(post, users["manager"])
    assert Notification.objects.filter(recipient=users["admin"], kind="marketplace").exists()


def test_an_organisation_in_no_cluster_goes_straight_to_the_moderators(users):
    post = make_post(users["other_owner"], organisation=beta())
    post = services.submit(post, users["other_owner"])
    assert post.status == "moderation" and post.cluster is None
    post = services.approve(post, users["admin"])
    assert post.is_public


def test_the_cluster_sends_back_with_a_reason_and_the_author_submits_again(users):
    post = services.submit(make_post(users["owner"]), users["owner"])
    with pytest.raises(ValidationError):
        services.send_back(post, users["manager"], "  ")
    post = services.send_back(post, users["manager"], "Say where the masks are made.")
    assert post.status == "returned" and post.return_reason == "Say where the masks are made."
    note = Notification.objects.filter(recipient=users["owner"]).latest("pk")
    assert "Say where the masks are made." in note.body
    post = services.posts.update(post, users["owner"], {"description": "Made in Malmö."}).obj
    post = services.submit(post, users["owner"])
    assert post.status == "submitted" and post.return_reason == ""


def test_moderators_send_back_too(users):
    post = services.prevalidate(
        services.submit(make_post(users["owner"]), users["owner"]), users["manager"]
    )
    post = services.send_back(post, users["admin"], "Too vague.")
    assert post.status == "returned"


def test_a_post_cannot_be_published_without_both_validations(users):
    post = services.submit(make_post(users["owner"]), users["owner"])
    with pytest.raises(ValidationError):
        services.approve(post, users["admin"])  # the cluster has not pre-validated
    draft = make_post(users["owner"], title="Another", cluster=mobile_heights())
    with pytest.raises(ValidationError):
        services.approve(draft, users["admin"])
    with pytest.raises(ValidationError):
        services.prevalidate(draft, users["manager"])


def test_nobody_validates_their_own_post(users):
    post = make_post(users["owner"])
    post = services.submit(post, users["owner"])
    with pytest.raises(PermissionDenied):
        services.prevalidate(post, users["owner"])
    with pytest.raises(PermissionDenied):
        services.prevalidate(post, users["other_manager"])  # manager of another cluster
    post = services.prevalidate(post, users["manager"])
    with pytest.raises(PermissionDenied):
        services.approve(post, users["owner"])
    with pytest.raises(PermissionDenied):
        services.approve(post, users["manager"])


def test_an_administrator_member_of_the_organisation_cannot_approve_its_post(users):
    from clusterbridge.organisations import services as organisation_services

    joined = organisation_services.request_to_join(acme(), users["admin"])
    organisation_services.approve_request(joined, users["owner"])
    post = services.prevalidate(
        services.submit(make_post(users["owner"]), users["owner"]), users["manager"]
    )
    with pytest.raises(PermissionDenied):
        services.approve(post, users["admin"])


def test_a_published_post_cannot_be_edited_but_can_be_withdrawn(users):
    post = publish(make_post(users["owner"]), users)
    with pytest.raises(ValidationError):
        services.posts.update(post, users["owner"], {"title": "Changed"})
    post = services.withdraw(post, users["member"])
    assert post.status == "withdrawn" and not post.is_public
    assert not Post.objects.public().exists()
    assert _actions(post)[-1] == "update"
    with pytest.raises(PermissionDenied):
        services.withdraw(make_post(users["owner"], title="Other"), users["other_owner"])


def test_posts_past_their_date_leave_the_list_at_once_and_expire_with_history(users):
    post = publish(make_post(users["owner"], valid_until=in_days(3)), users)
    assert Post.objects.public().exists()
    assert not Post.objects.published(today=in_days(4)).exists()
    assert services.expire_due(today=in_days(4)) == 1
    assert services.expire_due(today=in_days(4)) == 0  # nothing twice
    post.refresh_from_db()
    assert post.status == "expired"
    assert _actions(post)[-1] == "expire"
    assert (
        Notification.objects.filter(
            recipient=users["owner"], subject__contains="has expired"
        ).count()
        == 1
    )


def test_a_partner_search_needs_roles_and_a_closing_date(users):
    with pytest.raises(ValidationError) as error:
        make_post(users["owner"], kind="partner-search", valid_until=None, roles_sought="")
    assert set(error.value.message_dict) >= {"roles_sought", "valid_until"}


def test_field_rules_have_clear_messages(users):
    with pytest.raises(ValidationError) as error:
        make_post(
            users["owner"],
            quantity=5,
            unit="",
            valid_until=in_days(-1),
            is_disruption=True,
            disrupted_supply="",
        )
    messages = error.value.message_dict
    assert "unit" in messages and "valid_until" in messages
    assert messages["is_disruption"] == ["Only a need can report a value-chain disruption."]
    assert messages["disrupted_supply"] == ["Say which supply stopped."]


def test_a_cluster_the_organisation_is_not_in_is_refused(users):
    from tests.marketplace.conftest import minalogic

    with pytest.raises(ValidationError) as error:
        make_post(users["owner"], cluster=minalogic())
    assert "cluster" in error.value.message_dict


def test_a_non_member_cannot_post_for_an_organisation(users):
    with pytest.raises(PermissionDenied):
        make_post(users["other_owner"])  # Acme is not otto's
    with pytest.raises(PermissionDenied):
        make_post(users["unverified"])
