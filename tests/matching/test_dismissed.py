"""Results a person dismissed leave their own matches (/match/ and the match API) until they
ask to see them again; other people still see them."""

import pytest

from tests.matching.factories import make_instrument

pytestmark = pytest.mark.django_db


def page_ids(client, extra: str = "") -> list[int]:
    response = client.get(f"/match/?feature=T1{extra}")
    assert response.status_code == 200
    return [result.instrument.pk for result in response.context["results"]]


def api_ids(client, extra: str = "") -> list[int]:
    response = client.get(f"/api/v1/match/?feature=T1{extra}")
    assert response.status_code == 200
    return [row["instrument"]["id"] for row in response.json()["results"]]


def test_dismissed_results_leave_my_matches_only(client_for):
    first = make_instrument("Wombat fund", ["T1"], deadlines=["2099-01-01"])
    second = make_instrument("Dingo fund", ["T1"], deadlines=["2099-02-01"])
    me, other = client_for("member"), client_for("editor")
    assert sorted(page_ids(me)) == sorted([first.pk, second.pk])
    me.post(f"/funding/{first.pk}/dismiss/", {"next": "/match/?feature=T1"})

    assert page_ids(me) == [second.pk]
    assert api_ids(me) == [second.pk]
    assert me.get("/match/?feature=T1").context["count"] == 1
    assert "Show dismissed" in me.get("/match/?feature=T1").content.decode()
    # "show dismissed" brings it back; another person never had it hidden.
    assert sorted(page_ids(me, "&show_dismissed=true")) == sorted([first.pk, second.pk])
    assert sorted(api_ids(me, "&show_dismissed=true")) == sorted([first.pk, second.pk])
    assert sorted(page_ids(other)) == sorted([first.pk, second.pk])
    assert sorted(api_ids(other)) == sorted([first.pk, second.pk])
    # Undo.
    me.post(f"/funding/{first.pk}/undismiss/")
    assert sorted(page_ids(me)) == sorted([first.pk, second.pk])
