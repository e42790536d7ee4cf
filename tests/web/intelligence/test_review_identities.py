"""Identities through the web: search, split and merge, audited and respected by later runs;
whatever a report put in a name is shown as text, never run."""

from __future__ import annotations

import html
from typing import Any

import pytest

from crossings.web.audit.models import Action, AuditEntry
from crossings.web.intelligence.actions import review_queue
from crossings.web.intelligence.models import Identity, IdentityMember, ReviewDecision
from crossings.web.reporting.models import Record, Status
from tests.web.intelligence.conftest import link_khm

pytestmark = pytest.mark.django_db
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _identity(record: Record) -> str:
    return IdentityMember.objects.get(record=record).identity.identity_id


def _members(identity: Identity) -> list[Record]:
    return list(Record.objects.filter(identity__identity=identity).order_by("reference"))


def _approved_group(size: int = 2) -> list[Record]:
    """Members of an identity of ``size`` or more whose members are all approved."""
    for identity in Identity.objects.filter(kind="person", size__gte=size).order_by(
            "identity_id"):
        members = _members(identity)
        if all(m.status == Status.APPROVED for m in members):
            return members
    raise AssertionError("no fully approved identity in the sample")


def _singles(n: int) -> list[Record]:
    singles = Identity.objects.filter(kind="person", size=1).order_by("identity_id")
    return [m for i in singles if (m := _members(i)[0]).status == Status.APPROVED][:n]


@pytest.mark.parametrize("field", ["full_name", "full_name_original", "phones",
                                   "document_number", "aliases"])
def test_search_finds_the_identity_by_name_phone_or_document(
        linked: list[Record], browser_of: Any, field: str) -> None:
    record = next(r for r in linked if r.status == Status.APPROVED and r.data.get(field))
    value = record.data[field]
    term = value[0] if isinstance(value, list) else value
    if field == "phones":  # as an officer types it: local, with spaces
        term = "0" + term.removeprefix("+855")[:2] + " " + term.removeprefix("+855")[2:]
    page = browser_of("khm-focal").get("/linkage/identities/", {"q": term})
    text = html.unescape(page.content.decode())
    assert page.status_code == 200 and f">{record.reference}</a>" in text, term
    assert f'id="identity-{_identity(record)}"' in text
    assert AuditEntry.objects.filter(action=Action.VIEW_NOMINAL, reference=record.reference,
                                     details__via="linkage-identities").exists()


def test_the_list_shows_every_identity_with_its_members(linked: list[Record],
                                                        browser_of: Any) -> None:
    page = browser_of("khm-focal").get("/linkage/identities/").content.decode()
    count = Identity.objects.filter(kind="person").count()
    assert f"{count} identities" in page
    biggest = Identity.objects.filter(kind="person").order_by("-size", "identity_id").first()
    assert biggest is not None and biggest.size > 1
    for member in _members(biggest):
        if member.status != Status.DRAFT:
            assert f">{member.reference}</a>" in page


def test_split_moves_the_person_out_and_later_runs_keep_them_apart(
        linked: list[Record], browser_of: Any) -> None:
    group = _approved_group()
    moved, stays = group[0], group[1:]
    before = _identity(moved)
    answer = browser_of("khm-analyst").post("/linkage/identities/split/", {
        "record": str(moved.uid), "note": "two brothers"}, follow=True)
    assert "on their own" in answer.content.decode()
    new = _identity(moved)
    assert new != before and all(_identity(r) == before for r in stays)
    assert Identity.objects.get(identity_id=before).size == len(stays)
    decisions = ReviewDecision.objects.filter(decision="NOT_A_MATCH")
    assert decisions.count() == len(stays) and {d.note for d in decisions} == {"two brothers"}
    entry = AuditEntry.objects.get(action=Action.LINK_SPLIT)
    assert entry.reference == moved.reference and entry.details["to"] == new
    link_khm()
    assert _identity(moved) == new and all(_identity(r) == before for r in stays)
    again = browser_of("khm-analyst").post("/linkage/identities/split/",
                                           {"record": str(moved.uid)}, follow=True)
    assert "already alone" in again.content.decode()


def test_merge_joins_identities_and_later_runs_keep_them_together(
        linked: list[Record], browser_of: Any) -> None:
    big, single = _approved_group(), _singles(1)[0]
    big_id, single_id = _identity(big[0]), _identity(single)
    answer = browser_of("khm-focal").post("/linkage/identities/merge/", {
        "identity": [single_id, big_id], "note": "same phone in a later report"}, follow=True)
    assert "Merged into identity" in answer.content.decode()
    assert {_identity(r) for r in [*big, single]} == {big_id}  # the larger keeps its id
    assert not Identity.objects.filter(identity_id=single_id).exists()
    assert Identity.objects.get(identity_id=big_id).size == len(big) + 1
    assert ReviewDecision.objects.filter(decision="MATCH").count() == len(big)
    entry = AuditEntry.objects.get(action=Action.LINK_MERGE)
    assert entry.details["into"] == big_id and entry.details["merged"] == [single_id]
    link_khm()
    assert {_identity(r) for r in [*big, single]} == {big_id}


def test_merge_needs_two_identities_and_replaces_an_earlier_split(
        linked: list[Record], browser_of: Any) -> None:
    browser = browser_of("khm-focal")
    a, b = _singles(2)
    one = browser.post("/linkage/identities/merge/", {"identity": [_identity(a)]},
                       follow=True)
    assert "at least two identities" in one.content.decode()
    assert not AuditEntry.objects.filter(action=Action.LINK_MERGE).exists()
    browser.post("/linkage/review/decide/", {"left": str(a.uid), "right": str(b.uid),
                                             "decision": "NOT_A_MATCH"})
    browser.post("/linkage/identities/merge/", {"identity": [_identity(a), _identity(b)]})
    assert ReviewDecision.objects.get().decision == "MATCH"
    assert AuditEntry.objects.get(action=Action.LINK_MERGE).details["replaced"] == 1
    link_khm()
    assert _identity(a) == _identity(b)


def test_script_in_names_is_shown_as_text(linked: list[Record], browser_of: Any) -> None:
    item = review_queue(linked[0].country)[0]
    record = Record.objects.get(reference=item["left"], record_type="person")
    record.data = {**record.data, "full_name": PAYLOAD, "full_name_original": PAYLOAD,
                   "aliases": [PAYLOAD], "document_number": PAYLOAD}
    record.save()
    browser = browser_of("khm-focal")
    for page in (browser.get("/linkage/review/"),
                 browser.get("/linkage/identities/", {"q": record.reference})):
        text = page.content.decode()
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
        assert "script-src 'self'" in page["Content-Security-Policy"]
