"""Who may review linkage: the country's focal point and national analysts, nobody else."""

from __future__ import annotations

from typing import Any

import pytest

from crossings.web.intelligence.actions import review_queue
from crossings.web.intelligence.models import Identity, ReviewDecision
from crossings.web.reporting.models import Record, Status

pytestmark = pytest.mark.django_db
PAGES = ("/linkage/review/", "/linkage/identities/")


def _first_pair(country_code: str = "KHM") -> tuple[Record, Record]:
    item = review_queue(Record.objects.filter(country__code=country_code).first().country)[0]
    return (Record.objects.get(reference=item["left"], record_type="person"),
            Record.objects.get(reference=item["right"], record_type="person"))


@pytest.mark.parametrize("username", ["khm-officer", "regional-analyst", "admin"])
def test_others_than_reviewers_are_refused(linked: list[Record], browser_of: Any,
                                           username: str) -> None:
    browser = browser_of(username)
    for page in PAGES:
        assert browser.get(page).status_code == 403
    left, right = _first_pair()
    answer = browser.post("/linkage/review/decide/", {"left": str(left.uid),
                                                      "right": str(right.uid),
                                                      "decision": "MATCH"})
    assert answer.status_code == 403
    assert browser.post("/linkage/identities/split/", {"record": str(left.uid)}).status_code \
        == 403
    assert browser.post("/linkage/run/").status_code == 403
    assert not ReviewDecision.objects.exists()


def test_anonymous_is_sent_to_sign_in(linked: list[Record], client: Any) -> None:
    for page in PAGES:
        answer = client.get(page)
        assert answer.status_code == 302 and answer["Location"].startswith("/login/")


def test_another_countrys_reviewer_sees_and_touches_nothing(linked: list[Record],
                                                            browser_of: Any) -> None:
    browser = browser_of("tha-focal")
    left, right = _first_pair()
    for page in PAGES:
        answer = browser.get(page)
        assert answer.status_code == 200
        assert left.reference not in answer.content.decode()
    found = browser.get("/linkage/identities/", {"q": left.data["full_name"]}).content.decode()
    assert f">{left.reference}</a>" not in found and "0 identities" in found
    decide = browser.post("/linkage/review/decide/", {
        "left": str(left.uid), "right": str(right.uid), "decision": "NOT_A_MATCH"})
    assert decide.status_code == 404
    assert browser.post("/linkage/identities/split/", {"record": str(left.uid)}).status_code \
        == 404
    ids = list(Identity.objects.filter(country__code="KHM").values_list(
        "identity_id", flat=True)[:2])
    assert browser.post("/linkage/identities/merge/", {"identity": ids}).status_code == 404
    assert not ReviewDecision.objects.exists()


def test_analyst_reviews_but_neither_reruns_nor_sees_unapproved_persons(
        linked: list[Record], browser_of: Any) -> None:
    browser = browser_of("khm-analyst")
    page = browser.get("/linkage/review/")
    text = page.content.decode()
    assert page.status_code == 200 and "/linkage/run/" not in text
    assert browser.post("/linkage/run/").status_code == 403
    submitted = [r for r in linked if r.status == Status.SUBMITTED]
    assert not any(r.reference in text for r in submitted)
    assert "cannot see yet" in text  # some queue pairs involve a submitted person
    hidden = next(r for r in submitted)
    other = next(r for r in linked if r.status == Status.APPROVED)
    answer = browser.post("/linkage/review/decide/", {
        "left": str(hidden.uid), "right": str(other.uid), "decision": "MATCH"})
    assert answer.status_code == 404
    found = browser.get("/linkage/identities/", {"q": hidden.reference}).content.decode()
    assert f">{hidden.reference}</a>" not in found and "0 identities" in found


def test_focal_point_sees_the_rerun_button(linked: list[Record], browser_of: Any) -> None:
    assert "/linkage/run/" in browser_of("khm-focal").get("/linkage/review/").content.decode()
