"""The OpenAPI schema tells the truth: every operation, called with data generated from the
schema (anonymously and with an API token), answers without a server error and with a
status, content type, headers and body that the schema documents."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import make_user

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Bounded: a few generated examples per operation (always the same ones) keep the whole
# run under a minute per database.
BOUNDED = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    phases=[Phase.generate],
)


# The schema the site serves at /api/schema/, built without a request (no database needed).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
APP = WSGIHandler()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go to Django's WSGI handler directly, whose request signals would close the
    database connection holding the test's transaction (as Django's test client, this
    test keeps it open)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(db):
    from clusterbridge.accounts.models import ApiToken

    user = make_user("schema-prober")
    _, key = ApiToken.issue(user, "schemathesis")
    return {"Authorization": f"Token {key}"}


@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_anonymous(case):
    case.call_and_validate(app=APP, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_with_token(case, token_header):
    case.call_and_validate(app=APP, headers=token_header, checks=CHECKS)
