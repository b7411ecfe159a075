"""Home page, headers, API schema and docs, JSON errors, admin bootstrap."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_home_page_explains_and_links_sections(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a class="skip-link" href="#main">' in html
    assert 'href="/taxonomy/"' in html and "Sign in" in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "X-Request-ID" in response


def test_stylesheet_is_served(client):
    html = client.get("/").content.decode()
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b":focus-visible" in b"".join(response.streaming_content)


def test_openapi_schema_and_docs(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    data = schema.json()
    assert data["openapi"].startswith("3.")
    assert "/api/v1/features/" in data["paths"]
    assert client.get("/api/docs/").status_code == 200


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_ensure_admin_uses_the_given_password(monkeypatch, settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("CLUSTERBRIDGE_ADMIN_PASSWORD", "given admin passphrase 1")
    call_command("ensure_admin")
    response = client.post(
        "/account/login/", {"login": "admin", "password": "given admin passphrase 1"}
    )
    assert response.status_code == 302
    assert not (tmp_path / "admin_password").exists()


def test_ensure_admin_generates_once_and_prints(monkeypatch, settings, tmp_path):
    from io import StringIO

    from django.contrib.auth import get_user_model

    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("CLUSTERBRIDGE_ADMIN_PASSWORD", raising=False)
    first, second = StringIO(), StringIO()
    call_command("ensure_admin", stdout=first)
    password = (tmp_path / "admin_password").read_text()
    assert password in first.getvalue()
    call_command("ensure_admin", stdout=second)
    assert password in second.getvalue()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
