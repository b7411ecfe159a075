"""Sign-in by user name or e-mail address, sign-out, and the addresses the site always used."""

import pytest

from tests.accounts.conftest import post_login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_signs_in_by_user_name_and_out(client, users):
    response = post_login(client, "bob", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.get("/account/").context["user"].username == "bob"
    client.post("/account/logout/")
    assert client.get("/account/").status_code == 302  # back to sign-in


def test_it_signs_in_by_e_mail_address_in_any_case(client, users):
    assert post_login(client, "Bob@Example.org", PASSWORD).status_code == 302
    assert client.get("/account/").context["user"].username == "bob"


def test_it_returns_to_the_page_the_person_came_from(client, users):
    response = client.post(
        "/account/login/", {"login": "bob", "password": PASSWORD, "next": "/alerts/"}
    )
    assert response["Location"] == "/alerts/"


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, users):
    response = post_login(client, "bob", "wrong")
    assert response.status_code == 200
    assert "The user name or the password is not correct." in response.content.decode()
    assert client.get("/account/").status_code == 302


def test_the_sign_in_page_has_labelled_fields_and_links_to_sign_up(client):
    html = client.get("/account/login/").content.decode()
    assert '<label for="id_login">Username or e-mail address' in html
    assert 'href="/account/signup/"' in html and 'href="/account/password/reset/"' in html


def test_site_url_names_lead_to_the_account_pages():
    from django.urls import reverse

    assert reverse("login") == reverse("account_login") == "/account/login/"
    assert reverse("logout") == "/account/logout/"
    assert reverse("signup") == "/account/signup/"
    assert reverse("password_change") == reverse("account_change_password")
    assert reverse("password_reset") == reverse("account_reset_password")
    assert reverse("profile") == "/account/"


def test_former_password_addresses_redirect(client):
    assert client.get("/account/password_reset/")["Location"] == "/account/password/reset/"
    assert client.get("/account/password_change/")["Location"] == "/account/password/change/"


def test_the_admin_site_signs_in_through_the_site(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302 and login["Location"].startswith("/account/login/?next=")
