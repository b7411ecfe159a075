"""The marketplace in the relatedness network: an organisation's published posts tie it to
the posts' features and ecosystems, with the post as the reason; drafts do not."""

import pytest

from clusterbridge.analytics import network
from clusterbridge.marketplace.models import Post
from clusterbridge.taxonomy.models import Feature
from tests.marketplace.conftest import acme, make_post, publish

pytestmark = pytest.mark.django_db


def test_published_posts_link_the_organisation_to_their_features_and_ecosystems(users):
    node = f"organisation:{acme().pk}"
    draft = make_post(
        users["owner"], title="Draft offer", features=list(Feature.objects.filter(code="T3"))
    )
    before = network.cached_analysis().graph
    post = publish(make_post(users["owner"]), users)
    assert post.status == "published"
    assert not before.has_edge(node, "ecosystem:health")
    # The cached analysis is rebuilt once a post changes.
    assert network.cached_analysis().graph.has_edge(node, "ecosystem:health")
    graph = network.build_graph()
    reasons = graph.edges[node, "feature:T1"]["reasons"]
    assert "Acme Robotics offers “Face masks, 200,000 a week” (AI (ML))" in reasons
    assert graph.has_edge(node, "ecosystem:health")
    assert not graph.has_edge(node, "feature:T3")  # the draft is nobody's business yet
    assert draft.status == "draft"
    # A need reads as a need; a withdrawn post leaves the network.
    Post.objects.filter(pk=post.pk).update(kind="need")
    assert "needs" in " ".join(network.build_graph().edges[node, "feature:T1"]["reasons"])
    Post.objects.filter(pk=post.pk).update(status="withdrawn")
    graph = network.build_graph()
    assert not [r for *_, d in graph.edges(node, data=True) for r in d["reasons"] if "Face" in r]
