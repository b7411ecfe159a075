"""Offers ↔ needs matched automatically, ranked and explained; the other side told once
when a post is published (crisis posts at once); value-chain disruptions alert the matching
organisations and the clusters of the ecosystem; the all-pairs matcher agrees with the
one-post ranking."""

import pytest

from clusterbridge.clusters.models import Cluster
from clusterbridge.marketplace import matching, services
from clusterbridge.notifications.models import Notification
from clusterbridge.taxonomy.models import Country, Feature, Term
from tests.marketplace.conftest import beta, in_days, make_post, publish

pytestmark = pytest.mark.django_db


def _need(users, **changes):
    values = {
        "organisation": beta(),
        "kind": "need",
        "title": "Masks for care homes",
        "quantity": 150000,
        "countries": list(Country.objects.filter(code="SE")),
    }
    values.update(changes)
    return make_post(users["other_owner"], **values)


def test_a_need_ranks_the_offers_that_fit_with_reasons(users):
    best = publish(make_post(users["owner"], title="Best offer"), users)
    weaker = publish(
        make_post(
            users["owner"],
            title="Weaker offer",
            features=list(Feature.objects.filter(code="T1")),
            ecosystems=[],
            quantity=1000,
        ),
        users,
    )
    unrelated = publish(
        make_post(
            users["owner"],
            title="Unrelated",
            features=list(Feature.objects.filter(code="G1")),
            ecosystems=[],
            quantity=None,
            unit="",
        ),
        users,
    )
    elsewhere = publish(
        make_post(
            users["owner"],
            title="Only in France",
            countries=list(Country.objects.filter(code="FR")),
        ),
        users,
    )
    need = publish(_need(users), users)
    found = matching.matches_for(need)
    titles = [m.post.title for m in found]
    assert titles == ["Best offer", "Weaker offer"]
    assert unrelated.title not in titles and elsewhere.title not in titles
    top = found[0]
    assert top.score == 1.0 and top.covers is True
    assert "Ecosystem: Health" in top.reasons
    assert "Reaches Sweden" in top.reasons
    weak = found[1]
    assert weak.covers is False and "Covers 1% of the quantity (1,000 of 150,000)" in weak.reasons
    assert any(r.startswith("Missing: D2") for r in weak.reasons)
    # The other way round: the offer's page lists the need.
    assert [m.post.title for m in matching.matches_for(best)] == [need.title]
    assert weaker.pk != best.pk


def test_crisis_offers_come_first(users):
    publish(make_post(users["owner"], title="Normal offer"), users)
    publish(
        make_post(
            users["owner"],
            title="Crisis offer",
            urgency="crisis",
            features=list(Feature.objects.filter(code="T1")),
        ),
        users,
    )
    need = publish(_need(users), users)
    assert [m.post.title for m in matching.matches_for(need)] == ["Crisis offer", "Normal offer"]


def test_unpublished_posts_never_appear_among_matches(users):
    make_post(users["owner"], title="Draft offer")
    services.submit(make_post(users["owner"], title="Submitted offer"), users["owner"])
    need = publish(_need(users), users)
    assert matching.matches_for(need) == []


def test_a_partner_search_matches_the_offers(users):
    offer = publish(make_post(users["owner"]), users)
    search = publish(
        _need(
            users,
            kind="partner-search",
            title="Partners for a health pilot",
            roles_sought="A maker of masks",
            quantity=None,
            unit="",
            valid_until=in_days(40),
        ),
        users,
    )
    assert [m.post for m in matching.matches_for(search)] == [offer]


def test_publishing_tells_the_other_side_once_and_crisis_posts_at_once(users):
    publish(make_post(users["owner"]), users)
    need = publish(_need(users, urgency="crisis"), users)
    told = Notification.objects.filter(kind="marketplace-match", key=f"marketplace-match:{need.pk}")
    assert set(told.values_list("recipient__username", flat=True)) == {"olga", "mel"}
    assert all(n.urgent for n in told)
    # Nothing twice (claimed once per recipient and post).
    assert matching.after_publish(need) == 0


def test_a_disruption_alerts_the_matching_organisations_and_the_ecosystem_clusters(users, client):
    cluster = Cluster.objects.public().first()
    cluster.ecosystems.add(Term.objects.get(vocabulary="ecosystems", code="health"))
    from clusterbridge.clusters import services as cluster_services

    cluster_services.grant_manager(cluster, users["admin"], users["other_manager"])
    publish(make_post(users["owner"]), users)
    need = publish(
        _need(
            users,
            is_disruption=True,
            disrupted_supply="Melt-blown fabric from Lombardy",
            disrupted_since=in_days(-3),
        ),
        users,
    )
    assert Notification.objects.filter(
        recipient=users["other_manager"], kind="marketplace-disruption", urgent=True
    ).exists()
    assert Notification.objects.filter(recipient=users["owner"], kind="marketplace-match").exists()
    html = client.get("/marketplace/disruptions/").content.decode()
    assert "Melt-blown fabric from Lombardy" in html and "Health" in html
    assert need.get_absolute_url() in html


def test_match_all_agrees_with_the_ranking_of_one_post(users):
    publish(make_post(users["owner"], title="Best offer"), users)
    publish(
        make_post(
            users["owner"],
            title="Weaker offer",
            features=list(Feature.objects.filter(code="T1")),
            ecosystems=[],
        ),
        users,
    )
    publish(
        make_post(
            users["owner"], title="France", countries=list(Country.objects.filter(code="FR"))
        ),
        users,
    )
    need = publish(_need(users), users)
    from clusterbridge.marketplace.models import Post

    needs = matching.descriptors(Post.objects.published().filter(kind="need")).values()
    offers = matching.descriptors(Post.objects.published().filter(kind="offer")).values()
    found = matching.match_all(needs, offers)
    ranked = [(m.pk, round(m.score, 4)) for m in matching.ranked(need)]
    assert [(pk, round(score, 4)) for pk, score in found[need.pk]] == ranked
