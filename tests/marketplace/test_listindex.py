"""The list's in-memory index (`listindex`, `PostFilterSet.listing`) gives the same answers as
the FilterSet's ORM query: the same posts in the same order, the same total and the same
facet counts, for every filter and order, whatever the posts' states; and the list page and
the API read a fixed, small number of queries however many posts there are."""

import datetime
import random

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusterbridge.marketplace.filtersets import PostFilterSet, facets
from clusterbridge.marketplace.models import Post, PostQuerySet
from clusterbridge.marketplace.views import list_queryset
from clusterbridge.organisations.models import Organisation
from clusterbridge.taxonomy.models import Country, Feature, Term
from tests.api.helpers import THROTTLE_QUERIES
from tests.marketplace.conftest import acme, beta, minalogic, mobile_heights

pytestmark = pytest.mark.django_db

WORDS = ["masks", "gloves", "ventilators", "testing", "logistics", "care"]
FEATURES = ["T1", "T2", "D2", "P3", "A-health", "G1"]
ECOSYSTEMS = ["health", "digital", "agri-food"]
SECTORS = ["security", "agri-food", "energy"]  # agri-food: also an ecosystem
COUNTRIES = ["SE", "DK", "DE", "FR"]


def _codes(model, codes, **filters):
    return list(model.objects.filter(code__in=codes, **filters))


def make_posts(n: int = 60, seed: int = 3) -> list[Post]:
    """Posts in every state that matters to the list: published or not, expired, synthetic,
    of a deleted organisation, with or without countries, dates and publication times (some
    equal: the id decides)."""
    rng = random.Random(seed)
    features = _codes(Feature, FEATURES)
    ecosystems = _codes(Term, ECOSYSTEMS, vocabulary="ecosystems")
    sectors = _codes(Term, SECTORS, vocabulary="sectors")
    countries = _codes(Country, COUNTRIES)
    gone = Organisation.objects.create(name=f"Gone {seed}", slug=f"gone-{seed}", type="sme")
    organisations = [acme(), beta(), gone]
    clusters = [mobile_heights(), minalogic(), None]
    now, today = timezone.now(), timezone.localdate()
    made = []
    for i in range(n):
        kind = rng.choice(["offer", "need", "partner-search"])
        published = rng.random() < 0.75
        post = Post.all_objects.create(
            organisation=rng.choice(organisations),
            kind=kind,
            title=f"{rng.choice(WORDS).title()} {rng.choice(['alpha', 'Beta', 'gamma'])} {i}",
            description=" ".join(rng.sample(WORDS, 3)),
            urgency=rng.choice(["normal", "normal", "crisis"]),
            valid_until=rng.choice(
                [
                    None,
                    today + datetime.timedelta(days=rng.randint(0, 9)),
                    today - datetime.timedelta(days=1),
                ]
            ),
            cluster=rng.choice(clusters),
            is_disruption=kind == "need" and rng.random() < 0.3,
            status="published" if published else rng.choice(["draft", "moderation", "withdrawn"]),
            published_at=(
                None
                if not published or rng.random() < 0.1
                else now - datetime.timedelta(hours=rng.randint(0, 6))
            ),
            is_synthetic=rng.random() < 0.1,
        )
        post.features.set(rng.sample(features, rng.randint(0, 3)))
        post.ecosystems.set(rng.sample(ecosystems, rng.randint(0, 2)))
        post.sectors.set(rng.sample(sectors, rng.randint(0, 2)))
        post.countries.set(rng.sample(countries, rng.choice([0, 0, 1, 2])))
        made.append(post)
    gone.deleted_at = timezone.now()
    gone.save()
    return made


def _queries(seed: int = 5, count: int = 80) -> list[str]:
    rng = random.Random(seed)
    choices = {
        "kind": ["offer", "need", "partner-search"],
        "urgency": ["crisis", "normal"],
        "feature": FEATURES,
        "ecosystem": ECOSYSTEMS,
        "sector": SECTORS,
        "country": COUNTRIES,
        "cluster": ["mobile-heights", "minalogic"],
        "disruption": ["true", "false"],
        "q": ["masks", "glo", "care testing", "nothingatall", "!!"],
        "ordering": ["-published", "valid_until", "title"],
    }
    queries = ["", "funding_call=999", *(f"ordering={o}" for o in choices["ordering"])]
    for _ in range(count):
        query = QueryDict(mutable=True)
        for name in rng.sample(sorted(choices), rng.randint(1, 3)):
            values = choices[name]
            multiple = name not in ("disruption", "q", "ordering")
            query.setlist(name, rng.sample(values, rng.randint(1, 2) if multiple else 1))
        queries.append(query.urlencode())
    return queries


def _orm(query: str):
    filterset = PostFilterSet(QueryDict(query), queryset=list_queryset())
    assert filterset.is_valid(), (query, filterset.errors)
    return [post.pk for post in filterset.qs], facets(filterset.filtered)


def _indexed(query: str):
    filterset = PostFilterSet(QueryDict(query), queryset=list_queryset())
    assert filterset.is_valid(), (query, filterset.errors)
    listing = filterset.listing()
    return listing, listing.page_ids(0, listing.total), facets(listing)


def _same_answers(queries) -> None:
    for query in queries:
        ids, counts = _orm(query)
        listing, indexed, indexed_counts = _indexed(query)
        assert listing.total == len(ids), query
        assert indexed == ids, query
        assert indexed_counts == counts, query
        # A page read through the listing: the same posts, in order, as full rows.
        assert [post.pk for post in listing[2:7]] == ids[2:7], query


def test_the_index_answers_as_the_orm_for_every_filter_and_order(users):
    make_posts()
    _same_answers(_queries())


def test_the_index_follows_changes_to_the_posts(users):
    posts = make_posts(n=30, seed=11)
    queries = _queries(seed=12, count=25)
    _same_answers(queries)
    shown = [p for p in posts if p.status == "published" and p.organisation.deleted_at is None]
    # Withdrawn, changed, newly published: the next answer knows.
    shown[0].status = "withdrawn"
    shown[0].save()
    shown[1].urgency = "crisis" if shown[1].urgency == "normal" else "normal"
    shown[1].save()
    shown[2].features.set(_codes(Feature, ["G1"]))
    shown[2].save()  # the links change with a save of the post (as the services do)
    hidden = next(p for p in posts if p.status == "draft")
    hidden.status = "published"
    hidden.published_at = timezone.now()
    hidden.save()
    _same_answers(queries)
    Post.all_objects.filter(pk=shown[3].pk).delete()  # gone for good
    _same_answers(queries)


def test_synthetic_posts_shown_when_the_list_shows_them(users, monkeypatch):
    make_posts(n=30, seed=21)
    monkeypatch.setattr(PostQuerySet, "show_synthetic", True)
    _same_answers(_queries(seed=22, count=20))


def test_the_list_page_and_the_api_read_a_fixed_number_of_queries(users, client):
    make_posts(n=40, seed=31)
    query = "kind=offer&kind=need&feature=T1&country=SE&ordering=-published"
    client.get("/marketplace/")  # the index is read once per process and change
    with CaptureQueriesContext(connection) as page:
        response = client.get(f"/marketplace/?{query}")
    assert response.status_code == 200
    # The codes checked (2) and their ids (2), the freshness check (2), the page's rows and
    # countries (2), the facets' labels (5).
    assert len(page) <= 13, "\n".join(q["sql"][:150] for q in page.captured_queries)
    client.get("/api/v1/marketplace/posts/")
    with CaptureQueriesContext(connection) as api:
        response = client.get(f"/api/v1/marketplace/posts/?{query}")
    assert response.status_code == 200
    # The codes checked (2) and their ids (2), the freshness check (2), the rows (1), their
    # codes (4).
    assert len(api) <= 11 + THROTTLE_QUERIES, "\n".join(
        q["sql"][:150] for q in api.captured_queries
    )
    make_posts(n=40, seed=32)
    client.get("/marketplace/")
    with CaptureQueriesContext(connection) as more:
        client.get(f"/marketplace/?{query}")
    assert len(more) <= 13  # twice the posts, the same queries
