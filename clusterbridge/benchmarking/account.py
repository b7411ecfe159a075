"""What benchmarking adds to a person's account: a panel on My ClusterBridge listing the
assessments of the clusters they manage, and in "download my data" the assessments they
began or submitted (the answers belong to the cluster; the person's part is listed)."""

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest

from clusterbridge.accounts import roles
from clusterbridge.benchmarking.models import Assessment


def panel_context(request: HttpRequest) -> dict | None:
    """The clusters the person manages, each with its latest assessment (one query)."""
    from clusterbridge.benchmarking.views import managed_clusters

    user = request.user
    if not roles.is_member(user):
        return None
    latest = Assessment.objects.filter(cluster=OuterRef("pk")).order_by("-created_at", "-pk")
    clusters = list(
        managed_clusters(user)
        .only("pk", "name", "slug")
        .annotate(
            latest_pk=Subquery(latest.values("pk")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_completion=Subquery(latest.values("completion")[:1]),
            latest_submitted=Subquery(latest.values("submitted_at")[:1]),
        )
    )
    if not clusters:
        return None
    return {"clusters": clusters}


def personal_data(user) -> dict:
    rows = Assessment.all_objects.filter(created_by=user) | Assessment.all_objects.filter(
        submitted_by=user
    )
    return {
        "assessments": [
            {
                "cluster": item.cluster.name,
                "status": item.status,
                "began_by_you": item.created_by_id == user.pk,
                "submitted_by_you": item.submitted_by_id == user.pk,
                "began_at": item.created_at.isoformat(),
                "submitted_at": item.submitted_at.isoformat() if item.submitted_at else None,
                "completion": item.completion,
                "answers": item.answers,
            }
            for item in rows.select_related("cluster").distinct().order_by("created_at")
        ]
    }
