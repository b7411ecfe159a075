"""What this app adds to a person's account: the "My marketplace posts" panel of My
ClusterBridge (with the posts they follow) and the person's posts, messages and follows in
"download my data"."""

from django.db.models import Count, Q
from django.http import HttpRequest

from clusterbridge.accounts import roles
from clusterbridge.marketplace import services
from clusterbridge.marketplace.models import Follow, Message, Post, Status, is_moderator

FOLLOWED_SHOWN = 10


def panel_context(request: HttpRequest) -> dict | None:
    user = request.user
    if not roles.is_member(user):
        return None
    counts = Post.objects.of_user(user).aggregate(
        total=Count("pk", distinct=True),
        published=Count("pk", distinct=True, filter=Q(status=Status.PUBLISHED)),
        waiting=Count(
            "pk", distinct=True, filter=Q(status__in=[Status.SUBMITTED, Status.MODERATION])
        ),
        returned=Count("pk", distinct=True, filter=Q(status=Status.RETURNED)),
    )
    return {
        "counts": counts,
        "cluster_queue": (
            services.cluster_queue(user).count()
            if roles.is_cluster_manager(user) and not roles.is_admin(user)
            else 0
        ),
        "moderation_queue": services.moderation_queue(user).count() if is_moderator(user) else 0,
        "followed": list(services.followed_by(user)[:FOLLOWED_SHOWN]),
        "followed_total": services.followed_by(user).count(),
        # Someone with posts belongs to an organisation; ask only the others.
        "can_post": bool(counts["total"]) or services.member_organisations(user).exists(),
    }


def _when(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user) -> dict:
    """The posts the person wrote and the messages they sent."""
    posts = Post.all_objects.filter(author=user).select_related("organisation")
    sent = Message.objects.filter(sender=user).select_related("post")
    followed = Follow.all_objects.filter(user=user).select_related("post")
    return {
        "posts": [
            {
                "title": p.title,
                "kind": p.kind,
                "organisation": p.organisation.name,
                "status": p.status,
                "description": p.description,
                "created_at": _when(p.created_at),
                "published_at": _when(p.published_at),
                "deleted_at": _when(p.deleted_at),
            }
            for p in posts
        ],
        "messages": [
            {"post": m.post.title, "body": m.body, "sent_at": _when(m.created_at)} for m in sent
        ],
        "follows": [
            {
                "post": f.post.title,
                "since": _when(f.created_at),
                "deleted_at": _when(f.deleted_at),
            }
            for f in followed
        ],
    }
