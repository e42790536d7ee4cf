"""Hostile use of the API: other countries' records by id, payloads, CSRF, no credentials."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from crossings.web.accounts.models import SharingScope as S
from crossings.web.reporting.models import Record, Status
from tests.web.conftest import INCIDENT, Spec, new_ref, verified_browser

pytestmark = pytest.mark.django_db
WRITES = [("POST", "submit", None), ("POST", "return", {"comment": "x"}),
          ("POST", "approve", None), ("POST", "share", {"scope": "REGIONAL_CONTRIBUTORS"}),
          ("POST", "revoke", {"reason": "x"}), ("POST", "withdraw", {"reason": "x"}),
          ("POST", "delete", {"reason": "x"}), ("POST", "restore", {"reason": "x"}),
          ("PUT", "", {"data": INCIDENT}), ("GET", "", None), ("GET", "versions", None),
          ("GET", "changes", None)]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED, Status.DRAFT])
def test_another_countrys_record_is_404_on_every_endpoint(api_as, records_of, status):
    record = records_of([Spec("KHM-secret", "KHM", "incident", status)])["KHM-secret"]
    for username in ("tha-focal", "tha-officer", "tha-analyst", "regional-analyst", "admin"):
        api = api_as(username)
        for method, action, body in WRITES:
            path = f"/records/{record.uid}" + (f"/{action}" if action else "")
            response = api.send(method, path, body) if method != "GET" else api.get(path)
            assert response.status_code == 404, (username, method, path, response.content)
            assert response.json()["error"]["code"] == "NOT_FOUND"
    assert Record.objects.get(pk=record.pk).status == status  # nothing changed


def test_shared_records_can_be_read_but_not_changed_by_partners(api_as, records_of):
    record = records_of([Spec("KHM-shared", "KHM", "incident", Status.SHARED, S.BILATERAL,
                              ("THA",))])["KHM-shared"]
    api = api_as("tha-focal")
    assert api.get(f"/records/{record.uid}").status_code == 200
    for action in ("approve", "withdraw", "revoke"):
        response = api.post(f"/records/{record.uid}/{action}", {"reason": "x"})
        assert response.status_code == 403 and response.json()["error"]["code"] == "FORBIDDEN"


def test_unknown_and_malformed_ids_are_404(api_as):
    api = api_as("khm-focal")
    for rid in ("00000000-0000-0000-0000-000000000000", "1", "' OR 1=1 --", "%25"):
        assert api.get(f"/records/{rid}").status_code == 404


@pytest.mark.parametrize("payload", [
    "'; DROP TABLE reporting_record; --", "<script>alert(1)</script>",
    "\" onmouseover=\"alert(1)", "Robert'); DELETE FROM audit_auditentry;--"])
def test_payloads_are_stored_verbatim_and_shown_escaped(api_as, payload, demo_users):
    api = api_as("khm-officer")
    ref = new_ref()
    created = api.post("/records", {"record_type": "incident",
                                    "data": {**INCIDENT, "incident_ref": ref,
                                             "location_name": payload, "narrative": payload}})
    assert created.status_code == 201, created.content
    record = Record.objects.get(reference=ref)
    assert record.data["narrative"] == payload and Record.objects.count() == 1
    assert api.get(f"/records/{record.uid}").json()["data"]["location_name"] == payload
    edited = api.send("PUT", f"/records/{record.uid}",
                      {"data": {**INCIDENT, "incident_ref": ref}, "note": payload})
    assert edited.status_code == 200
    page = verified_browser(demo_users["khm-focal"]).get("/audit/").content.decode()
    assert escape(payload) in page and payload not in page
    listing = api.get("/records", reference=payload)
    assert listing.status_code == 200 and listing.json()["count"] == 0


def test_no_credentials_or_a_bad_token_is_401(api_as):
    for api in (api_as(None), ):
        response = api.get("/records")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "UNAUTHENTICATED"
    bad = Client().get("/api/records", headers={"Authorization": "Bearer cx_forged"})
    assert bad.status_code == 401


def test_session_posts_need_the_csrf_token(demo_users):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(demo_users["khm-officer"])
    body = {"record_type": "incident", "data": {**INCIDENT, "incident_ref": new_ref()}}
    refused = browser.post("/api/records", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "CSRF_FAILED"
    browser.get("/login/")  # sets the CSRF cookie, as the forms do
    token = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/records", body, content_type="application/json",
                            headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.content
    assert browser.get("/api/records").status_code == 200  # reads need no token


def test_a_revoked_token_stops_working(api_as):
    from crossings.web.accounts.tokens import create_token, revoke_token

    row, token = create_token("khm-focal", "script")
    headers = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/me", headers=headers).json()["role"] == "FOCAL_POINT"
    assert revoke_token(row.prefix) == 1
    assert Client().get("/api/me", headers=headers).status_code == 401


def test_nul_characters_are_refused_not_crashed_on(api_as):
    api = api_as("khm-focal")
    for response in (api.get("/records", reference="a\x00b"),
                     api.post("/records", {"record_type": "incident",
                                           "data": {**INCIDENT, "narrative": "a\x00b"}})):
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "INVALID_INPUT"
