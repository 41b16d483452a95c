"""Schemathesis over the whole OpenAPI document, with an administrator's token: no input may
make the API answer a server error, and every answer is one the document declares.

A bounded, derandomised number of examples per operation keeps the run short and repeatable;
``make test`` runs it on SQLite and on PostgreSQL."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from grassroots.api import api

#: No 5xx; every status, content type and body as the document declares.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, as a server must;
    inside a test's transaction that would close the test's own connection (Django's test
    client does the same as this)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_key(admin_user, reg, keep_connection):
    from grassroots.accounts.services import api_token_create

    _token, key = api_token_create(user=admin_user, name="schemathesis")
    return key


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_a_server_error(case, admin_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_key}"}, checks=CHECKS)
