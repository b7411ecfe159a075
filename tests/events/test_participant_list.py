"""The participant list's facts (participant_facts): read once per profiles version and
shared by every viewer, so a viewer's first view costs as few queries as a repeated one;
each viewer still sees only the others of their own event, counted without themselves."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from clusterbridge.events import matchmaking, participant_facts, services
from clusterbridge.taxonomy.models import Feature
from tests.conftest import make_user
from tests.events.conftest import ANSWERS, event_values

pytestmark = pytest.mark.django_db

# A page view: session, user, groups, event, own profile, profiles version, the page's rows;
# the unfiltered page also loads the five people suggested.
PAGE = 7
SUGGESTED = 1
# The API's list: event, own profile, the country checked, count, rows, and features
# offered, sought and ecosystems of the rows (the throttle's cache aside).
API = 8
# The facts read from the database: participants, three kinds of links, features, terms.
READ = 6


def _queries(client, url, status=200) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status
    return len(captured.captured_queries), response.content.decode()


def _cache_writes() -> int:
    """Queries of one cache write with this project's cache (database table, or none)."""
    with CaptureQueriesContext(connection) as captured:
        cache.set("events.test-probe", 1, 60)
    cache.delete("events.test-probe")
    return len(captured.captured_queries)


def _data(captured) -> list[str]:
    """The queries of the data asked for, without the throttle's cache and its transaction."""
    skipped = ("PRAGMA", "SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")
    return [
        q["sql"][:120]
        for q in captured.captured_queries
        if "clusterbridge_cache" not in q["sql"] and not q["sql"].startswith(skipped)
    ]


def _results(html: str) -> str:
    """The page from its filter panel on: the facets, the results and the suggestions."""
    return html[html.index("<h1>Participants</h1>") :]


def _count(html: str, value: str) -> int:
    found = re.search(rf'value="{value}"[^<]*<span class="count"[^>]*>\((\d+)\)', html)
    return int(found.group(1)) if found else 0


@pytest.fixture
def crowd(event, registered, users):
    """Six participants (features T1 or D2, Sweden or Finland) and bob, who seeks T1."""
    people = [
        registered(name, features=["T1"] if n % 2 else ["D2"], country="SE" if n % 3 else "FI")
        for n, name in enumerate(["ann", "ben", "cat", "dan", "eve", "fay"])
    ]
    me = matchmaking.join_matchmaking(
        services.register_for(event, users["member"], answers=ANSWERS), users["member"]
    )
    matchmaking.update_profile(
        me, users["member"], {"seek_features": list(Feature.objects.filter(code="T1"))}
    )
    return people


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_first_and_repeated_views_cost_a_fixed_number_of_queries(event, crowd, users):
    """The first view after a change reads the facts (six queries) and shares them; another
    viewer's first view, and every later view, reads none; a process that has not kept them
    reads them from the shared cache (one read). Filters add the ids of their results."""
    url = f"/events/{event.slug}/participants/"
    cache.clear()
    participant_facts.forget()
    bob = _client(users["member"])
    read, html = _queries(bob, url)
    assert "Suggested for you" in html
    assert read == PAGE + SUGGESTED + 1 + READ + _cache_writes()  # 1: the shared cache missed
    ben = _client(crowd[1].user)
    assert _queries(ben, url)[0] == PAGE + SUGGESTED  # ben's first view
    assert _queries(bob, url)[0] == PAGE + SUGGESTED
    kept = _queries(bob, url)[1]
    participant_facts.forget()  # as another process, which finds them in the shared cache
    shared, html = _queries(bob, url)
    assert shared == PAGE + SUGGESTED + 1
    assert _results(html) == _results(kept)
    # Filters: the ids of the results; with country or type and another filter, also the
    # ids without country and type (for their counts). A country or a feature is checked
    # against the taxonomy (one query, as before).
    assert _queries(bob, url + "?type=sme")[0] == PAGE + 1
    assert _queries(bob, url + "?country=FI")[0] == PAGE + 1 + 1
    assert _queries(bob, url + "?feature=T1&side=offers")[0] == PAGE + 1 + 1
    assert _queries(bob, url + "?q=org&type=sme&country=SE")[0] == PAGE + 2 + 1
    assert _queries(bob, url + "?page=1")[0] == PAGE


def test_the_cost_does_not_grow_with_participants(event, registered, users):
    url = f"/events/{event.slug}/participants/"
    me = matchmaking.join_matchmaking(
        services.register_for(event, users["member"], answers=ANSWERS), users["member"]
    )
    matchmaking.update_profile(
        me, users["member"], {"seek_features": list(Feature.objects.filter(code="T1"))}
    )
    bob = _client(users["member"])
    counts = []
    for names in (["ann", "ben"], [f"p{n:02d}" for n in range(10)]):
        for n, name in enumerate(names):
            registered(name, features=["T1"] if n % 2 else ["D2"], country="SE" if n % 3 else "FI")
        first, html = _queries(bob, url)  # profiles changed: the facts are read again
        assert "Suggested for you" in html
        counts.append((first, _queries(bob, url)[0], _queries(bob, url + "?country=FI")[0]))
    assert counts[0] == counts[1]


def test_each_viewer_is_counted_out_of_their_own_facets(event, crowd, users):
    """The facts are shared; the counts are each viewer's: the others, never themselves."""
    url = f"/events/{event.slug}/participants/"
    finns = [p for p in crowd if p.organisation.country.code == "FI"]
    assert len(finns) == 2
    for viewer, expected in ((finns[0], 1), (crowd[1], 2)):
        html = _client(viewer.user).get(url).content.decode()
        assert _count(html, "FI") == expected
        assert f"{len(crowd)} participants" in html  # the five others and bob
        assert viewer.display_name not in html.split('id="results"')[1]


def test_a_changed_profile_is_counted_on_the_next_view(event, crowd, users):
    url = f"/events/{event.slug}/participants/"
    bob = _client(users["member"])
    assert _count(bob.get(url).content.decode(), "P1") == 0
    ann = crowd[0]
    matchmaking.update_profile(
        ann, ann.user, {"seek_features": list(Feature.objects.filter(code="P1"))}
    )
    html = bob.get(url).content.decode()
    assert _count(html, "P1") == 1
    assert _count(bob.get(url + "?side=offers").content.decode(), "P1") == 0


def test_facts_of_one_event_never_show_at_another(event, crowd, users, manager):
    """Two events in one process: each list shows its own people only."""
    other = services.events.create(manager, event_values(title="Hydrogen brokerage")).obj
    zoe = make_user("zoe")
    matchmaking.join_matchmaking(services.register_for(other, zoe, answers=ANSWERS), zoe)
    bob = _client(users["member"])
    assert "6 participants" in bob.get(f"/events/{event.slug}/participants/").content.decode()
    html = _client(zoe).get(f"/events/{other.slug}/participants/").content.decode()
    assert "0 participants" in html
    assert not any(p.display_name in html for p in crowd)
    assert _queries(bob, f"/events/{other.slug}/participants/", status=403)


def test_the_api_list_costs_a_fixed_number_of_queries(event, registered, users):
    """/api/v1/events/<slug>/participants/: the same queries with 2 or 12 others."""
    services.register_for(event, users["member"], answers=ANSWERS)
    api = APIClient()
    api.force_authenticate(users["member"])
    url = f"/api/v1/events/{event.slug}/participants/"
    counts = []
    for names in (["ann", "ben"], [f"p{n:02d}" for n in range(10)]):
        for n, name in enumerate(names):
            registered(name, features=["T1"] if n % 2 else ["D2"], country="SE" if n % 3 else "FI")
        api.force_authenticate(type(users["member"]).objects.get(pk=users["member"].pk))
        with CaptureQueriesContext(connection) as captured:
            listing = api.get(url + "?country=SE")
        assert listing.status_code == 200
        assert all("email" not in row for row in listing.json()["results"])
        counts.append(len(_data(captured)))
    assert counts[0] == counts[1] == API


def test_the_list_ranks_as_the_profiles_do(event, crowd, registered, users):
    """Ranking from the shared facts gives the people, scores and reasons that ranking
    from the profiles does, for every viewer (own organisation and oneself left out)."""
    from clusterbridge.events.models import Participant

    ann = crowd[0]
    matchmaking.update_profile(
        ann,
        ann.user,
        {
            "seeks": "offshore inspection partners and wind logistics",
            "seek_features": list(Feature.objects.filter(code__in=["T1", "P1"])),
        },
    )
    registered("gus", features=["P1"], description="Offshore wind inspection")
    everyone = list(Participant.objects.filter(event=event))
    facts = participant_facts.facts_of(event, matchmaking.profiles_version(event))
    ranked = 0
    for me in everyone:
        expected = matchmaking.suggestions_for(me, Participant.objects.filter(event=event), 5)
        found = matchmaking.suggestions_among(me, facts, 5)
        assert [(s.participant, s.score, s.reasons) for s in found] == [
            (s.participant, s.score, s.reasons) for s in expected
        ]
        ranked += bool(found)
    assert ranked >= 3
