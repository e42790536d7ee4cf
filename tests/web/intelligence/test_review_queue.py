"""The review queue through the web: pairs side by side with their evidence, decisions that are
stored, audited and respected by the next run."""

from __future__ import annotations

import html
from typing import Any

import pytest

from crossings.web.accounts.models import Country
from crossings.web.audit.models import Action, AuditEntry
from crossings.web.intelligence.actions import review_queue
from crossings.web.intelligence.models import IdentityMember, ReviewDecision
from crossings.web.intelligence.review_actions import PAGE_SIZE
from crossings.web.reporting.models import Record
from tests.web.intelligence.conftest import link_khm

pytestmark = pytest.mark.django_db


def _queue() -> list[dict[str, Any]]:
    return review_queue(Country.objects.get(code="KHM"))


def _person(reference: str) -> Record:
    return Record.objects.get(reference=reference, record_type="person")


def _identity(record: Record) -> str:
    return IdentityMember.objects.get(record=record).identity.identity_id


def _pair(linked_now: bool) -> tuple[Record, Record]:
    """A queue pair the last run put in one identity (or in two)."""
    for item in _queue():
        left, right = _person(item["left"]), _person(item["right"])
        if (_identity(left) == _identity(right)) is linked_now:
            return left, right
    raise AssertionError(f"the sample has no queue pair with linked={linked_now}")


def test_pairs_are_shown_side_by_side_with_the_evidence(linked: list[Record],
                                                        browser_of: Any) -> None:
    page = browser_of("khm-focal").get("/linkage/review/")
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    first = _queue()[0]
    for reference in (first["left"], first["right"]):
        record = _person(reference)
        data = record.data
        for value in (reference, data.get("full_name"), data.get("full_name_original"),
                      record.incident_reference, record.unit.code,
                      *(data.get("phones") or []), data.get("document_number")):
            if value:
                assert str(value) in text, value
    assert f"Match probability {first['match_probability'] * 100:.0f} %" in text
    for evidence in first["evidence"]:
        assert evidence["level"] in text
        if evidence["match_weight"]:
            assert f"{abs(evidence['match_weight']):.2f}" in text
    assert 'class="for"' in text and "Person A" in text and "Person B" in text
    for value in ("MATCH", "NOT_A_MATCH", "UNSURE"):
        assert f'name="decision" value="{value}"' in text
    assert "(day known)" in text or "(year only)" in text or "(month known)" in text


def test_every_person_shown_is_audited_as_a_view_of_nominal_data(linked: list[Record],
                                                                 browser_of: Any) -> None:
    browser_of("khm-focal").get("/linkage/review/")
    shown = {ref for item in _queue()[:PAGE_SIZE] for ref in (item["left"], item["right"])}
    audited = AuditEntry.objects.filter(action=Action.VIEW_NOMINAL)
    assert set(audited.values_list("reference", flat=True)) == shown
    assert audited.count() == len(shown)
    assert {e.details["via"] for e in audited} == {"linkage-review"}
    assert {e.username for e in audited} == {"khm-focal"}


def test_a_decision_is_stored_audited_once_and_leaves_the_queue(linked: list[Record],
                                                                browser_of: Any) -> None:
    item = _queue()[0]
    left, right = _person(item["left"]), _person(item["right"])
    answer = browser_of("khm-focal").post("/linkage/review/decide/", {
        "left": str(right.uid), "right": str(left.uid), "decision": "UNSURE",
        "note": "same village, different fathers"})
    assert answer.status_code == 302
    row = ReviewDecision.objects.get()
    assert (row.left, row.right) == tuple(sorted((left, right), key=lambda r: r.reference))
    assert row.decision == "UNSURE" and row.note == "same village, different fathers"
    assert row.decided_by is not None and row.decided_by.username == "khm-focal"
    entry = AuditEntry.objects.get(action=Action.LINK_DECISION)
    assert entry.details["decision"] == "UNSURE" and entry.country.code == "KHM"
    assert {entry.details["left"], entry.details["right"]} == {left.reference, right.reference}
    assert (item["left"], item["right"]) not in {(i["left"], i["right"]) for i in _queue()}


def test_a_bad_decision_changes_nothing(linked: list[Record], browser_of: Any) -> None:
    item = _queue()[0]
    left, right = _person(item["left"]), _person(item["right"])
    browser = browser_of("khm-focal")
    answer = browser.post("/linkage/review/decide/", {
        "left": str(left.uid), "right": str(right.uid), "decision": "PROBABLY"}, follow=True)
    assert "Choose: match, not a match, or unsure." in answer.content.decode()
    same = browser.post("/linkage/review/decide/", {
        "left": str(left.uid), "right": str(left.uid), "decision": "MATCH"}, follow=True)
    assert "cannot be compared with themselves" in same.content.decode()
    assert browser.post("/linkage/review/decide/", {
        "left": "not-a-uuid", "right": str(left.uid), "decision": "MATCH"}).status_code == 404
    assert not ReviewDecision.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.LINK_DECISION).exists()


def test_not_a_match_then_match_are_respected_by_the_next_runs(linked: list[Record],
                                                               browser_of: Any) -> None:
    browser = browser_of("khm-analyst")
    apart_a, apart_b = _pair(linked_now=True)
    together_a, together_b = _pair(linked_now=False)
    for a, b, decision in ((apart_a, apart_b, "NOT_A_MATCH"),
                           (together_a, together_b, "MATCH")):
        answer = browser.post("/linkage/review/decide/", {
            "left": str(a.uid), "right": str(b.uid), "decision": decision})
        assert answer.status_code == 302
    link_khm()
    assert _identity(apart_a) != _identity(apart_b)
    assert _identity(together_a) == _identity(together_b)
    assert AuditEntry.objects.filter(action=Action.LINK_DECISION).count() == 2
    # and changing one's mind is respected too
    browser.post("/linkage/review/decide/", {
        "left": str(apart_a.uid), "right": str(apart_b.uid), "decision": "MATCH"})
    link_khm()
    assert _identity(apart_a) == _identity(apart_b)


def test_the_focal_points_rerun_button_links_again(linked: list[Record],
                                                   browser_of: Any) -> None:
    browser = browser_of("khm-focal")
    a, b = _pair(linked_now=False)
    browser.post("/linkage/review/decide/", {"left": str(a.uid), "right": str(b.uid),
                                             "decision": "MATCH"})
    assert _identity(a) != _identity(b)
    answer = browser.post("/linkage/run/", follow=True)
    assert "Linkage ran: 700 persons" in answer.content.decode()
    assert _identity(a) == _identity(b)
    run = AuditEntry.objects.get(action=Action.LINK_RUN)
    assert run.details["persons"] == 700 and run.username == "khm-focal"
