"""The API's writes answer what a client needs: the record written, or a 4xx saying what
was wrong — and they change only what they were sent."""

import pytest

from clusterbridge.core.history import history_of
from clusterbridge.organisations.models import Organisation
from tests.organisations.conftest import acme

pytestmark = pytest.mark.django_db
URL = "/api/v1/organisations/"


def test_create_answers_the_record_and_makes_the_creator_its_owner(users, api_client_for):
    response = api_client_for("other_manager").post(
        URL,
        {
            "name": "Gamma Drones",
            "type": "sme",
            "country": "FR",
            "features": ["T13", "D2"],
            "ecosystems": ["aerospace-defence"],
            "sectors": ["aviation-and-space"],
            "size": "1-9",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "gamma-drones" and body["features"] == ["D2", "T13"]
    assert body["page"] == "/organisations/gamma-drones/" and body["clusters"] == []
    assert Organisation.objects.get(slug="gamma-drones").is_owned_by(users["other_manager"])


def test_bad_input_is_a_400_naming_each_field(users, api_client_for):
    api = api_client_for("owner")
    response = api.post(
        URL,
        {
            "name": "x" * 300,
            "type": "pirate",
            "country": "XX",
            "features": ["Z9"],
            "ecosystems": ["energy"],
            "size": "huge",
            "description": "y" * 6000,
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {
        "name",
        "type",
        "country",
        "features",
        "ecosystems",
        "size",
        "description",
    }
    assert "Unknown code: Z9." in str(response.json()["features"])
    response = api.post(
        URL, {"name": "Acme Robotics", "type": "sme", "country": "SE"}, format="json"
    )
    assert response.status_code == 400 and "ask to join it instead" in str(response.json()["name"])
    assert Organisation.objects.count() == 2


def test_patch_writes_only_the_fields_sent(users, api_client_for):
    response = api_client_for("owner").patch(
        f"{URL}acme-robotics/", {"region": "Scania", "sectors": []}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["region"] == "Scania" and body["sectors"] == [] and body["features"] == ["D2", "T1"]
    change = history_of(acme()).first()
    assert sorted(field for field, _, _ in change.diff()) == ["region", "sectors"]


def test_an_unverified_account_is_told_why(users, api_client_for):
    response = api_client_for("unverified").post(
        URL, {"name": "Uma Co", "type": "sme"}, format="json"
    )
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.json()["detail"]


def test_member_decisions_and_the_last_owner_rule_through_the_api(users, api_client_for):
    owner = api_client_for("owner")
    mel = owner.get(f"{URL}acme-robotics/members/").json()
    mel_id = next(m["id"] for m in mel if m["username"] == "mel")
    olga_id = next(m["id"] for m in mel if m["username"] == "olga")
    response = owner.post(f"{URL}acme-robotics/members/{olga_id}/role/", {"role": "member"})
    assert response.status_code == 400 and "at least one owner" in str(response.json())
    response = owner.post(f"{URL}acme-robotics/members/{mel_id}/role/", {"role": "boss"})
    assert response.status_code == 400 and "role" in response.json()
    assert owner.post(f"{URL}acme-robotics/members/999999/remove/").status_code == 404
    response = owner.post(
        f"{URL}acme-robotics/clusters/", {"cluster": "nowhere", "show_publicly": True}
    )
    assert response.status_code == 400 and "nowhere" in str(response.json()["cluster"])
    response = api_client_for("manager").post(f"{URL}acme-robotics/join/", {"message": "Hi"})
    assert response.status_code == 201 and response.json()["status"] == "pending"
