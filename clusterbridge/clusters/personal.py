"""What the cluster catalogue shows on "My ClusterBridge" and holds about a person: the
clusters they manage, their claims, registrations and change requests. Deleting the account
keeps the profiles (written for everyone) and ends the person's manager links."""

from django.http import HttpRequest

from clusterbridge.accounts import dashboard
from clusterbridge.clusters.models import ChangeRequest, Cluster, ClusterManager, Status
from clusterbridge.core import history

DELETED_USER = "deleted user"


def clusters_panel(request: HttpRequest) -> dict:
    user = request.user
    links = list(
        ClusterManager.objects.filter(user=user).select_related("cluster").order_by("cluster__name")
    )
    registrations = Cluster.objects.filter(
        submitted_by=user, status__in=(Status.DRAFT, Status.PENDING)
    ).order_by("name")
    changes = ChangeRequest.objects.pending().filter(submitted_by=user).select_related("cluster")
    return {
        "managed": [link for link in links if link.approved],
        "claims": [link for link in links if not link.approved],
        "registrations": list(registrations),
        "changes": list(changes),
    }


def export(user) -> dict:
    return {
        "managed": [
            {
                "cluster": link.cluster.name,
                "slug": link.cluster.slug,
                "role": link.role,
                "approved": link.approved,
                "trusted": link.trusted,
                "since": link.created_at,
            }
            for link in ClusterManager.objects.filter(user=user).select_related("cluster")
        ],
        "registrations": [
            {"cluster": cluster.name, "slug": cluster.slug, "status": cluster.status}
            for cluster in Cluster.all_objects.filter(submitted_by=user)
        ],
        "change_requests": [
            {
                "cluster": change.cluster.name,
                "status": change.status,
                "changes": change.changes,
                "submitted_at": change.created_at,
                "reason": change.reason,
            }
            for change in ChangeRequest.all_objects.filter(submitted_by=user).select_related(
                "cluster"
            )
        ],
    }


def erase(user) -> None:
    """End the person's manager links (in each cluster's history) and take their user name
    out of the profiles' field sources; the profiles stay."""
    for link in ClusterManager.objects.filter(user=user):
        history.soft_delete(
            link, user=user, message="The manager's account was deleted", checked=True
        )
    name = user.get_username()
    candidates = Cluster.all_objects.exclude(field_sources={}).only("pk", "field_sources")
    if name.isascii():  # a cheap first cut; stored JSON escapes other characters
        candidates = candidates.filter(field_sources__icontains=f'"{name}"')
    changed = []
    for cluster in candidates:
        sources = {
            field: [
                {**place, "user": DELETED_USER} if place.get("user") == name else place
                for place in places
            ]
            for field, places in cluster.field_sources.items()
        }
        if sources != cluster.field_sources:
            cluster.field_sources = sources
            changed.append(cluster)
    Cluster.all_objects.bulk_update(changed, ["field_sources"], batch_size=500)


def register() -> None:
    dashboard.register(
        dashboard.Panel(
            key="clusters",
            title="My clusters",
            order=20,
            template="clusters/panels/clusters.html",
            context=clusters_panel,
        )
    )
    dashboard.register_personal_data("clusters", export=export, erase=erase)
