"""A post that is not public never shows through any output of the marketplace: the list and
its search, the facet counts, the exports (CSV, XLSX), the matches of other posts (pages and
API), the API's list and detail, a funding call's partner searches, the disruptions page, the
value chain and what a follower sees. One test per hidden state, each over every output,
read by the people who must not see it: anonymous, a member of another organisation, the
manager of another cluster and a moderator (who reviews posts, but sees no hidden post in
the public outputs).

There are no marketplace feeds (Atom / iCalendar) to check: the feeds cover funding calls."""

import csv
import io

import pytest
from openpyxl import load_workbook

from clusterbridge.funding.models import Instrument
from clusterbridge.marketplace import services
from clusterbridge.marketplace.filtersets import PostFilterSet, facets
from clusterbridge.marketplace.models import Post
from clusterbridge.marketplace.views import list_queryset
from clusterbridge.taxonomy.models import Country, Feature, Term
from tests.marketplace.conftest import in_days, make_post, publish
from tests.organisations.conftest import acme, beta

pytestmark = pytest.mark.django_db
API = "/api/v1/marketplace/posts/"
MARK = "Zanzibarcode"  # in the hidden post's title: found by search if it leaks
READERS = ("anonymous", "other_owner", "other_manager", "admin")


def _hidden_values():
    return {
        "organisation": acme(),
        "kind": "need",
        "title": f"{MARK} ventilators",
        "description": "Ventilators for intensive care.",
        "features": list(Feature.objects.filter(code__in=["T1", "D2"])),
        "ecosystems": list(Term.objects.filter(vocabulary="ecosystems", code="health")),
        "countries": list(Country.objects.filter(code="SE")),
        "quantity": None,
        "unit": "",
        "is_disruption": True,
        "disrupted_supply": f"{MARK} valves",
    }


def _draft(users):
    return make_post(users["owner"], **_hidden_values())


def _submitted(users):
    return services.submit(_draft(users), users["owner"])


def _prevalidated(users):
    return services.prevalidate(_submitted(users), users["manager"])


def _returned(users):
    return services.send_back(_submitted(users), users["manager"], "Not in scope")


def _withdrawn(users):
    return services.withdraw(publish(_draft(users), users), users["owner"])


def _expired(users):
    post = publish(
        make_post(users["owner"], **{**_hidden_values(), "valid_until": in_days(1)}), users
    )
    services.expire_due(today=in_days(2))
    return post


def _past_its_date(users):
    """Published, but its date passed before `expire_posts` ran: hidden at once."""
    post = publish(_draft(users), users)
    Post.all_objects.filter(pk=post.pk).update(valid_until=in_days(-1))
    return post


def _synthetic(users):
    post = publish(_draft(users), users)
    Post.all_objects.filter(pk=post.pk).update(is_synthetic=True)
    return post


def _deleted(users):
    post = publish(_draft(users), users)
    services.posts.delete(post, users["admin"])
    return post


STATES = {
    "draft": _draft,
    "submitted": _submitted,
    "pre-validated": _prevalidated,
    "sent back (rejected)": _returned,
    "withdrawn": _withdrawn,
    "expired": _expired,
    "past its date": _past_its_date,
    "synthetic": _synthetic,
    "deleted": _deleted,
}
NEVER_PUBLIC = {"draft", "submitted", "pre-validated", "sent back (rejected)"}
# The states in which a moderator still opens the post itself (page and API detail): they
# review posts. Everyone else gets 404; a deleted post is gone for all.
DETAIL_FOR_ADMIN = set(STATES) - {"deleted", "synthetic"}


def _csv_text(response) -> str:
    assert response.status_code == 200
    return " ".join(
        cell
        for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        for cell in row
    )


def _xlsx_text(response) -> str:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


@pytest.mark.parametrize("state", list(STATES))
def test_a_hidden_post_leaks_through_no_output(users, client_for, api_client_for, state):
    call = Instrument.objects.filter(kind="call").first()
    visible = publish(
        make_post(
            users["other_owner"],
            organisation=beta(),
            kind="offer",
            title="Valves and ventilators offered",
            ecosystems=list(Term.objects.filter(vocabulary="ecosystems", code="health")),
        ),
        users,
    )
    search = publish(
        make_post(
            users["other_owner"],
            organisation=beta(),
            kind="partner-search",
            title="Partners for a ventilator pilot",
            roles_sought="A hospital",
            funding_call=call,
            quantity=None,
            unit="",
        ),
        users,
    )
    services.follow(visible, users["manager"])
    hidden = STATES[state](users)
    hidden_pk = hidden.pk
    assert not Post.objects.public().filter(pk=hidden_pk).exists()

    # Facet counts (computed, not rendered): the hidden need is neither counted as a need nor
    # as a disruption.
    filterset = PostFilterSet({}, queryset=list_queryset())
    counts = facets(filterset.filtered)
    assert {c["value"]: c["count"] for c in counts["kind"]} == {"offer": 1, "partner-search": 1}
    assert counts["disruption"] == []

    for role in READERS:
        client, api = client_for(role), api_client_for(role)
        pages = {
            "list": client.get("/marketplace/"),
            "list searched": client.get(f"/marketplace/?q={MARK}"),
            "list of needs": client.get("/marketplace/?kind=need"),
            "the offer's matches": client.get(visible.get_absolute_url()),
            "the call's partner searches": client.get(call.get_absolute_url()),
            "disruptions": client.get("/marketplace/disruptions/"),
            "value chain": client.get("/marketplace/value-chain/?ecosystem=health"),
            # (A moderator's own inbox there names the posts waiting for them, by design.)
            # Notifications sent while a post was public stay in the inbox: only posts that
            # were never public are checked there.
            "my clusterbridge": client.get("/account/")
            if role in ("other_owner", "other_manager") and state in NEVER_PUBLIC
            else None,
        }
        for name, response in pages.items():
            if response is None:
                continue
            assert response.status_code in (200, 400), f"{name} as {role}"
            html = response.content.decode()
            for trace in (f"{MARK} ventilators", f"{MARK} valves", f'"/marketplace/{hidden_pk}/"'):
                assert trace not in html, f"{state} leaks in {name} as {role}"
        assert MARK not in _csv_text(client.get("/marketplace/export.csv")), role
        assert MARK not in _xlsx_text(client.get(f"/marketplace/export.xlsx?q={MARK}")), role
        assert MARK not in _csv_text(client.get("/marketplace/export.csv?kind=need")), role

        assert api.get(API).json()["count"] == 2, role
        assert api.get(API, {"q": MARK}).json()["count"] == 0, role
        assert api.get(API, {"kind": "need"}).json()["count"] == 0, role
        for url in (f"{API}{visible.pk}/matches/", f"{API}{search.pk}/matches/"):
            ids = [m["id"] for m in api.get(url).json()]
            assert hidden_pk not in ids, f"{state} leaks in {url} as {role}"

        may_open = role == "admin" and state in DETAIL_FOR_ADMIN
        detail = client.get(f"/marketplace/{hidden_pk}/")
        api_detail = api.get(f"{API}{hidden_pk}/")
        if state == "synthetic":
            continue  # published and marked "synthetic test record" on its page, by design
        if may_open:
            assert detail.status_code == api_detail.status_code == 200
        else:
            assert detail.status_code == 404, f"{state} page as {role}"
            assert api_detail.status_code == 404, f"{state} API detail as {role}"
            assert api.get(f"{API}{hidden_pk}/matches/").status_code == 404
            follow = client.post(f"/marketplace/{hidden_pk}/follow/")
            assert follow.status_code in (302, 404)
    assert not services.followed_by(users["manager"]).filter(pk=hidden_pk).exists()
