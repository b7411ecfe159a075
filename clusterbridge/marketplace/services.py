"""Every change to marketplace posts: the one write door (`posts`, a ModelService) for the
author's values, and the steps of the life cycle — submit, pre-validate (the cluster), approve
(the moderators), send back, withdraw, expire — each of which checks who may take it, locks
the post, changes its status, writes one history entry and tells the author through
`notify` in the same transaction. Messages to a post's organisation go through `contact`.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from clusterbridge.accounts import roles
from clusterbridge.clusters.models import Cluster
from clusterbridge.clusters.models import Status as ClusterStatus
from clusterbridge.core.models import ObjectChange
from clusterbridge.core.services import ModelService, register
from clusterbridge.core.validation import CONTROL_CHARACTERS
from clusterbridge.marketplace.models import (
    EDITABLE,
    Follow,
    Kind,
    Message,
    Post,
    Status,
    is_moderator,
)
from clusterbridge.notifications.services import notify, notify_many
from clusterbridge.organisations.models import ClusterMembership, Membership, Organisation

Action = ObjectChange.Action
NOTIFICATION_KIND = "marketplace"
FOLLOW_KIND = "marketplace-follow"
# Messages one person may send about posts within an hour (expressions of interest are
# read by people; a burst is spam).
MESSAGES_PER_HOUR = 10
# Followers are reminded this many days before a post's closing date (its `valid_until`).
REMINDER_DAYS = 7


def member_organisations(user):
    """The organisations the person may post for: those they are an active member of."""
    if not roles.is_member(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__status=Membership.Status.ACTIVE,
        memberships__deleted_at=None,
    ).order_by("name")


def validating_clusters(organisation: Organisation):
    """The published clusters that list the organisation as an approved member."""
    return Cluster.objects.filter(
        organisation_links__organisation=organisation,
        organisation_links__status=ClusterMembership.Status.APPROVED,
        organisation_links__deleted_at=None,
        status=ClusterStatus.PUBLISHED,
    ).order_by("name")


def validating_clusters_of_user(user):
    """The clusters that list any of the person's organisations as a member."""
    return (
        Cluster.objects.filter(
            organisation_links__organisation__in=member_organisations(user),
            organisation_links__status=ClusterMembership.Status.APPROVED,
            organisation_links__deleted_at=None,
            status=ClusterStatus.PUBLISHED,
        )
        .distinct()
        .order_by("name")
    )


def _is_insider(post: Post, user) -> bool:
    """A member of the post's organisation: never a validator of it."""
    return post.organisation.has_member(user)


class PostService(ModelService[Post]):
    model = Post

    def initialise(self, obj: Post, user) -> None:
        if roles.is_member(user):
            obj.author = user

    def can_delete(self, obj: Post, user) -> bool:
        if user is None or roles.is_admin(user):
            return True
        return obj.user_can_change(user) and obj.is_editable

    def prepare(self, obj: Post, user, changed: set[str], *, note: str = "", author=None) -> None:
        if user is None:
            return
        roles.require_verified(user, "post on the marketplace")
        if obj.pk is not None and not obj.is_editable and changed:
            raise ValidationError(
                f"A post that is {obj.get_status_display().lower()} cannot be changed: "
                "withdraw it and post a new one."
            )
        if "organisation" in changed or obj.pk is None:
            if obj.organisation_id is None:
                raise ValidationError({"organisation": "Choose the organisation posting."})
            if not roles.is_admin(user) and not obj.organisation.has_member(user):
                raise PermissionDenied(
                    "You can post only for an organisation you are an active member of."
                )

    def validate(self, obj: Post, fields: Iterable[str] | None = None) -> None:
        # Rules across fields (partner search ↔ roles and closing date…) always run.
        super().validate(obj, fields)
        _check_cluster(obj)

    # Every write of a post passes here — the author's edits, the life-cycle steps, a
    # revert, an import — so followers hear of each change exactly once, from one place.
    def _write(self, obj: Post, before: dict | None, **kwargs) -> ObjectChange | None:
        change = super()._write(obj, before, **kwargs)
        if change is not None and before is not None:
            _tell_followers(obj, change, before, kwargs.get("user"))
        return change

    def _set_deleted(self, obj: Post, when, user, action: str, message: str) -> ObjectChange:
        before = {"deleted_at": obj.deleted_at}
        change = super()._set_deleted(obj, when, user, action, message)
        _tell_followers(obj, change, before, user)
        return change


def _check_cluster(post: Post) -> None:
    if post.cluster_id is None:
        return
    if not validating_clusters(post.organisation).filter(pk=post.cluster_id).exists():
        raise ValidationError(
            {"cluster": "Choose a cluster that lists your organisation as a member."}
        )


posts = register(PostService())


# Telling people ----------------------------------------------------------------------------
def _author_or_owners(post: Post) -> list:
    if post.author_id and post.author.is_active:
        return [post.author]
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=post.organisation_id,
            status=Membership.Status.ACTIVE,
            role=Membership.Role.OWNER,
        ).select_related("user")
    ]


def _tell_author(post: Post, change: ObjectChange | None, subject: str, body: str) -> None:
    key = f"marketplace-post:{post.pk}:v{post.version}:{change.pk if change else 0}"
    for person in _author_or_owners(post):
        notify(
            person,
            kind=NOTIFICATION_KIND,
            subject=subject,
            body=body,
            key=key,
            url=post.get_absolute_url(),
        )


def followers(post: Post) -> list:
    """The people following the post (live follows of active accounts)."""
    return [
        follow.user
        for follow in Follow.objects.filter(post=post, user__is_active=True).select_related("user")
    ]


def _what_changed(post: Post, before: dict) -> tuple[str, str]:
    """The subject and body of the followers' notification for a change of the post."""
    title = post.title
    if "deleted_at" in before and len(before) == 1:
        if post.deleted_at:
            return f"“{title}” was removed from the marketplace", "It is no longer shown."
        return f"“{title}” is back on the marketplace", "It was restored."
    if before.get("status") != post.status:
        if post.status == Status.WITHDRAWN:
            return f"“{title}” was withdrawn", "Its organisation took it off the marketplace."
        if post.status == Status.EXPIRED:
            return (
                f"“{title}” has expired",
                f"Its date ({post.valid_until:%d %B %Y}) has passed; it left the marketplace.",
            )
        return (
            f"“{title}” is now: {post.get_status_display().lower()}",
            "Its status changed.",
        )
    if post.partner_found_at and not before.get("partner_found_at"):
        named = f": {post.partner_name}" if post.partner_name else ""
        return (
            f"A partner was found for “{title}”",
            f"{post.organisation.name} found the partner it was looking for{named}. "
            "It takes no new expressions of interest.",
        )
    if post.interest_closed_at and not before.get("interest_closed_at"):
        return (
            f"“{title}” takes no new expressions of interest",
            f"{post.organisation.name} closed interest; the conversations already begun go on.",
        )
    if before.get("interest_closed_at") and not post.interest_closed_at:
        return (
            f"“{title}” takes expressions of interest again",
            f"{post.organisation.name} opened it to new expressions of interest.",
        )
    return f"“{title}” was changed", "Its text or details changed: read it again."


def _tell_followers(post: Post, change: ObjectChange, before: dict, actor) -> int:
    """Every follower but the person who made the change, once per change (the key)."""
    people = [p for p in followers(post) if actor is None or p.pk != actor.pk]
    if not people:
        return 0
    subject, body = _what_changed(post, before)
    return notify_many(
        people,
        kind=FOLLOW_KIND,
        subject=subject,
        body=body,
        key=f"marketplace-follow:{post.pk}:{change.pk}",
        url=post.get_absolute_url(),
        urgent=post.urgency == "crisis",
    )


def cluster_managers(cluster: Cluster) -> list:
    return [
        link.user for link in cluster.manager_links.filter(approved=True).select_related("user")
    ]


def moderators() -> list:
    return list(get_user_model().objects.filter(is_superuser=True, is_active=True))


# The life cycle ----------------------------------------------------------------------------
def _locked(post: Post) -> Post:
    stored = Post.objects.select_for_update().get(pk=post.pk)
    return stored


def _require_member(post: Post, user, what: str) -> None:
    if not roles.is_member(user):
        raise PermissionDenied("Sign in first.")
    if not post.user_can_change(user):
        raise PermissionDenied(f"Only members of {post.organisation.name} may {what}.")


@transaction.atomic
def submit(post: Post, user, *, cluster: Cluster | None = None) -> Post:
    """The author sends a draft (or a post sent back) for validation: to the cluster that
    pre-validates it — the one chosen, or the organisation's only cluster — or, when the
    organisation is in no cluster, straight to the platform's moderators."""
    roles.require_verified(user, "post on the marketplace")
    post = _locked(post)
    _require_member(post, user, "submit this post")
    if post.status not in EDITABLE:
        raise ValidationError(f"This post is {post.get_status_display().lower()} already.")
    clusters = list(validating_clusters(post.organisation))
    if cluster is not None:
        post.cluster = cluster
    if post.cluster_id and post.cluster_id not in {c.pk for c in clusters}:
        post.cluster = None
    if post.cluster_id is None and clusters:
        if len(clusters) > 1:
            raise ValidationError(
                {
                    "cluster": "Your organisation is a member of several clusters: choose "
                    "the one that pre-validates this post."
                }
            )
        post.cluster = clusters[0]
    posts.validate(post)
    post.status = Status.SUBMITTED if post.cluster_id else Status.MODERATION
    post.submitted_at = timezone.now()
    post.return_reason = ""
    if post.cluster_id:
        message = f"Submitted to {post.cluster.name} for pre-validation"
    else:
        message = "Submitted to the platform's moderators (the organisation is in no cluster)"
    change = posts.write(post, user=user, action=Action.SUBMIT, message=message)
    _tell_author(
        post,
        change,
        f"Your post “{post.title}” was submitted",
        f"{message}. You are told when it is decided.",
    )
    if post.cluster_id:
        reviewers = cluster_managers(post.cluster) or moderators()
        queue = reverse("marketplace:cluster-queue")
    else:
        reviewers, queue = moderators(), reverse("marketplace:moderation")
    notify_many(
        reviewers,
        kind=NOTIFICATION_KIND,
        subject=f"A post waits for your validation: “{post.title}”",
        body=f"{post.organisation.name} submitted a {post.get_kind_display().lower()}.",
        key=f"marketplace-review:{post.pk}:v{post.version}",
        url=queue,
    )
    return post


def _require_cluster_validator(post: Post, user) -> None:
    if not roles.is_member(user):
        raise PermissionDenied("Sign in first.")
    if _is_insider(post, user):
        raise PermissionDenied("Nobody validates a post of their own organisation.")
    if not roles.is_admin(user) and not (post.cluster_id and post.cluster.is_managed_by(user)):
        raise PermissionDenied("Only the managers of the post's cluster pre-validate it.")


def _require_moderator(post: Post, user) -> None:
    if not is_moderator(user):
        raise PermissionDenied("Only the platform's moderators approve posts.")
    if _is_insider(post, user):
        raise PermissionDenied("Nobody validates a post of their own organisation.")


@transaction.atomic
def prevalidate(post: Post, user) -> Post:
    """A manager of the post's cluster finds it sound and in scope; the moderators decide."""
    post = _locked(post)
    _require_cluster_validator(post, user)
    if post.status != Status.SUBMITTED:
        raise ValidationError("This post does not wait for a cluster's pre-validation.")
    post.status = Status.MODERATION
    post.prevalidated_by, post.prevalidated_at = user, timezone.now()
    change = posts.write(
        post, user=user, action=Action.APPROVE, message=f"Pre-validated by {post.cluster.name}"
    )
    _tell_author(
        post,
        change,
        f"{post.cluster.name} pre-validated “{post.title}”",
        "The platform's moderators make the final validation; you are told when it is done.",
    )
    notify_many(
        moderators(),
        kind=NOTIFICATION_KIND,
        subject=f"A post waits for approval: “{post.title}”",
        body=f"Pre-validated by {post.cluster.name}.",
        key=f"marketplace-review:{post.pk}:v{post.version}",
        url=reverse("marketplace:moderation"),
    )
    return post


@transaction.atomic
def approve(post: Post, user) -> Post:
    """A moderator's final validation publishes the post."""
    post = _locked(post)
    _require_moderator(post, user)
    if post.status != Status.MODERATION:
        raise ValidationError("This post does not wait for the moderators.")
    if post.cluster_id and post.prevalidated_at is None:
        raise ValidationError("The cluster has not pre-validated this post.")
    if post.valid_until and post.valid_until < timezone.localdate():
        raise ValidationError("This post is past its date: send it back for a new one.")
    post.status = Status.PUBLISHED
    post.approved_by, post.published_at = user, timezone.now()
    change = posts.write(post, user=user, action=Action.APPROVE, message="Approved and published")
    _tell_author(
        post,
        change,
        f"“{post.title}” is published on the marketplace",
        "The moderators approved your post; it is public now.",
    )
    from clusterbridge.marketplace import matching  # the step after publishing

    matching.after_publish(post)
    return post


@transaction.atomic
def send_back(post: Post, user, reason: str) -> Post:
    """The cluster (while it pre-validates) or a moderator sends the post back to its author
    with a reason; the author edits it and submits it again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason: the author reads it."})
    post = _locked(post)
    if post.status == Status.SUBMITTED:
        _require_cluster_validator(post, user)
        by = post.cluster.name
    elif post.status == Status.MODERATION:
        _require_moderator(post, user)
        by = "the platform's moderators"
    else:
        raise ValidationError("This post does not wait for a decision.")
    post.status = Status.RETURNED
    post.return_reason = reason[:2000]
    change = posts.write(post, user=user, action=Action.REJECT, message=f"Sent back: {reason}")
    _tell_author(
        post,
        change,
        f"“{post.title}” was sent back to you",
        f"Sent back by {by}.\n\nReason: {reason}\n\nEdit the post and submit it again.",
    )
    return post


@transaction.atomic
def withdraw(post: Post, user) -> Post:
    """A member of the organisation takes the post off the marketplace (or out of review)."""
    post = _locked(post)
    _require_member(post, user, "withdraw this post")
    if post.status in (Status.WITHDRAWN, Status.EXPIRED):
        raise ValidationError(f"This post is {post.get_status_display().lower()} already.")
    post.status = Status.WITHDRAWN
    post.closed_at = timezone.now()
    change = posts.write(post, user=user, action=Action.UPDATE, message="Withdrawn")
    _tell_author(
        post, change, f"“{post.title}” was withdrawn", f"Withdrawn by {user.get_username()}."
    )
    return post


def expire_due(today: datetime.date | None = None) -> int:
    """Published posts past their date become expired, each in its own transaction with its
    history entry and the author told; a post claimed by another run is skipped."""
    today = today or timezone.localdate()
    due = Post.objects.filter(status=Status.PUBLISHED, valid_until__lt=today).values_list(
        "pk", flat=True
    )
    done = 0
    for pk in list(due):
        with transaction.atomic():
            post = Post.objects.select_for_update().filter(pk=pk).first()
            if post is None or post.status != Status.PUBLISHED:
                continue
            post.status = Status.EXPIRED
            post.closed_at = timezone.now()
            change = posts.write(post, action=Action.EXPIRE, message="Expired")
            _tell_author(
                post,
                change,
                f"“{post.title}” has expired",
                f"Its date ({post.valid_until:%d %B %Y}) has passed; it left the marketplace.",
            )
            done += 1
    return done


# Interest and the partner found --------------------------------------------------------------
@transaction.atomic
def close_interest(post: Post, user, *, closed: bool = True) -> Post:
    """A member of the organisation stops (or starts again) taking expressions of interest.
    Conversations already begun stay readable and go on."""
    post = _locked(post)
    _require_member(post, user, "close interest in this post")
    if post.status != Status.PUBLISHED:
        raise ValidationError("Only a published post takes expressions of interest.")
    if closed and post.interest_closed_at is not None:
        raise ValidationError("This post takes no new expressions of interest already.")
    if not closed:
        if post.partner_found_at is not None:
            raise ValidationError("The partner was found: interest stays closed.")
        if post.interest_closed_at is None:
            raise ValidationError("This post takes expressions of interest already.")
    post.interest_closed_at = timezone.now() if closed else None
    posts.write(
        post,
        user=user,
        action=Action.UPDATE,
        message="Closed to new expressions of interest" if closed else "Open to interest again",
    )
    return post


def _partner(post: Post, name: str) -> Organisation | None:
    """The organisation on the platform the words name (exactly, case aside), if one does."""
    if not name:
        return None
    return (
        Organisation.objects.filter(name__iexact=name, is_synthetic=post.is_synthetic)
        .exclude(pk=post.organisation_id)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def mark_partner_found(post: Post, user, partner_name: str = "") -> Post:
    """A member of the organisation records that the partner was found, optionally naming
    it; the post stays published (it says so) and takes no new expressions of interest."""
    partner_name = CONTROL_CHARACTERS.sub("", (partner_name or "")).strip()
    if len(partner_name) > 200:
        raise ValidationError({"partner_name": "Keep the partner's name under 200 characters."})
    post = _locked(post)
    _require_member(post, user, "mark a partner found")
    if post.status != Status.PUBLISHED:
        raise ValidationError("Only a published post can record a partner found.")
    if post.partner_found_at is not None:
        raise ValidationError("A partner was recorded as found already.")
    now = timezone.now()
    post.partner_found_at = now
    post.partner_name = partner_name
    post.partner_organisation = _partner(post, partner_name)
    post.interest_closed_at = post.interest_closed_at or now
    posts.write(
        post,
        user=user,
        action=Action.UPDATE,
        message=f"Partner found: {partner_name}" if partner_name else "Partner found",
    )
    return post


# Following --------------------------------------------------------------------------------------
class FollowService(ModelService[Follow]):
    model = Follow

    def initialise(self, obj: Follow, user) -> None:
        if roles.is_member(user):
            obj.user = user

    def can_restore(self, obj: Follow, user) -> bool:
        return user is None or obj.user_can_change(user)


follows = register(FollowService())


def follow(post: Post, user) -> Follow:
    """The person follows the post (following again brings their follow back)."""
    if not roles.is_member(user):
        raise PermissionDenied("Sign in to follow a post.")
    if not post.is_public:
        raise ValidationError("Only published posts can be followed.")
    if _is_insider(post, user):
        raise ValidationError(
            "This is your own organisation's post: its members hear of it anyway."
        )
    existing = Follow.all_objects.filter(post=post, user=user).first()
    if existing is None:
        return follows.create(user, {"post": post}, message="Followed").obj
    if existing.is_deleted:
        follows.restore(existing, user, message="Followed again")
    return existing


def unfollow(post: Post, user) -> bool:
    """The person stops following the post; False when they did not follow it."""
    if not roles.is_member(user):
        raise PermissionDenied("Sign in first.")
    existing = Follow.objects.filter(post=post, user=user).first()
    if existing is None:
        return False
    follows.delete(existing, user, message="Unfollowed")
    return True


def is_following(post: Post, user) -> bool:
    return roles.is_member(user) and Follow.objects.filter(post=post, user=user).exists()


def followed_by(user):
    """The public posts the person follows, the closing soonest first."""
    if not roles.is_member(user):
        return Post.objects.none()
    return (
        Post.objects.published()
        .filter(follows__user=user, follows__deleted_at=None)
        .select_related("organisation")
        .order_by("valid_until", "-pk")
    )


def remind_followers(today: datetime.date | None = None) -> int:
    """Followers of a public post closing within REMINDER_DAYS are reminded once per closing
    date. Each follow is claimed by a conditional UPDATE of `reminded_for` before its
    notification is stored (in one transaction), so two runs — even concurrent ones — never
    remind twice; the notification's key makes it idempotent as well."""
    today = today or timezone.localdate()
    due = (
        Follow.objects.filter(
            post__in=Post.objects.published(today).filter(
                valid_until__lte=today + datetime.timedelta(days=REMINDER_DAYS)
            ),
            user__is_active=True,
        )
        .exclude(reminded_for=F("post__valid_until"))
        .select_related("post", "user")
    )
    told = 0
    for item in list(due):
        post = item.post
        with transaction.atomic():
            claimed = (
                Follow.objects.filter(pk=item.pk)
                .exclude(reminded_for=post.valid_until)
                .update(reminded_for=post.valid_until)
            )
            if not claimed:
                continue  # another run took it
            days = (post.valid_until - today).days
            when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
            closing = "closes" if post.kind == Kind.PARTNER_SEARCH else "leaves the marketplace"
            notify(
                item.user,
                kind=FOLLOW_KIND,
                subject=f"“{post.title}” {closing} {when}",
                body=f"Its closing date is {post.valid_until:%d %B %Y}.",
                key=f"marketplace-closing:{post.pk}:{post.valid_until.isoformat()}",
                url=post.get_absolute_url(),
            )
            told += 1
    return told


# Messages ------------------------------------------------------------------------------------
def _check_rate(user) -> None:
    since = timezone.now() - datetime.timedelta(hours=1)
    if Message.objects.filter(sender=user, created_at__gte=since).count() >= MESSAGES_PER_HOUR:
        raise ValidationError(
            f"You sent {MESSAGES_PER_HOUR} messages in the last hour: wait a little."
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write your message."})
    if len(body) > 2000:
        raise ValidationError({"body": "Keep the message under 2,000 characters."})
    return body


def organisation_members(organisation: Organisation) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation, status=Membership.Status.ACTIVE
        ).select_related("user")
    ]


@transaction.atomic
def contact(post: Post, user, body: str, *, organisation: Organisation | None = None) -> Message:
    """A signed-in, verified person writes to the post's organisation through the platform;
    its members are notified (nobody's e-mail address is shown)."""
    roles.require_verified(user, "write to an organisation")
    if not roles.is_member(user):
        raise PermissionDenied("Sign in first.")
    if not post.is_public:
        raise ValidationError("This post is not on the marketplace.")
    if _is_insider(post, user):
        raise ValidationError("This is your own organisation's post.")
    if (
        post.interest_closed_at is not None
        and not Message.objects.filter(post=post, sender=user).exists()
    ):
        # Closed to new expressions of interest; those already in a conversation go on.
        raise ValidationError(
            "The partner was found: this post takes no new expressions of interest."
            if post.partner_found_at
            else "The author closed this post to new expressions of interest."
        )
    body = _clean_body(body)
    if organisation is not None and not organisation.has_member(user):
        raise PermissionDenied("You write on behalf of an organisation you are a member of.")
    _check_rate(user)
    message = Message.objects.create(
        post=post, sender=user, sender_organisation=organisation, body=body
    )
    sender = organisation.name if organisation else user.get_username()
    notify_many(
        organisation_members(post.organisation),
        kind=NOTIFICATION_KIND,
        subject=f"{sender} wrote about “{post.title}”",
        body=body,
        key=f"marketplace-message:{message.pk}",
        url=post.get_absolute_url() + "#messages",
        urgent=post.urgency == "crisis",
    )
    return message


@transaction.atomic
def reply(message: Message, user, body: str) -> Message:
    """A member of the post's organisation answers a message; its sender is notified."""
    post = message.post
    if not roles.is_member(user) or not _is_insider(post, user):
        raise PermissionDenied(f"Only members of {post.organisation.name} answer here.")
    body = _clean_body(body)
    _check_rate(user)
    root = message.reply_to or message
    answer = Message.objects.create(
        post=post, sender=user, sender_organisation=post.organisation, reply_to=root, body=body
    )
    if root.sender is not None:
        notify(
            root.sender,
            kind=NOTIFICATION_KIND,
            subject=f"{post.organisation.name} answered about “{post.title}”",
            body=body,
            key=f"marketplace-message:{answer.pk}",
            url=post.get_absolute_url() + "#messages",
        )
    return answer


def thread_for(post: Post, user):
    """The messages a person sees on a post: all of them for the organisation's members,
    their own and the answers to them for anyone else."""
    if not roles.is_member(user):
        return Message.objects.none()
    messages = Message.objects.filter(post=post).select_related(
        "sender", "sender_organisation", "reply_to"
    )
    if _is_insider(post, user):
        return messages
    return messages.filter(reply_to__isnull=True, sender=user) | messages.filter(
        reply_to__sender=user
    )


# Queues ------------------------------------------------------------------------------------
def cluster_queue(user):
    """Posts waiting for the pre-validation of the clusters this person manages."""
    queue = Post.objects.filter(status=Status.SUBMITTED).select_related(
        "organisation", "cluster", "author"
    )
    if roles.is_admin(user):
        return queue.order_by("submitted_at", "pk")
    if not roles.is_member(user):
        return queue.none()
    return (
        queue.filter(cluster__manager_links__user=user, cluster__manager_links__approved=True)
        .distinct()
        .order_by("submitted_at", "pk")
    )


def moderation_queue(user):
    if not is_moderator(user):
        return Post.objects.none()
    return (
        Post.objects.filter(status=Status.MODERATION)
        .select_related("organisation", "cluster", "author", "prevalidated_by")
        .order_by("submitted_at", "pk")
    )


__all__ = [
    "Kind",
    "approve",
    "close_interest",
    "contact",
    "expire_due",
    "follow",
    "mark_partner_found",
    "remind_followers",
    "unfollow",
    "posts",
    "prevalidate",
    "send_back",
    "submit",
    "withdraw",
]
