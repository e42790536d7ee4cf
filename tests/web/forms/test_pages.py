"""The incident form, the record pages and the workflow buttons, through the Django client."""

from __future__ import annotations

import re

import pytest

from crossings.web.reporting.models import Record, Status
from tests.web.forms.conftest import incident_post

pytestmark = pytest.mark.django_db


def errors_of(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'<p class="error" id="id-([^"]+)-error"[^>]*>([^<]*)</p>', html))


def test_the_form_is_generated_from_the_standard(browser_as):
    html = browser_as("khm-officer").get("/records/new/").content.decode()
    for name in ("detection_date", "event_types", "location_type", "narrative"):
        assert f'name="{name}"' in html
    for section in ("route_legs", "migrant_groups", "facilitator_groups",
                    "document_fraud_items", "fee_observations", "harm_observations"):
        assert f'data-section="{section}"' in html
    assert 'value="LAND_BCP"' in html and 'list="list-country"' in html
    assert "<script" not in html.replace('<script src="/static/crossings/forms.js" defer>', "")
    assert 'style="' not in html  # CSP: no inline styles


def test_a_draft_is_saved_then_submitted(browser_as):
    officer = browser_as("khm-officer")
    response = officer.post("/records/new/", incident_post(incident_ref="T-DRAFT-1"))
    assert response.status_code == 302
    record = Record.objects.get(reference="T-DRAFT-1")
    assert record.status == Status.DRAFT and record.unit.code == "KHM-BLO-POIPET"
    assert record.data["migrant_groups"] == [{"incident_ref": "T-DRAFT-1", "group_no": 1,
                                              "citizenship": "KHM", "total": 12, "female": 5}]
    page = officer.get(response["Location"]).content.decode()
    assert "Saved" in page and "Submit for approval" in page
    officer.post(f"/records/{record.uid}/submit/")
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED


def test_rules_are_shown_next_to_their_field_in_khmer_and_nothing_is_saved(browser_as):
    response = browser_as("khm-officer", "km").post("/records/new/", incident_post(**{
        "migrant_groups-0-female": "50", "detection_date": "", "route_legs-0-to_country": "ZZZ"}))
    assert response.status_code == 422 and Record.objects.count() == 0
    errors = errors_of(response)
    assert errors["detection_date"] == "កាលបរិច្ឆេទនៃការរកឃើញ ត្រូវតែបំពេញ ប៉ុន្តែនៅទទេ។"
    assert "ZZZ" in errors["route_legs-0-to_country"]
    assert "50" in errors["migrant_groups-0-female"]
    assert "សូមពិនិត្យចំនួនឡើងវិញ" in response.content.decode()  # the hint, translated


def test_a_route_that_is_not_contiguous_is_placed_on_the_leg(browser_as):
    response = browser_as("khm-officer").post("/records/new/", incident_post(**{
        "route_legs-1-leg_no": "2", "route_legs-1-from_country": "LAO",
        "route_legs-1-to_country": "VNM"}))
    assert "Route leg 2 starts in LAO" in errors_of(response)["route_legs-1-from_country"]


def test_the_add_button_works_without_javascript(browser_as):
    response = browser_as("khm-officer").post("/records/new/", incident_post(add="fee_observations"))
    assert response.status_code == 200 and Record.objects.count() == 0
    assert 'name="fee_observations-0-fee_no" value="1"' in response.content.decode()


def test_focal_point_approves_shares_and_revokes_with_history(browser_as):
    officer, focal = browser_as("khm-officer"), browser_as("khm-focal")
    officer.post("/records/new/", incident_post(incident_ref="T-WF-1", action="submit"))
    record = Record.objects.get(reference="T-WF-1")
    assert record.status == Status.SUBMITTED
    page = focal.get(f"/records/{record.uid}/").content.decode()
    assert "Approve" in page and "Return for correction" in page
    focal.post(f"/records/{record.uid}/approve/")
    focal.post(f"/records/{record.uid}/share/", {"scope": "BILATERAL", "partners": ["THA"]})
    record.refresh_from_db()
    assert record.status == Status.SHARED and list(record.partners.values_list("code", flat=True)) == ["THA"]
    thai = browser_as("tha-analyst").get(f"/records/{record.uid}/")
    assert thai.status_code == 200 and "Poipet" not in thai.content.decode()
    assert browser_as("vnm-analyst").get(f"/records/{record.uid}/").status_code == 404
    focal.post(f"/records/{record.uid}/revoke/", {"reason": "by mistake"})
    assert browser_as("tha-analyst").get(f"/records/{record.uid}/").status_code == 404


def test_edit_shows_what_changed(browser_as):
    officer = browser_as("khm-officer")
    officer.post("/records/new/", incident_post(incident_ref="T-ED-1"))
    record = Record.objects.get(reference="T-ED-1")
    form = officer.get(f"/records/{record.uid}/edit/").content.decode()
    assert 'name="migrant_groups-0-total" value="12"' in form
    officer.post(f"/records/{record.uid}/edit/", incident_post(
        incident_ref="T-ED-1", **{"migrant_groups-0-total": "14"}))
    page = officer.get(f"/records/{record.uid}/").content.decode()
    assert "Migrant group 1 · Persons in the group" in page
    assert re.search(r"<td>12</td><td>14</td>", page)


def test_return_needs_a_comment_and_reaches_the_officer(browser_as):
    officer, focal = browser_as("khm-officer"), browser_as("khm-focal")
    officer.post("/records/new/", incident_post(incident_ref="T-RET-1", action="submit"))
    record = Record.objects.get(reference="T-RET-1")
    response = focal.post(f"/records/{record.uid}/return/", {"comment": ""}, follow=True)
    assert "comment is required" in response.content.decode()
    focal.post(f"/records/{record.uid}/return/", {"comment": "Check the total"})
    page = officer.get(f"/records/{record.uid}/").content.decode()
    assert "Check the total" in page and "Submit for approval" in page


def test_lists_go_through_visibility(browser_as):
    browser_as("khm-officer").post("/records/new/", incident_post(incident_ref="T-LIST-1"))
    assert "T-LIST-1" in browser_as("khm-officer").get("/records/").content.decode()
    assert "T-LIST-1" not in browser_as("khm-focal").get("/records/").content.decode()  # a draft
    assert "T-LIST-1" not in browser_as("tha-officer").get("/records/").content.decode()
    assert browser_as("tha-analyst").get("/records/new/").status_code == 403


def test_language_switcher_sets_the_language(browser_as):
    officer = browser_as("khm-officer")
    officer.post("/i18n/setlang/", {"language": "th", "next": "/records/"})
    assert "บันทึก" in officer.get("/records/").content.decode()
