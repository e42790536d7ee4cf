"""One error shape everywhere: every endpoint, hit with bad input, answers with the envelope."""

from __future__ import annotations

import pytest
from django.test import Client

from crossings.web.api.main import api

pytestmark = pytest.mark.django_db
RID = "00000000-0000-0000-0000-000000000000"


def assert_envelope(response, status=None):
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"].isupper() and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    if status is not None:
        assert response.status_code == status, body
    return body["error"]


def operations():
    """Every (method, path) the API serves, from its own OpenAPI schema."""
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method.upper(), path.replace("{record_id}", RID)


def test_the_schema_lists_the_endpoints_we_promise():
    ops = set(operations())
    assert len(ops) >= 20
    for method, path in [("GET", "/api/records"), ("POST", "/api/records"),
                         ("POST", "/api/uploads"), ("GET", "/api/audit"),
                         ("PUT", "/api/sharing-policy"), ("GET", "/api/export")]:
        assert (method, path) in ops


def test_every_endpoint_without_credentials_is_401_in_the_envelope():
    for method, path in operations():
        response = Client().generic(method, path, "{}", content_type="application/json")
        assert_envelope(response, 401)


def test_every_endpoint_with_bad_input_answers_in_the_envelope(api_as):
    api = api_as("khm-focal")
    for method, path in operations():
        for body in ("not json", '{"data": 5, "scope": [], "page": "x"}', "[]"):
            response = api.client.generic(method, path + "?page=x&page_size=x&date_from=x",
                                          body, content_type="application/json",
                                          headers=api.headers)
            if response.status_code < 400:
                continue  # a GET that ignores bodies may well succeed
            error = assert_envelope(response)
            assert response.status_code in (400, 403, 404, 409, 422), (method, path, error)


def test_validation_errors_name_the_field(api_as):
    response = api_as("khm-officer").post("/records", {"record_type": "incident"})
    error = assert_envelope(response, 422)
    assert error["code"] == "INVALID_INPUT"
    assert any(d["field"] == "data" for d in error["details"])


def test_unknown_paths_and_wrong_methods_too(api_as):
    api = api_as("khm-focal")
    assert assert_envelope(api.get("/nothing-here"), 404)["code"] == "NOT_FOUND"
    assert assert_envelope(api.send("DELETE", "/records"), 405)["code"] == "METHOD_NOT_ALLOWED"


def test_a_crash_is_500_in_the_envelope_without_a_traceback(api_as, monkeypatch):
    from crossings.web.reporting import reads

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("crossings.web.api.records.list_records", boom)
    assert reads  # the module the endpoint normally calls
    response = api_as("khm-focal").get("/records")
    error = assert_envelope(response, 500)
    assert error["code"] == "INTERNAL" and "secret" not in response.content.decode()


def test_openapi_and_docs_are_served_offline():
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200 and schema.json()["info"]["title"] == "Crossings API"
    docs = Client().get("/api/docs").content.decode()
    assert "cdn.jsdelivr.net" not in docs and "/static/ninja/swagger-ui-bundle.js" in docs
