"""The estimate page, its PDF, the CLI's --from-store, and how lists are drawn from the store.

A small store made by hand: two lists in two countries (THA-IMM-ARANYAPRATHET 60 people,
KHM-BLO-POIPET 50, 20 on both), each country's linkage stored as identities (so no model
is trained here), the cross-border matching done by the real PPRL encodings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from django.test import Client
from django.utils import timezone

from crossings.estimation.cli import estimate
from crossings.web.accounts.models import SharingScope, Unit
from crossings.web.intelligence import estimates
from crossings.web.intelligence.estimates import (
    EstimateInputError,
    LinkageMissing,
    lists_from_store,
    parse_period,
)
from crossings.web.intelligence.models import Identity, IdentityMember, LinkageRun
from crossings.web.reporting.models import Record, Status
from tests.web.conftest import verified_browser

THA, KHM = "THA-IMM-ARANYAPRATHET", "KHM-BLO-POIPET"
QUERY = f"/estimates/?units={THA}&units={KHM}&period=2025&method=main"
CONSONANTS, VOWELS = list("bcdfghjklmnprstvz"), list("aeiou")


def _people(seed: int = 5) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    out, seen = [], set()
    while len(out) < 90:
        name = " ".join("".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(3))
                        for _ in range(2)).title()  # distinct names: no false match here
        if name in seen:
            continue
        seen.add(name)
        born = dt.date(1960, 1, 1) + dt.timedelta(days=int(rng.integers(0, 15000)))
        out.append({"full_name": name, "birth_date": born.isoformat(),
                    "sex": "MALE" if rng.random() < 0.6 else "FEMALE", "nationality": "KHM"})
    return out


def _record(kind: str, unit: Unit, reference: str, data: dict[str, Any], **extra: Any) -> Record:
    now = timezone.now()
    return Record.objects.create(
        record_type=kind, country=unit.country, unit=unit, reference=reference, data=data,
        content_hash="x", standard_version="1", created_at=now, updated_at=now,
        status=extra.pop("status", Status.APPROVED), approved_at=now, **extra)


def _store_list(unit: Unit, people: list[dict[str, str]], *, link: bool = True) -> None:
    """One incident per person on 2025-03-01 (shared with the region), the person approved."""
    country = unit.country
    run = LinkageRun.objects.create(country=country) if link else None
    for i, person in enumerate(people):
        ref = f"{country.code}-I{i:03d}"
        _record("incident", unit, ref, {"incident_ref": ref, "detection_date": "2025-03-01",
                                        "migrant_groups": [{"citizenship": "KHM"}]},
                event_date=dt.date(2025, 3, 1), status=Status.SHARED, shared_at=timezone.now(),
                sharing_scope=SharingScope.REGIONAL_CONTRIBUTORS)
        record = _record("person", unit, f"{ref}-P01", {**person, "role": "SMUGGLED_MIGRANT"},
                         incident_reference=ref)
        if run is not None:
            identity = Identity.objects.create(country=country, kind="person",
                                               identity_id=f"P-{country.code}-{i}")
            IdentityMember.objects.create(identity=identity, record=record)


@pytest.fixture
def two_lists(db: None) -> None:
    people = _people()
    _store_list(Unit.objects.get(code=THA), people[:60])
    _store_list(Unit.objects.get(code=KHM), people[40:])


def _browser(demo_users: dict[str, Any], name: str) -> Client:
    return verified_browser(demo_users[name])


# -- periods -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "start", "end"), [
    ("2025", "2025-01-01", "2026-01-01"), ("2025-H2", "2025-07-01", "2026-01-01"),
    ("2025-q3", "2025-07-01", "2025-10-01"), ("2024-02", "2024-02-01", "2024-03-01"),
])
def test_periods(text: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


def test_a_bad_period_says_what_to_write() -> None:
    with pytest.raises(EstimateInputError, match="2025-H1"):
        parse_period("H1 2025")


# -- drawing lists from the store ---------------------------------------------------------

def test_lists_are_linked_across_the_border_by_encodings(two_lists: None) -> None:
    drawn = lists_from_store([THA, KHM], "2025")
    assert drawn.records == {THA: 60, KHM: 50}
    assert drawn.encodings == {"KHM": 50, "THA": 60}
    assert drawn.matches == {"KHM-THA": 20}
    assert len({m.identity for m in drawn.memberships}) == 90


def test_only_encodings_reach_the_hub(two_lists: None, monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[dict[str, str]] = []
    real = estimates.match_encodings

    def hub(left: Any, right: Any, threshold: float) -> Any:
        received.extend(e.to_row() for e in [*left, *right])
        return real(left, right, threshold=threshold)

    monkeypatch.setattr(estimates, "match_encodings", hub)
    lists_from_store([THA, KHM], "2025")
    sent = json.dumps(received)
    assert len(received) == 110 and all(set(row) == {"pseudonym", "clk"} for row in received)
    for person in Record.objects.filter(record_type="person"):
        assert person.reference not in sent and person.data["full_name"] not in sent
        assert person.data["birth_date"] not in sent


def test_strata_come_from_the_person(two_lists: None) -> None:
    drawn = lists_from_store([THA, KHM], "2025", by="sex")
    assert {m.stratum for m in drawn.memberships} == {"MALE", "FEMALE"}


def test_outside_the_period_nobody_is_listed(two_lists: None) -> None:
    assert lists_from_store([THA, KHM], "2025-Q2").memberships == []


def test_a_country_never_linked_is_named(db: None) -> None:
    people = _people()
    _store_list(Unit.objects.get(code=THA), people[:30])
    _store_list(Unit.objects.get(code=KHM), people[20:50], link=False)
    with pytest.raises(LinkageMissing, match="crossings link --from-store --country KHM"):
        lists_from_store([THA, KHM], "2025", link_missing=False)


@pytest.mark.parametrize(("units", "by", "message"), [
    ([THA], None, "at least 2 lists"), ([THA, "XXX-NOPE"], None, "unknown unit XXX-NOPE"),
    ([THA, KHM], "age", "choose one of citizenship, sex"),
])
def test_bad_requests(db: None, units: list[str], by: str | None, message: str) -> None:
    with pytest.raises(EstimateInputError, match=message):
        lists_from_store(units, "2025", by=by)


def test_the_visibility_rule_picks_the_lists(two_lists: None, demo_users: dict[str, Any]) -> None:
    Record.objects.filter(record_type="incident", country__code="KHM").update(
        status=Status.APPROVED, sharing_scope=SharingScope.NATIONAL_ONLY)
    assert lists_from_store([THA, KHM], "2025", user=demo_users["tha-analyst"]).records == {
        THA: 60, KHM: 0}
    # KHM shares nothing with the region now, so give-to-get hides THA's shared incidents
    assert lists_from_store([THA, KHM], "2025", user=demo_users["khm-analyst"]).records == {
        THA: 0, KHM: 50}
    assert lists_from_store([THA, KHM], "2025", user=demo_users["regional-analyst"]).records \
        == {THA: 60, KHM: 0}


# -- the CLI --------------------------------------------------------------------------------

def test_cli_from_store(two_lists: None) -> None:
    result = CliRunner().invoke(estimate, ["--from-store", "--lists", f"{THA},{KHM}",
                                           "--period", "2025", "--method", "main",
                                           "--bootstrap", "0", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["observed"] == 90 and data["lists"] == [THA, KHM]
    assert data["estimate"] == pytest.approx(60 * 50 / 20)
    assert "matched across borders {'KHM-THA': 20}" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["t.csv", "--from-store", "--lists", "A,B", "--period", "2025"], "not both or neither"),
    ([], "not both or neither"), (["--from-store", "--period", "2025"], "--lists"),
])
def test_cli_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(estimate, args)
    assert result.exit_code == 2 and message in result.output


def test_cli_from_store_empty_list(two_lists: None) -> None:
    result = CliRunner().invoke(estimate, ["--from-store", "--lists", f"{THA},{KHM}",
                                           "--period", "2024"])
    assert result.exit_code == 2 and "nobody is on this list" in result.output


# -- the page and its PDF -----------------------------------------------------------------

def test_the_page_shows_the_estimate(two_lists: None, demo_users: dict[str, Any]) -> None:
    page = _browser(demo_users, "khm-analyst").get(QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'class="estimate-value">150<', html)  # 60 x 50 / 20
    assert "90" in html and "main effects" in html and "Candidate models" in html
    assert "<svg" in html and "<script" not in html and "style=" not in html
    assert "Assumptions" in html and "Download PDF" in html
    assert f"A = {THA}" in html and "KHM-THA 20" in html


def test_the_form_alone_and_its_errors(two_lists: None, demo_users: dict[str, Any]) -> None:
    browser = _browser(demo_users, "regional-analyst")
    assert browser.get("/estimates/").status_code == 200
    page = browser.get(f"/estimates/?units={THA}&units={KHM}&period=soon")
    assert page.status_code == 400 and "use a year (2025)" in page.content.decode()


def test_only_analysts_may_estimate(two_lists: None, demo_users: dict[str, Any]) -> None:
    assert _browser(demo_users, "khm-officer").get(QUERY).status_code == 403
    assert Client().get(QUERY).status_code == 302


def _pdf_text(pdf: bytes) -> str:
    """Text of a PDF's content streams (fpdf2 deflates them; core fonts keep text literal)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            out.append(stream.decode("latin-1"))
    return "\n".join(out)


def test_the_pdf_section(two_lists: None, demo_users: dict[str, Any]) -> None:
    response = _browser(demo_users, "khm-analyst").get(QUERY.replace("/estimates/",
                                                                     "/estimates/pdf/"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert "(150) Tj" in text and "(Estimate) Tj" in text and "main effects" in text
