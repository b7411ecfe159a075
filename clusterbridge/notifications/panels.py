"""The notifications panel of My ClusterBridge and the person's data."""

from django.http import HttpRequest

from clusterbridge.notifications.models import Notification


def account_panel(request: HttpRequest) -> dict | None:
    if not request.user.is_authenticated:
        return None
    mine = Notification.objects.filter(recipient=request.user)
    return {
        "unread": mine.filter(read_at__isnull=True).count(),
        "latest": list(mine[:5]),
    }


def export_personal_data(user) -> list[dict]:
    return [
        {
            "kind": n.kind,
            "subject": n.subject,
            "body": n.body,
            "url": n.url,
            "created_at": n.created_at.isoformat(),
            "sent_at": n.sent_at.isoformat() if n.sent_at else None,
            "read_at": n.read_at.isoformat() if n.read_at else None,
        }
        for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    ]


def erase(user) -> None:
    Notification.objects.filter(recipient=user).delete()
