"""/api/v1/marketplace/posts/: the page's filters, published posts only, writes through the
service with tokens, versions, submit, the matches."""

import pytest

from clusterbridge.marketplace.models import Post
from tests.marketplace.conftest import beta, in_days, make_post, publish

pytestmark = pytest.mark.django_db
API = "/api/v1/marketplace/posts/"


def _body(**changes) -> dict:
    body = {
        "organisation": "beta-labs",
        "kind": "need",
        "title": "Ventilators",
        "description": "40 ventilators for intensive care.",
        "features": ["T1"],
        "ecosystems": ["health"],
        "countries": ["SE"],
        "quantity": 40,
        "unit": "ventilators",
        "urgency": "crisis",
        "valid_until": in_days(20).isoformat(),
    }
    body.update(changes)
    return body


def test_the_list_has_published_posts_and_the_pages_filters(users, api_client_for):
    offer = publish(make_post(users["owner"]), users)
    make_post(users["owner"], title="Draft")
    api = api_client_for("anonymous")
    data = api.get(API).json()
    assert [p["title"] for p in data["results"]] == [offer.title]
    assert api.get(API, {"kind": "need"}).json()["count"] == 0
    assert api.get(API, {"feature": "T1", "country": "DK"}).json()["count"] == 1
    response = api.get(API, {"feature": "ZZ9"})
    assert response.status_code == 400 and "ZZ9" in str(response.json())
    item = data["results"][0]
    assert item["cluster"] == "mobile-heights" and item["organisation"] == "acme-robotics"
    assert "return_reason" not in item
    assert "@" not in str(item)


def test_a_member_creates_updates_and_submits_with_a_token(users, api_client_for):
    api = api_client_for("other_owner")
    response = api.post(API, _body(), format="json")
    assert response.status_code == 201, response.json()
    post = Post.objects.get(title="Ventilators")
    assert post.status == "draft" and post.author == users["other_owner"]
    url = f"{API}{post.pk}/"
    response = api.patch(url, {"title": "Ventilators, 40"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200 and response["ETag"] == '"2"'
    stale = api.patch(url, {"title": "Old"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    response = api.post(f"{url}submit/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "moderation"
    response = api.patch(url, {"title": "Too late"}, format="json")
    assert response.status_code == 400


def test_bad_input_is_a_400_naming_the_fields(users, api_client_for):
    api = api_client_for("other_owner")
    response = api.post(
        API, _body(kind="partner-search", valid_until=None, features=["ZZ9"]), format="json"
    )
    assert response.status_code == 400
    assert "features" in response.json()
    response = api.post(API, _body(kind="partner-search", valid_until=None), format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"roles_sought", "valid_until"}
    assert not Post.objects.exists()


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("owner", 403), ("unverified", 403)])
def test_only_members_post_for_an_organisation(users, api_client_for, role, status):
    response = api_client_for(role).post(API, _body(), format="json")
    assert response.status_code == status
    assert not Post.objects.exists()


def test_unpublished_posts_do_not_leak_through_the_api(users, api_client_for):
    draft = make_post(users["other_owner"], organisation=beta(), kind="need")
    for role in ("anonymous", "owner", "manager"):
        api = api_client_for(role)
        assert api.get(f"{API}{draft.pk}/").status_code == 404
        assert api.get(f"{API}{draft.pk}/matches/").status_code == 404
        assert api.get(API).json()["count"] == 0
    assert api_client_for("other_owner").get(f"{API}{draft.pk}/").status_code == 200


def test_the_matches_of_a_post_with_reasons(users, api_client_for):
    offer = publish(make_post(users["owner"]), users)
    need = publish(
        make_post(
            users["other_owner"],
            organisation=beta(),
            kind="need",
            title="Masks",
            quantity=150000,
            countries=[],
        ),
        users,
    )
    data = api_client_for("anonymous").get(f"{API}{need.pk}/matches/").json()
    assert [m["id"] for m in data] == [offer.pk]
    assert data[0]["covers_quantity"] is True
    shared = [r for r in data[0]["reasons"] if r.startswith("Shared features: ")]
    assert shared and "T1" in shared[0] and "D2" in shared[0]
    assert "Covers the quantity: 200,000 of 150,000 masks per week" in data[0]["reasons"]


def test_the_schema_describes_the_marketplace(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/marketplace/posts/{id}/matches/" in schema


def test_an_idempotency_key_creates_one_post_however_often_it_is_sent(users, api_client_for):
    api = api_client_for("other_owner")
    first = api.post(API, _body(), format="json", HTTP_IDEMPOTENCY_KEY="offer-0001")
    again = api.post(API, _body(), format="json", HTTP_IDEMPOTENCY_KEY="offer-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = api.post(API, _body(), format="json", HTTP_IDEMPOTENCY_KEY="offer-0002")
    assert other.status_code == 201
    assert Post.objects.count() == 2
