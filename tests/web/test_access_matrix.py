"""The access matrix: every demo role × owner country × status × sharing scope, through the
visibility functions and every reading endpoint, against the rule written out plainly here."""

from __future__ import annotations

import pytest

from crossings.web.accounts.models import Role
from crossings.web.accounts.models import SharingScope as S
from crossings.web.reporting.models import Record, Status
from crossings.web.reporting.visibility import Detail, Purpose, detail_level, visible_records
from crossings.web.setup import DEMO_LOGINS
from tests.web.conftest import Spec

pytestmark = pytest.mark.django_db
PARTNER = {"KHM": "THA", "THA": "VNM", "VNM": "KHM"}
#: Shared with the regional contributors within 12 months: KHM, THA, LAO. VNM shared 400
#: days ago, so it does not contribute now and sees no regional data.
CONTRIBUTORS = {"KHM", "THA", "LAO"}
ANALYSABLE = {Status.APPROVED, Status.SHARED}


def specs() -> list[Spec]:
    out = []
    for c in ("KHM", "THA", "VNM"):
        out += [
            Spec(f"{c}-draft", c, "incident", Status.DRAFT),
            Spec(f"{c}-draft-nfp", c, "incident", Status.DRAFT, officer_unit=False),
            Spec(f"{c}-submitted", c, "incident", Status.SUBMITTED),
            Spec(f"{c}-submitted-nfp", c, "incident", Status.SUBMITTED, officer_unit=False),
            Spec(f"{c}-returned", c, "incident", Status.RETURNED),
            Spec(f"{c}-approved", c, "incident", Status.APPROVED),
            Spec(f"{c}-withdrawn", c, "incident", Status.WITHDRAWN, S.REGIONAL_CONTRIBUTORS),
            Spec(f"{c}-bilateral", c, "incident", Status.SHARED, S.BILATERAL, (PARTNER[c],)),
            Spec(f"{c}-regional", c, "incident", Status.SHARED, S.REGIONAL_CONTRIBUTORS,
                 shared_days_ago=400 if c == "VNM" else 1),
            Spec(f"{c}-public", c, "incident", Status.SHARED, S.PUBLIC_AGGREGATES_ONLY),
            Spec(f"{c}-deleted", c, "incident", Status.SHARED, S.REGIONAL_CONTRIBUTORS,
                 deleted=True),
            Spec(f"{c}-person", c, "person", Status.APPROVED),
            # A state the workflow refuses; the visibility rule must hold even so.
            Spec(f"{c}-person-forced", c, "person", Status.SHARED, S.REGIONAL_CONTRIBUTORS),
        ]
    out += [Spec("LAO-regional", "LAO", "incident", Status.SHARED, S.REGIONAL_CONTRIBUTORS,
                 officer_unit=False),
            Spec("LAO-public", "LAO", "incident", Status.SHARED, S.PUBLIC_AGGREGATES_ONLY,
                 officer_unit=False)]
    return out


def expected(role: Role, country: str, spec: Spec) -> Detail:
    """The rule, written plainly and independently of the code under test."""
    if spec.deleted:
        return Detail.NONE
    own = country == spec.country
    nominal = spec.record_type == "person"
    public = spec.status == Status.SHARED and spec.scope == S.PUBLIC_AGGREGATES_ONLY \
        and not nominal
    if own and role == Role.OFFICER and spec.officer_unit:
        return Detail.FULL
    if own and role == Role.FOCAL_POINT and spec.status != Status.DRAFT:
        return Detail.FULL
    if own and role == Role.NATIONAL_ANALYST and spec.status in ANALYSABLE:
        return Detail.FULL
    if not own and spec.status == Status.SHARED and not nominal:
        national = role in (Role.FOCAL_POINT, Role.NATIONAL_ANALYST)
        if national and spec.scope == S.BILATERAL and country in spec.partners:
            return Detail.NON_NOMINAL
        if national and spec.scope == S.REGIONAL_CONTRIBUTORS and country in CONTRIBUTORS:
            return Detail.NON_NOMINAL
        if role == Role.REGIONAL_ANALYST and spec.scope == S.REGIONAL_CONTRIBUTORS:
            return Detail.NON_NOMINAL
    return Detail.AGGREGATE_ONLY if public else Detail.NONE


@pytest.fixture
def world(demo_users, records_of):
    all_specs = specs()
    return all_specs, records_of(all_specs)


def _matrix(world):
    all_specs, records = world
    for login in DEMO_LOGINS:
        want = {s.name: expected(login.role, login.country, s) for s in all_specs}
        yield login, records, want


def test_detail_level_and_visible_records_follow_the_rule(world, demo_users):
    checked = 0
    for login, records, want in _matrix(world):
        user = demo_users[login.username]
        got = {name: detail_level(user, r) for name, r in records.items()}
        assert got == want, login.username
        read = set(visible_records(user, Purpose.READ).values_list("reference", flat=True))
        assert read == {n for n, d in want.items() if d >= Detail.NON_NOMINAL}, login.username
        analyse = set(visible_records(user, Purpose.ANALYSE).values_list("reference", flat=True))
        by_name = {s.name: s for s in world[0]}
        assert analyse == {n for n, d in want.items()
                           if d >= Detail.AGGREGATE_ONLY and by_name[n].status in ANALYSABLE}
        checked += len(records)
    assert checked == len(DEMO_LOGINS) * len(world[0])


def test_the_matrix_is_not_trivial(world):
    """Guard the guard: every level occurs, for several roles."""
    levels = {d for _, _, want in _matrix(world) for d in want.values()}
    assert levels == set(Detail)


def test_every_reading_endpoint_follows_the_rule(world, api_as):
    for login, records, want in _matrix(world):
        api = api_as(login.username)
        allowed = {n for n, d in want.items() if d >= Detail.NON_NOMINAL}
        listed = api.get("/records", page_size=200).json()
        assert {item["reference"] for item in listed["items"]} == allowed, login.username
        exported = api.get("/export").json()
        assert {r["data"]["incident_ref"] if r["record_type"] == "incident"
                else r["data"]["person_ref"] for r in exported["records"]} == allowed
        for name, record in records.items():
            for path in (f"/records/{record.uid}", f"/records/{record.uid}/versions"):
                response = api.get(path)
                assert response.status_code == (200 if name in allowed else 404), \
                    (login.username, name, path)
            if name in allowed:
                body = api.get(f"/records/{record.uid}").json()
                assert body["detail"] == want[name].name
                if want[name] == Detail.NON_NOMINAL:
                    assert "narrative" not in body["data"]
                    assert "location_name" not in body["data"]
                    assert body["data"]["latitude"] == 13.7
                    assert body["data"]["migrant_groups"][0]["total"] == 12
                else:
                    assert body["data"] == Record.objects.get(pk=record.pk).data


def test_nominal_records_never_leave_their_country(world, demo_users):
    for login, records, _ in _matrix(world):
        user = demo_users[login.username]
        for name, record in records.items():
            if record.record_type == "person" and login.country != record.country.code:
                assert detail_level(user, record) == Detail.NONE, (login.username, name)
