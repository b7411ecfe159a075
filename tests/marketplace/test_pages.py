"""The pages: the faceted list with its counts, a post's page (validator, contact, matches),
create and edit, the queues, my posts, the funding call's partner searches; query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterbridge.funding.models import Instrument
from clusterbridge.marketplace import services
from clusterbridge.marketplace.models import Post
from clusterbridge.notifications.models import Notification
from clusterbridge.taxonomy.models import Country, Feature, Term
from tests.marketplace.conftest import beta, in_days, make_post, publish

pytestmark = pytest.mark.django_db


def _published_set(users):
    offer = publish(make_post(users["owner"]), users)
    need = publish(
        make_post(
            users["other_owner"],
            organisation=beta(),
            kind="need",
            title="Masks for care homes",
            urgency="crisis",
            quantity=150000,
            countries=list(Country.objects.filter(code="SE")),
        ),
        users,
    )
    return offer, need


def test_the_list_shows_published_posts_only_with_facet_counts(users, client):
    offer, need = _published_set(users)
    make_post(users["owner"], title="A secret draft")
    response = client.get("/marketplace/")
    html = response.content.decode()
    assert response.status_code == 200
    assert offer.title in html and need.title in html
    assert "A secret draft" not in html
    assert "2 of 2 posts" in html or "1 – 2 of 2 posts" in html
    # Facets with counts: one offer, one need.
    assert 'name="kind" value="offer"' in html and 'name="kind" value="need"' in html
    response = client.get("/marketplace/?kind=need")
    assert offer.title not in response.content.decode()
    assert need.title in response.content.decode()
    # Crisis posts come first.
    page = client.get("/marketplace/").content.decode()
    assert page.index(need.title) < page.index(offer.title)


@pytest.mark.parametrize(
    "query, found",
    [
        ("kind=offer", {"offer"}),
        ("urgency=crisis", {"need"}),
        ("feature=T1", {"offer", "need"}),
        ("ecosystem=health", {"offer", "need"}),
        ("country=DK", {"offer"}),  # the need is for Sweden only
        ("country=FR", set()),
        ("cluster=mobile-heights", {"offer"}),
        ("q=care+homes", {"need"}),
    ],
)
def test_each_filter_of_the_list(users, client, query, found):
    posts = dict(zip(("offer", "need"), _published_set(users), strict=True))
    html = client.get(f"/marketplace/?{query}").content.decode()
    for name, post in posts.items():
        assert (post.title in html) == (name in found), (query, name)


def test_an_unknown_filter_value_is_an_error_not_a_crash(users, client):
    response = client.get("/marketplace/?feature=ZZ9")
    assert response.status_code == 400
    assert "ZZ9" in response.content.decode()


def test_the_list_page_makes_a_fixed_number_of_queries(users, client):
    _published_set(users)
    client.get("/marketplace/")
    with CaptureQueriesContext(connection) as few:
        client.get("/marketplace/")
    for n in range(6):
        publish(make_post(users["owner"], title=f"Offer {n}"), users)
    with CaptureQueriesContext(connection) as many:
        client.get("/marketplace/")
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_a_post_page_names_its_validating_cluster_and_shows_no_email(users, client):
    offer, need = _published_set(users)
    html = client.get(offer.get_absolute_url()).content.decode()
    assert "Mobile Heights" in html and "Validated by" in html
    assert "@example.org" not in html
    assert "Sign in to write to Acme Robotics" in html
    # The need's page lists the offer among its matches, with reasons.
    html = client.get(need.get_absolute_url()).content.decode()
    assert "Offers that fit" in html and offer.title in html
    assert "Shared features" in html


def test_the_post_page_makes_a_fixed_number_of_queries(users, client_for):
    offer, need = _published_set(users)
    client = client_for("other_manager")
    client.get(need.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(need.get_absolute_url())
    for n in range(5):
        publish(make_post(users["owner"], title=f"Offer {n}"), users)
    with CaptureQueriesContext(connection) as many:
        client.get(need.get_absolute_url())
    assert len(many) == len(few)


def test_unpublished_posts_are_not_found_by_others(users, client_for):
    draft = make_post(users["owner"])
    for role in ("anonymous", "other_owner", "other_manager"):
        assert client_for(role).get(draft.get_absolute_url()).status_code == 404
    assert client_for("member").get(draft.get_absolute_url()).status_code == 200
    services.submit(draft, users["owner"])
    assert client_for("manager").get(draft.get_absolute_url()).status_code == 200
    assert client_for("other_manager").get(draft.get_absolute_url()).status_code == 404


def _form(**changes) -> dict:
    data = {
        "organisation": str(beta().pk),
        "kind": "need",
        "title": "Ventilators",
        "description": "<script>alert(1)</script> We need ventilators.",
        "features": [str(Feature.objects.get(code="T1").pk)],
        "ecosystems": [str(Term.objects.get(vocabulary="ecosystems", code="health").pk)],
        "countries": ["SE"],
        "quantity": "40",
        "unit": "ventilators",
        "urgency": "crisis",
        "valid_until": in_days(30).isoformat(),
    }
    data.update(changes)
    return data


def test_create_a_post_and_submit_it_from_the_form(users, client_for):
    client = client_for("other_owner")
    assert client.get("/marketplace/new/").status_code == 200
    response = client.post("/marketplace/new/", _form(submit="1"))
    post = Post.objects.get(title="Ventilators")
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.status == "moderation"  # Beta Labs is in no cluster
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_form_shows_field_errors_and_writes_nothing(users, client_for):
    client = client_for("other_owner")
    response = client.post("/marketplace/new/", _form(kind="partner-search", valid_until=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Name the roles of the partners" in html
    assert "A partner search needs a closing date." in html
    assert not Post.objects.exists()


def test_a_person_in_no_organisation_is_told_how_to_post(users, client_for):
    response = client_for("other_manager").get("/marketplace/new/")
    assert response.status_code == 403
    assert "organisation directory" in response.content.decode()


def test_edit_a_draft_keeps_its_version(users, client_for):
    post = make_post(users["other_owner"], organisation=beta(), kind="need")
    client = client_for("other_owner")
    data = _form(title="Ventilators, 40", version=str(post.version))
    response = client.post(f"/marketplace/{post.pk}/edit/", data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Ventilators, 40" and post.version == 2


def test_the_queues_and_decisions_on_the_pages(users, client_for):
    post = services.submit(make_post(users["owner"]), users["owner"])
    manager = client_for("manager")
    assert post.title in manager.get("/marketplace/cluster-queue/").content.decode()
    assert (
        post.title
        not in client_for("other_manager").get("/marketplace/cluster-queue/").content.decode()
    )
    manager.post(f"/marketplace/{post.pk}/prevalidate/", {"next": "cluster-queue"})
    post.refresh_from_db()
    assert post.status == "moderation"
    assert client_for("other_owner").get("/marketplace/moderation/").status_code == 403
    admin = client_for("admin")
    assert post.title in admin.get("/marketplace/moderation/").content.decode()
    admin.post(f"/marketplace/{post.pk}/approve/")
    post.refresh_from_db()
    assert post.status == "published"


def test_contact_sends_a_message_to_the_organisation_and_both_sides_see_it(users, client_for):
    offer, _ = _published_set(users)
    client = client_for("other_owner")
    client.post(f"/marketplace/{offer.pk}/message/", {"body": "We need 50,000 a week."})
    note = Notification.objects.get(
        recipient=users["member"], kind="marketplace", body__contains="50,000"
    )
    assert "otto" in note.subject
    assert "We need 50,000 a week." in client.get(offer.get_absolute_url()).content.decode()
    insider = client_for("owner")
    assert "We need 50,000 a week." in insider.get(offer.get_absolute_url()).content.decode()
    # Nobody else sees the thread.
    assert (
        "We need 50,000"
        not in client_for("other_manager").get(offer.get_absolute_url()).content.decode()
    )
    message = offer.messages.get()
    insider.post(f"/marketplace/messages/{message.pk}/reply/", {"body": "Done: call us."})
    assert Notification.objects.filter(
        recipient=users["other_owner"], body="Done: call us."
    ).exists()


def test_messages_are_rate_limited(users, client_for):
    offer, _ = _published_set(users)
    for n in range(services.MESSAGES_PER_HOUR):
        services.contact(offer, users["other_owner"], f"Message {n}")
    with pytest.raises(Exception, match="wait a little"):
        services.contact(offer, users["other_owner"], "One more")


def test_my_posts_and_the_account_panel(users, client_for):
    make_post(users["owner"], title="My draft")
    client = client_for("member")
    assert "My draft" in client.get("/marketplace/mine/").content.decode()
    html = client.get("/account/").content.decode()
    assert "My marketplace posts" in html and "1 post of your organisations" in html
    assert "My draft" not in client_for("other_owner").get("/marketplace/mine/").content.decode()


def test_download_my_data_has_my_posts(users, client_for):
    from clusterbridge.accounts.services import export_personal_data

    make_post(users["owner"], title="My draft")
    data = export_personal_data(users["owner"])
    assert [p["title"] for p in data["marketplace"]["posts"]] == ["My draft"]


def test_a_funding_call_lists_the_partner_searches_naming_it(users, client):
    call = Instrument.objects.filter(kind="call").first()
    search = make_post(
        users["other_owner"],
        organisation=beta(),
        kind="partner-search",
        title="Partners wanted for a health pilot",
        roles_sought="A hospital\nAn SME with sensors",
        funding_call=call,
        quantity=None,
        unit="",
    )
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Partners wanted for a health pilot" not in page  # not published yet
    publish(search, users)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Looking for partners for this call" in page and search.title in page
    assert call.name in client.get(search.get_absolute_url()).content.decode()


def test_the_cluster_and_disruption_facets_are_counted(users, client):
    _published_set(users)
    need = make_post(
        users["other_owner"],
        organisation=beta(),
        kind="need",
        title="Fabric",
        is_disruption=True,
        disrupted_supply="Melt-blown fabric",
    )
    publish(need, users)
    html = client.get("/marketplace/").content.decode()
    assert 'name="cluster" value="mobile-heights"' in html
    assert 'name="disruption" value="true"' in html
    html = client.get("/marketplace/?disruption=true").content.decode()
    assert "Fabric" in html and "Face masks" not in html
