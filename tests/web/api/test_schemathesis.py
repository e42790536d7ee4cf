"""Property-based calls over the OpenAPI schema (schemathesis): no input makes the API crash."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from crossings.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_connection():
    """As Django's test client does: the test's transaction must outlive each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(demo_users, keep_connection):
    from crossings.web.accounts.tokens import create_token

    return create_token("khm-focal")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_api_crash(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
