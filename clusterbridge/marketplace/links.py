"""The marketplace's links in the relatedness network (`analytics.network`): an
organisation is tied to the features and industrial ecosystems of its published, real
posts ("offers …" / "needs …"). Only what the public list shows counts
(`PostQuerySet.public`), and only for organisations already in the graph (the network's
country and ecosystem filters apply)."""

from __future__ import annotations

import networkx as nx

KIND = "marketplace post"


def add_post_links(graph: nx.Graph) -> None:
    from clusterbridge.analytics.network import add_link
    from clusterbridge.marketplace.models import Kind, Post

    organisation_ids = [
        int(node.split(":", 1)[1])
        for node, data in graph.nodes(data=True)
        if data.get("kind") == "organisation"
    ]
    if not organisation_ids:
        return
    posts = (
        Post.objects.public()
        .filter(organisation_id__in=organisation_ids, kind__in=[Kind.OFFER, Kind.NEED])
        .select_related("organisation")
        .prefetch_related("features", "ecosystems")
        .order_by("pk")
    )
    for post in posts:
        node = f"organisation:{post.organisation_id}"
        verb = "offers" if post.kind == Kind.OFFER else "needs"
        for kind, terms in (("feature", post.features.all()), ("ecosystem", post.ecosystems.all())):
            for term in terms:
                field_node = f"{kind}:{term.code}"
                if field_node not in graph:
                    label = str(term) if kind == "feature" else term.label
                    graph.add_node(field_node, kind=kind, label=label, url="", country="")
                add_link(
                    graph,
                    node,
                    field_node,
                    f"{post.organisation.name} {verb} “{post.title}” ({term.label})",
                    KIND,
                )


def fingerprint() -> tuple:
    """Changes when a post changes, and each day (posts leave the public list at their
    date)."""
    from django.db.models import Count, Max
    from django.utils import timezone

    from clusterbridge.marketplace.models import Post

    found = Post.all_objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return (found["n"], found["last"], timezone.localdate())
