"""The workflow through the API: draft → submit → return → approve → share → revoke → withdraw;
edits after approval need re-approval and show what changed; analytics see approved data only."""

from __future__ import annotations

import pytest

from crossings.web.audit.models import AuditEntry
from crossings.web.reporting.models import Record
from crossings.web.reporting.visibility import Purpose, analysable_records, visible_records
from tests.web.conftest import INCIDENT, new_ref

pytestmark = pytest.mark.django_db


def incident(ref: str, **changes):
    return {**INCIDENT, "incident_ref": ref, **changes}


def create(api, ref, submit=False, **changes):
    response = api.post("/records", {"record_type": "incident", "data": incident(ref, **changes),
                                     "submit": submit})
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_whole_workflow_with_versions_and_audit(api_as):
    officer, focal = api_as("khm-officer"), api_as("khm-focal")
    ref = new_ref()
    draft = create(officer, ref)
    rid = draft["id"]
    assert draft["status"] == "DRAFT" and draft["unit"] == "KHM-BLO-POIPET"
    assert focal.get(f"/records/{rid}").status_code == 404  # drafts stay with their unit
    assert officer.post(f"/records/{rid}/submit").json()["status"] == "SUBMITTED"
    returned = focal.post(f"/records/{rid}/return", {"comment": "Add the group's sex split"})
    assert returned.json()["status"] == "RETURNED"
    assert officer.send("PUT", f"/records/{rid}", {"data": incident(ref, narrative="fixed")}
                        ).json()["status"] == "RETURNED"
    officer.post(f"/records/{rid}/submit")
    assert focal.post(f"/records/{rid}/approve").json()["status"] == "APPROVED"
    shared = focal.post(f"/records/{rid}/share", {"scope": "BILATERAL", "partners": ["THA"]})
    assert shared.json()["status"] == "SHARED" and shared.json()["sharing_scope"] == "BILATERAL"
    assert api_as("tha-analyst").get(f"/records/{rid}").json()["detail"] == "NON_NOMINAL"
    revoked = focal.post(f"/records/{rid}/revoke", {"reason": "partner asked"}).json()
    assert (revoked["status"], revoked["sharing_scope"]) == ("APPROVED", "NATIONAL_ONLY")
    assert api_as("tha-analyst").get(f"/records/{rid}").status_code == 404
    assert focal.post(f"/records/{rid}/withdraw", {"reason": "duplicate"}).json()["status"] \
        == "WITHDRAWN"
    versions = focal.get(f"/records/{rid}/versions").json()
    assert [v["change"] for v in versions] == ["CREATED", "SUBMITTED", "RETURNED", "REVISED",
                                               "SUBMITTED", "APPROVED", "SHARED", "REVOKED",
                                               "WITHDRAWN"]
    assert versions[2]["note"] == "Add the group's sex split"
    record = Record.objects.get(uid=rid)
    actions = list(AuditEntry.objects.filter(record=record).values_list("action", flat=True))
    assert actions == ["CREATE", "SUBMIT", "RETURN", "EDIT", "SUBMIT", "APPROVE", "SHARE",
                       "REVOKE", "WITHDRAW"]


def test_an_edit_after_approval_needs_reapproval_and_shows_what_changed(api_as):
    officer, focal = api_as("khm-officer"), api_as("khm-focal")
    ref = new_ref()
    rid = create(officer, ref, submit=True)["id"]
    focal.post(f"/records/{rid}/approve")
    focal.post(f"/records/{rid}/share", {"scope": "REGIONAL_CONTRIBUTORS"})
    record = Record.objects.get(uid=rid)
    assert record in analysable_records()
    groups = [{"group_no": 1, "citizenship": "KHM", "total": 13}]
    edited = officer.send("PUT", f"/records/{rid}", {"data": incident(ref, migrant_groups=groups),
                                                     "note": "recount"}).json()
    assert edited["status"] == "SUBMITTED" and edited["sharing_scope"] == "REGIONAL_CONTRIBUTORS"
    assert record not in analysable_records()  # back out of analytics until re-approved
    changes = focal.get(f"/records/{rid}/changes").json()
    assert changes == [{"path": "migrant_groups[0].total", "kind": "changed", "old": 12,
                        "new": 13}]
    again = focal.post(f"/records/{rid}/approve").json()
    assert (again["status"], again["sharing_scope"]) == ("SHARED", "REGIONAL_CONTRIBUTORS")


def test_first_approval_applies_the_country_default_but_never_to_nominal_records(api_as):
    focal, officer = api_as("tha-focal"), api_as("tha-officer")
    policy = focal.send("PUT", "/sharing-policy", {"scope": "BILATERAL", "partners": ["KHM"]})
    assert policy.json() == {"country": "THA", "default_scope": "BILATERAL",
                             "default_partners": ["KHM"]}
    ref = new_ref()
    rid = create(officer, ref, submit=True)["id"]
    approved = focal.post(f"/records/{rid}/approve").json()
    assert (approved["status"], approved["sharing_scope"]) == ("SHARED", "BILATERAL")
    person = officer.post("/records", {"record_type": "person", "submit": True, "data": {
        "person_ref": new_ref(), "incident_ref": ref, "role": "FACILITATOR",
        "full_name": "Somchai"}}).json()
    assert focal.post(f"/records/{person['id']}/approve").json()["sharing_scope"] \
        == "NATIONAL_ONLY"
    refused = focal.post(f"/records/{person['id']}/share", {"scope": "REGIONAL_CONTRIBUTORS"})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "NOMINAL_STAYS_NATIONAL"


def test_roles_may_only_do_their_part(api_as):
    officer, focal, analyst = api_as("khm-officer"), api_as("khm-focal"), api_as("khm-analyst")
    rid = create(officer, new_ref(), submit=True)["id"]
    assert officer.post(f"/records/{rid}/approve").json()["error"]["code"] == "FORBIDDEN"
    assert analyst.get(f"/records/{rid}").status_code == 404  # unapproved: not for analysts
    focal.post(f"/records/{rid}/approve")
    assert analyst.post(f"/records/{rid}/withdraw", {"reason": "x"}).status_code == 403
    wrong = focal.post(f"/records/{rid}/submit")
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "WRONG_STATUS"
    assert focal.post(f"/records/{rid}/return", {"comment": " "}).status_code == 409
    other_unit = officer.post("/records", {"record_type": "incident", "unit": "KHM-BLO-BAVET",
                                           "data": incident(new_ref())})
    assert other_unit.status_code == 403


def test_problems_come_back_with_the_standards_rule_codes(api_as):
    response = api_as("khm-officer").post("/records", {"record_type": "incident", "data": {
        "incident_ref": new_ref(), "detection_date": "2025-13-01", "location_type": "BEACH",
        "event_types": ["IRREGULAR_CROSSING"]}})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "RECORD_INVALID"
    assert {(d["rule"], d["field"]) for d in error["details"]} == {
        ("INVALID_DATE", "detection_date"), ("UNKNOWN_CODE", "location_type")}
    assert all(d["message"] and d["hint"] for d in error["details"])
    assert Record.objects.count() == 0


def test_unapproved_data_never_reaches_analytics(api_as, demo_users):
    officer, focal = api_as("vnm-officer"), api_as("vnm-focal")
    ids = [create(officer, new_ref(), submit=True)["id"] for _ in range(3)]
    focal.post(f"/records/{ids[0]}/approve")
    focal.post(f"/records/{ids[1]}/approve")
    focal.post(f"/records/{ids[1]}/withdraw", {"reason": "wrong date"})
    assert [str(r.uid) for r in analysable_records()] == [ids[0]]
    analyst = demo_users["vnm-analyst"]
    assert [str(r.uid) for r in visible_records(analyst, Purpose.ANALYSE)] == [ids[0]]


def test_delete_and_restore_are_audited(api_as):
    officer, focal = api_as("khm-officer"), api_as("khm-focal")
    rid = create(officer, new_ref(), submit=True)["id"]
    assert officer.post(f"/records/{rid}/delete", {"reason": "typo"}).status_code == 403
    assert focal.post(f"/records/{rid}/delete", {"reason": "duplicate"}).status_code == 200
    assert focal.get(f"/records/{rid}").status_code == 404
    assert focal.post(f"/records/{rid}/restore", {"reason": "not a duplicate"}).status_code == 200
    actions = AuditEntry.objects.filter(record__uid=rid).values_list("action", flat=True)
    assert list(actions) == ["CREATE", "DELETE", "RESTORE"]
