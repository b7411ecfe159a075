"""Following a post (updates and a closing reminder by e-mail, claimed once), closing interest
and marking the partner found — on the pages, in My ClusterBridge and in history."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from clusterbridge.core.models import ObjectChange
from clusterbridge.marketplace import services
from clusterbridge.marketplace.models import Follow, Post
from clusterbridge.notifications.models import Notification
from tests.marketplace.conftest import in_days, make_post, publish
from tests.organisations.conftest import ROLES, acme, beta

pytestmark = pytest.mark.django_db


def _published(users, **changes) -> Post:
    return publish(make_post(users["owner"], **changes), users)


def _followed_notes(user):
    return Notification.objects.filter(recipient=user, kind="marketplace-follow")


def _post() -> Post:
    return Post.all_objects.get()


# Who may follow, close interest and mark a partner found -------------------------------------
CASES = [
    (
        "follow",
        lambda c, p: c.post(f"/marketplace/{p.pk}/follow/"),
        lambda: Follow.objects.exists(),
        {"unverified", "other_owner", "manager", "other_manager", "admin"},
    ),
    (
        "close interest",
        lambda c, p: c.post(f"/marketplace/{p.pk}/close-interest/"),
        lambda: _post().interest_closed_at is not None,
        {"owner", "member", "admin"},
    ),
    (
        "mark partner found",
        lambda c, p: c.post(f"/marketplace/{p.pk}/partner-found/", {"partner_name": "Beta Labs"}),
        lambda: _post().partner_found_at is not None,
        {"owner", "member", "admin"},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_permission_matrix(users, client_for, case, role):
    name, perform, changed, allowed = case
    post = _published(users)
    response = perform(client_for(role), post)
    if role in allowed:
        assert response.status_code == 302, f"{name} as {role}"
        assert changed(), f"{name} as {role} should have changed the data"
    else:
        assert response.status_code in (302, 403, 404), f"{name} as {role}"
        assert not changed(), f"{name} as {role} must not change the data"


def test_nobody_follows_an_unpublished_post(users, client_for):
    draft = make_post(users["owner"])
    assert client_for("other_owner").post(f"/marketplace/{draft.pk}/follow/").status_code == 404
    with pytest.raises(Exception, match="Only published posts"):
        services.follow(draft, users["admin"])
    assert not Follow.all_objects.exists()


# Following ----------------------------------------------------------------------------------
def test_follow_and_unfollow_from_the_post_page(users, client_for):
    post = _published(users)
    client = client_for("other_owner")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Follow this post" in html
    client.post(f"/marketplace/{post.pk}/follow/")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Unfollow" in html and "people follow" not in html  # the count is the author's
    owner_page = client_for("owner").get(post.get_absolute_url()).content.decode()
    assert "1 person follows this post." in owner_page
    assert "Follow this post" not in owner_page  # members do not follow their own post
    client.post(f"/marketplace/{post.pk}/unfollow/")
    assert not Follow.objects.exists()
    assert Follow.all_objects.get().is_deleted  # soft: following again restores it
    client.post(f"/marketplace/{post.pk}/follow/")
    assert Follow.objects.count() == 1 and Follow.all_objects.count() == 1
    anonymous = client_for("anonymous").get(post.get_absolute_url()).content.decode()
    assert "Sign in to follow this post" in anonymous


def test_followed_posts_are_in_my_clusterbridge(users, client_for):
    post = _published(users, title="Ventilator parts")
    services.follow(post, users["other_owner"])
    html = client_for("other_owner").get("/account/").content.decode()
    assert "Posts you follow" in html and "Ventilator parts" in html
    services.withdraw(post, users["owner"])  # gone from the marketplace: gone from the panel
    html = client_for("other_owner").get("/account/").content.decode()
    assert f'<a href="{post.get_absolute_url()}">Ventilator parts</a>' not in html
    assert "“Ventilator parts” was withdrawn" in html  # the followers' notification


@pytest.mark.parametrize(
    "change, subject",
    [
        (lambda post, users: services.withdraw(post, users["owner"]), "was withdrawn"),
        (lambda post, users: services.close_interest(post, users["owner"]), "no new expressions"),
        (
            lambda post, users: services.mark_partner_found(post, users["member"], "Beta Labs"),
            "A partner was found",
        ),
        (
            lambda post, users: services.posts.write(
                _with(post, title="Masks, now 300,000 a week"), user=None
            ),
            "was changed",
        ),
    ],
    ids=["withdrawn", "interest closed", "partner found", "edited"],
)
def test_followers_are_told_of_each_change_once(users, change, subject):
    post = _published(users)
    services.follow(post, users["other_owner"])
    services.follow(post, users["manager"])
    change(post, users)
    for person in (users["other_owner"], users["manager"]):
        notes = list(_followed_notes(person))
        assert len(notes) == 1 and subject in notes[0].subject, [n.subject for n in notes]
    # Members of the organisation are not followers; the unfollowed hear nothing.
    assert not _followed_notes(users["owner"]).exists()


def _with(post, **values):
    post = Post.objects.get(pk=post.pk)
    for name, value in values.items():
        setattr(post, name, value)
    return post


def test_followers_are_told_when_the_post_expires(users):
    post = _published(users, valid_until=in_days(3))
    services.follow(post, users["other_owner"])
    services.expire_due(today=timezone.localdate() + datetime.timedelta(days=4))
    services.expire_due(today=timezone.localdate() + datetime.timedelta(days=4))
    notes = list(_followed_notes(users["other_owner"]))
    assert [n.subject for n in notes] == [f"“{post.title}” has expired"]


def test_the_closing_reminder_is_sent_once_whatever_the_runs(users):
    soon = _published(
        users, kind="partner-search", roles_sought="A hospital", valid_until=in_days(5)
    )
    later = _published(users, title="Later", valid_until=in_days(40))
    for post in (soon, later):
        services.follow(post, users["other_owner"])
    services.follow(soon, users["manager"])
    assert services.remind_followers() == 2
    assert services.remind_followers() == 0
    call_command("remind_followers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminders = Notification.objects.filter(key__startswith="marketplace-closing:")
    assert reminders.count() == 2
    assert {n.subject for n in reminders} == {f"“{soon.title}” closes in 5 days"}
    # The later post is reminded when its turn comes, once.
    assert services.remind_followers(today=in_days(35)) == 1
    assert services.remind_followers(today=in_days(36)) == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_reminder_runs_remind_once(reference_data, users):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the claim is exercised on PostgreSQL")
    post = _published(users, valid_until=in_days(2))
    services.follow(post, users["other_owner"])
    counts = []

    def run():
        counts.append(services.remind_followers())
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 1
    assert Notification.objects.filter(key__startswith="marketplace-closing:").count() == 1


# Interest and the partner found ------------------------------------------------------------
def test_closed_interest_refuses_new_messages_but_keeps_threads(users, client_for):
    post = _published(users)
    services.contact(post, users["other_owner"], "We can help.")
    client_for("owner").post(f"/marketplace/{post.pk}/close-interest/")
    post.refresh_from_db()
    assert post.interest_closed_at is not None
    newcomer = client_for("manager")
    html = newcomer.get(post.get_absolute_url()).content.decode()
    assert "takes no new expressions of interest" in html and "Send the message" not in html
    newcomer.post(f"/marketplace/{post.pk}/message/", {"body": "Me too"})
    assert not post.messages.filter(sender=users["manager"]).exists()
    # The conversation already begun goes on, on both sides.
    other = client_for("other_owner")
    assert "We can help." in other.get(post.get_absolute_url()).content.decode()
    other.post(f"/marketplace/{post.pk}/message/", {"body": "Any news?"})
    assert post.messages.filter(sender=users["other_owner"]).count() == 2
    # Opened again: newcomers write.
    client_for("owner").post(f"/marketplace/{post.pk}/open-interest/")
    newcomer.post(f"/marketplace/{post.pk}/message/", {"body": "Me too"})
    assert post.messages.filter(sender=users["manager"]).exists()


def test_partner_found_is_shown_recorded_and_closes_interest(users, client_for):
    post = _published(users, kind="partner-search", roles_sought="A hospital")
    client_for("member").post(
        f"/marketplace/{post.pk}/partner-found/", {"partner_name": "beta labs"}
    )
    post.refresh_from_db()
    assert post.partner_organisation == beta() and post.interest_closed_at is not None
    html = client_for("anonymous").get(post.get_absolute_url()).content.decode()
    assert "Partner found" in html and beta().get_absolute_url() in html
    change = ObjectChange.objects.filter(object_id=post.pk, message__startswith="Partner").get()
    assert change.message == "Partner found: beta labs" and change.user == users["member"]
    # Once only; a name that is no organisation is kept as words (escaped on the page).
    response = client_for("owner").post(f"/marketplace/{post.pk}/partner-found/")
    assert response.status_code == 302 and post.version == Post.objects.get().version
    other = _published(users, title="Second")
    services.mark_partner_found(other, users["owner"], "<b>Hospital</b> of Lund")
    html = client_for("anonymous").get(other.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Hospital&lt;/b&gt; of Lund" in html
    assert Post.objects.get(pk=other.pk).partner_organisation is None


def test_only_a_published_post_closes_interest(users):
    draft = make_post(users["owner"])
    with pytest.raises(Exception, match="Only a published post"):
        services.close_interest(draft, users["owner"])
    with pytest.raises(Exception, match="Only a published post"):
        services.mark_partner_found(draft, users["owner"])
    assert acme().posts.get().interest_closed_at is None


def test_download_my_data_has_the_posts_i_follow(users):
    from clusterbridge.accounts.services import export_personal_data

    post = _published(users, title="Followed masks")
    services.follow(post, users["other_owner"])
    data = export_personal_data(users["other_owner"])
    assert [f["post"] for f in data["marketplace"]["follows"]] == ["Followed masks"]


def test_the_api_shows_interest_closed_and_the_partner_found(users, api_client_for):
    post = _published(users)
    api = api_client_for("anonymous")
    data = api.get(f"/api/v1/marketplace/posts/{post.pk}/").json()
    assert data["interest_closed_at"] is None and data["partner_found_at"] is None
    services.mark_partner_found(post, users["owner"], "Beta Labs")
    data = api.get(f"/api/v1/marketplace/posts/{post.pk}/").json()
    assert data["partner_found_at"] and data["interest_closed_at"]
    assert (data["partner_name"], data["partner_organisation"]) == ("Beta Labs", beta().slug)
    # Read-only: the author cannot set them through the API.
    owner = api_client_for("owner")
    owner.patch(f"/api/v1/marketplace/posts/{post.pk}/", {"partner_name": "X"}, format="json")
    assert Post.objects.get(pk=post.pk).partner_name == "Beta Labs"
