"""What this app adds to a person's account: the "My organisations" panel of My ClusterBridge
and the person's memberships in "download my data" (registered in `apps.py`)."""

from django.db.models import Count, Q
from django.http import HttpRequest

from clusterbridge.accounts import roles
from clusterbridge.organisations import services
from clusterbridge.organisations.models import ClusterMembership, Membership, Organisation


def panel_context(request: HttpRequest) -> dict | None:
    user = request.user
    if not roles.is_member(user):
        return None
    memberships = list(
        Membership.objects.filter(user=user, organisation__deleted_at=None)
        .exclude(status=Membership.Status.DECLINED)
        .select_related("organisation")
        .annotate(
            waiting=Count(
                "organisation__memberships",
                filter=Q(
                    organisation__memberships__status=Membership.Status.PENDING,
                    organisation__memberships__deleted_at=None,
                ),
            )
        )
        .order_by("organisation__name")
    )
    return {
        "memberships": memberships,
        "cluster_requests": services.cluster_queue(user).count(),
        "can_create": Organisation.user_can_create(user),
    }


def _when(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user) -> dict:
    """Every link the person has or had with an organisation, and the cluster memberships
    they asked for on an organisation's behalf."""
    memberships = Membership.all_objects.filter(user=user).select_related("organisation")
    requests = ClusterMembership.all_objects.filter(requested_by=user).select_related(
        "organisation", "cluster"
    )
    return {
        "memberships": [
            {
                "organisation": m.organisation.name,
                "organisation_slug": m.organisation.slug,
                "role": m.role,
                "status": m.status,
                "message": m.message,
                "requested_at": _when(m.created_at),
                "decided_at": _when(m.decided_at),
                "ended_at": _when(m.deleted_at),
            }
            for m in memberships
        ],
        "cluster_membership_requests": [
            {
                "organisation": link.organisation.name,
                "cluster": link.cluster.name,
                "status": link.status,
                "show_publicly": link.show_publicly,
                "message": link.message,
                "requested_at": _when(link.created_at),
                "ended_at": _when(link.deleted_at),
            }
            for link in requests
        ],
    }
