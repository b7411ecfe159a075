"""The cluster profile's section on its member organisations (the clusters app includes it
with `{% cluster_member_organisations cluster %}`, without importing this app)."""

from django import template

from clusterbridge.accounts import roles
from clusterbridge.organisations.models import ClusterMembership, Membership

register = template.Library()

# The profile lists this many; the directory filtered by the cluster lists them all.
SHOWN_ON_PROFILE = 12


@register.inclusion_tag("organisations/_cluster_members.html", takes_context=True)
def cluster_member_organisations(context, cluster, can_manage: bool = False):
    """The member organisations that agree to be shown, their number, and for the cluster's
    managers the number of requests waiting for them."""
    shown = (
        ClusterMembership.objects.shown()
        .filter(cluster=cluster)
        .select_related("organisation", "organisation__country")
        .order_by("organisation__name")
    )
    links = list(shown[: SHOWN_ON_PROFILE + 1])
    total = len(links) if len(links) <= SHOWN_ON_PROFILE else shown.count()
    return {
        "cluster": cluster,
        "organisations": [link.organisation for link in links[:SHOWN_ON_PROFILE]],
        "total": total,
        "can_manage": can_manage,
        "pending": (
            ClusterMembership.objects.pending()
            .filter(cluster=cluster, organisation__deleted_at=None)
            .count()
            if can_manage
            else 0
        ),
        "owned": _owned_organisations(context.get("request")),
    }


def _owned_organisations(request) -> list:
    """The organisations the visitor owns: each may ask this cluster to list it."""
    user = getattr(request, "user", None)
    if not roles.is_member(user):
        return []
    return [
        m.organisation
        for m in Membership.objects.filter(
            user=user,
            role=Membership.Role.OWNER,
            status=Membership.Status.ACTIVE,
            organisation__deleted_at=None,
        ).select_related("organisation")
    ]
