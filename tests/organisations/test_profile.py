"""Profiles: public fields for everyone; members only for members; e-mail addresses and
pending requests only for owners — on the page and in the API. The cluster's profile lists
its member organisations that agree to be shown, and counts them."""

import pytest

from clusterbridge.organisations import services
from clusterbridge.organisations.models import Organisation
from clusterbridge.taxonomy.models import Country
from tests.conftest import make_user
from tests.organisations.conftest import acme, minalogic, mobile_heights, organisation_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(users):
    """Acme with a pending join request from max carrying a message, and a hidden, approved
    membership of Minalogic beside a shown one of Mobile Heights."""
    services.request_to_join(acme(), users["other_manager"], "Secret hello from max")
    shown = services.request_cluster_membership(
        acme(), users["owner"], mobile_heights(), show_publicly=True
    )
    services.approve_cluster_membership(shown, users["manager"])
    hidden = services.request_cluster_membership(
        acme(), users["owner"], minalogic(), show_publicly=False
    )
    services.approve_cluster_membership(hidden, users["other_manager"])
    return users


def html_for(client_for, role, url="/organisations/acme-robotics/") -> str:
    response = client_for(role).get(url)
    assert response.status_code == 200, (role, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "unverified", "other_owner", "manager"])
def test_others_see_the_public_profile_only(busy, client_for, role):
    html = html_for(client_for, role)
    assert "Acme Robotics" in html and "Robots that inspect wind turbines." in html
    assert "Renewable" in html and "T1" in html and "10–49 employees" in html
    assert "Mobile Heights" in html
    assert "Minalogic" not in html  # not shown publicly
    for private in ("mel", "olga@example.org", "mel@example.org", "Secret hello", "Members"):
        assert private not in html, (role, private)
    assert "Edit the profile" not in html


def test_a_member_sees_the_members_but_no_addresses_or_requests(busy, client_for):
    html = html_for(client_for, "member")
    assert "olga" in html and "mel" in html and "Owner" in html
    assert "Minalogic" in html and "not shown publicly" in html
    for private in ("olga@example.org", "Secret hello", "max"):
        assert private not in html
    assert "Leave Acme Robotics" in html and "Edit the profile" not in html


def test_the_owner_sees_requests_and_addresses_on_the_members_page(busy, client_for):
    html = html_for(client_for, "owner")
    assert "Members (1 request waiting)" in html and "Edit the profile" in html
    members = html_for(client_for, "owner", "/organisations/acme-robotics/members/")
    assert "Secret hello from max" in members and "max@example.org" in members
    assert "mel@example.org" in members
    for role in ("member", "other_owner", "manager", "unverified"):
        response = client_for(role).get("/organisations/acme-robotics/members/")
        assert response.status_code == 403
    assert client_for("anonymous").get("/organisations/acme-robotics/members/").status_code == 302


def test_the_join_box_says_what_each_visitor_can_do(busy, client_for):
    assert "Sign in</a> to ask to join" in html_for(client_for, "anonymous")
    assert "Confirm your e-mail address to ask to join" in html_for(client_for, "unverified")
    assert "Ask to join" in html_for(client_for, "other_owner")
    assert "waiting for the owners" in html_for(client_for, "other_manager")


def test_the_api_shows_public_fields_and_members_only_to_members(busy, api_client_for):
    detail = api_client_for("anonymous").get("/api/v1/organisations/acme-robotics/").json()
    assert detail["clusters"] == ["mobile-heights"]
    assert detail["features"] == ["D2", "T1"]
    assert "members" not in detail and "olga" not in str(detail)
    url = "/api/v1/organisations/acme-robotics/members/"
    assert api_client_for("anonymous").get(url).status_code in (401, 403)
    assert api_client_for("other_owner").get(url).status_code == 403
    as_member = api_client_for("member").get(url).json()
    assert {m["username"] for m in as_member} == {"olga", "mel"}
    assert "email" not in as_member[0] and "max" not in str(as_member)
    as_owner = api_client_for("owner").get(url).json()
    assert {m["username"]: m["status"] for m in as_owner}["max"] == "pending"
    assert {m["email"] for m in as_owner} >= {"olga@example.org", "max@example.org"}


def test_cluster_memberships_api_shows_each_side_its_own(busy, api_client_for):
    url = "/api/v1/cluster-memberships/"
    assert api_client_for("anonymous").get(url).status_code in (401, 403)
    clusters = lambda role: {  # noqa: E731
        item["cluster"] for item in api_client_for(role).get(url).json()["results"]
    }
    assert clusters("member") == {"mobile-heights", "minalogic"}
    assert clusters("manager") == {"mobile-heights"}
    assert clusters("other_manager") == {"minalogic"}
    assert clusters("other_owner") == set()
    services.request_cluster_membership(
        Organisation.objects.get(name="Beta Labs"),
        busy["other_owner"],
        mobile_heights(),
        show_publicly=True,
    )
    queue = api_client_for("manager").get(url + "?status=pending").json()["results"]
    assert [(i["organisation"], i["cluster"]) for i in queue] == [("beta-labs", "mobile-heights")]


def test_a_cluster_profile_lists_and_counts_its_shown_member_organisations(busy, client_for):
    html = html_for(client_for, "anonymous", "/clusters/mobile-heights/")
    assert "<strong>1</strong> member organisation on ClusterBridge" in html
    assert 'href="/organisations/acme-robotics/"' in html
    # The source documents' member figures stay as they are.
    assert "91 SMEs" in html
    minalogic_html = html_for(client_for, "anonymous", "/clusters/minalogic/")
    assert "No member organisation is listed on ClusterBridge yet" in minalogic_html
    assert "Acme" not in minalogic_html
    # The cluster's manager is pointed to the requests.
    services.request_cluster_membership(
        Organisation.objects.get(name="Beta Labs"),
        busy["other_owner"],
        mobile_heights(),
        show_publicly=True,
    )
    assert "1 membership request to decide" in html_for(
        client_for, "manager", "/clusters/mobile-heights/"
    )
    assert "membership request" not in html_for(client_for, "owner", "/clusters/mobile-heights/")
    # An owner gets a link to ask for each organisation they own.
    assert "Ask to list Beta Labs" in html_for(client_for, "other_owner", "/clusters/minalogic/")


def test_a_cluster_profile_links_to_all_members_when_there_are_many(users, client_for):
    admin = users["admin"]
    for index in range(14):
        organisation = services.create_organisation(
            admin, organisation_values(name=f"Member {index:02d}", country=None)
        )
        link = services.request_cluster_membership(
            organisation, admin, mobile_heights(), show_publicly=True
        )
        services.approve_cluster_membership(link, users["manager"])
    html = html_for(client_for, "anonymous", "/clusters/mobile-heights/")
    assert "<strong>14</strong> member organisations" in html
    assert html.count('href="/organisations/member-') == 12
    assert 'href="/organisations/?cluster=mobile-heights">All 14 member organisations' in html


def test_the_managers_queue_lists_only_their_clusters(busy, client_for):
    services.request_cluster_membership(
        Organisation.objects.get(name="Beta Labs"),
        busy["other_owner"],
        mobile_heights(),
        show_publicly=False,
    )
    html = html_for(client_for, "manager", "/organisations/cluster-requests/")
    assert "Beta Labs" in html and "does not want to be shown publicly" in html
    assert "Approve Beta Labs" in html
    assert "Acme Robotics" in html  # listed member, removable
    other = html_for(client_for, "other_manager", "/organisations/cluster-requests/")
    assert "Beta Labs" not in other and "No request is waiting." in other


def test_profile_query_count_is_constant(busy, client_for, django_assert_max_num_queries):
    anonymous, owner = client_for("anonymous"), client_for("owner")
    with django_assert_max_num_queries(5):
        assert anonymous.get("/organisations/acme-robotics/").status_code == 200
    with django_assert_max_num_queries(16):
        assert owner.get("/organisations/acme-robotics/").status_code == 200
    for index in range(10):
        person = make_user(f"person{index}")
        services.approve_request(services.request_to_join(acme(), person), busy["owner"])
    with django_assert_max_num_queries(16):
        assert owner.get("/organisations/acme-robotics/").status_code == 200
    with django_assert_max_num_queries(10):
        assert owner.get("/organisations/acme-robotics/members/").status_code == 200


def test_a_synthetic_profile_says_so_and_a_deleted_one_is_gone(users, client_for):
    Organisation.objects.filter(name="Beta Labs").update(is_synthetic=True)
    assert "Synthetic test record" in html_for(client_for, "anonymous", "/organisations/beta-labs/")
    services.delete_organisation(acme(), users["owner"])
    assert client_for("anonymous").get("/organisations/acme-robotics/").status_code == 404
    assert client_for("anonymous").get("/api/v1/organisations/acme-robotics/").status_code == 404


def test_the_create_form_shows_field_errors_and_keeps_nothing(users, client_for):
    client = client_for("other_owner")
    response = client.post("/organisations/new/", {"name": "", "website": "nope"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "type", "website"}
    response = client.post(
        "/organisations/new/", {"name": "acme ROBOTICS", "type": "sme", "country": "SE"}
    )
    assert "already on ClusterBridge: ask to join it instead" in response.content.decode()
    assert Organisation.objects.count() == 2
    response = client.post(
        "/organisations/new/",
        {"name": "Delta Drones", "type": "sme", "country": "DK", "ecosystems": ["digital"]},
    )
    delta = Organisation.objects.get(name="Delta Drones")
    assert response["Location"] == "/organisations/delta-drones/"
    assert delta.country == Country.objects.get(code="DK") and delta.is_owned_by(
        users["other_owner"]
    )


def test_the_edit_form_keeps_the_country_and_the_ticked_terms(users, client_for):
    response = client_for("owner").get("/organisations/acme-robotics/edit/")
    html = response.content.decode()
    assert '<option value="SE" selected>' in html
    assert 'value="renewable-energy"' in html and "checked" in html


def test_an_owner_reverts_an_edit_through_the_history(users, client_for):
    from clusterbridge.core.history import history_of

    services.update_organisation(acme(), users["owner"], {"region": "Wrong"})
    change = history_of(acme()).first()
    assert client_for("member").post(f"/history/{change.pk}/revert/").status_code == 403
    response = client_for("owner").post(f"/history/{change.pk}/revert/")
    assert response.status_code == 302
    assert acme().region == "Skåne" and history_of(acme()).first().action == "revert"


def test_a_declined_person_sees_when_they_can_ask_again(users, client_for):
    import datetime

    import time_machine
    from django.utils import timezone

    request = services.request_to_join(acme(), users["manager"])
    services.decline_request(request, users["owner"])
    html = html_for(client_for, "manager")
    assert "you can ask again a week after the decision" in html
    assert "Ask to join" not in html
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        html = html_for(client_for, "manager")
    assert "Your last request was declined." in html and "Ask to join" in html
