"""Aggregates follow the one visibility rule: the store rows a user may count are exactly the
records visible_records(user, ANALYSE) gives, and shared records are disclosure-controlled."""

from __future__ import annotations

import csv
import io

import pytest

from crossings.analysis.indicators import Filters, compute, parse_period
from crossings.analysis.scope import figures, limited
from crossings.web.accounts.models import SharingScope
from crossings.web.dashboards.scope import aggregate_scope
from crossings.web.dashboards.sync import analytics_store, rebuild_analytics
from crossings.web.reporting.models import Status
from crossings.web.reporting.visibility import Purpose, visible_records
from crossings.web.reporting.workflow import revoke_sharing
from tests.web.conftest import Spec, verified_browser
from tests.web.dashboards.conftest import NATIONAL, SHARED

pytestmark = [pytest.mark.django_db, pytest.mark.store]
S = SharingScope


def headline(client, **params) -> dict[tuple[str, str], dict[str, str]]:
    response = client.get("/dashboards/data/headline.csv", {"period": "2025-H1", **params})
    assert response.status_code == 200, response.content[:300]
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    return {(r["flow"], r["indicator"]): r for r in rows}


def test_a_thai_analyst_counts_cambodian_records_shared_with_thailand_only(cambodia, demo_users):
    thai = headline(verified_browser(demo_users["tha-analyst"]), country="KHM")
    # 11 shared incidents, 132 migrants: released as partner figures (rounded to 5); the 5
    # national-only incidents (150 migrants) are not counted.
    assert thai["from", "incidents"]["value"] == "10"
    assert thai["from", "migrants"]["value"] == "130"
    assert thai["to", "migrants"]["value"] == "0"  # nothing goes to Cambodia
    khmer = headline(verified_browser(demo_users["khm-analyst"]), country="KHM")
    assert khmer["from", "incidents"]["value"] == str(SHARED + NATIONAL)
    assert khmer["from", "migrants"]["value"] == str(12 * SHARED + 30 * NATIONAL)
    viet = headline(verified_browser(demo_users["vnm-analyst"]), country="KHM")
    assert viet["from", "incidents"]["value"] == "0"  # not a partner


def test_revoking_the_sharing_takes_the_records_out_of_partners_figures(
        cambodia, demo_users, committed):
    for record in cambodia["shared"]:
        committed(revoke_sharing, demo_users["khm-focal"], record, "test")
    thai = headline(verified_browser(demo_users["tha-analyst"]), country="KHM")
    assert thai["from", "incidents"]["value"] == "0"


def test_small_shared_counts_are_suppressed_for_partners(cambodia, demo_users):
    reader = aggregate_scope(demo_users["tha-analyst"])
    frame = figures(analytics_store(), reader, "incidents",
                    Filters("KHM", "from", parse_period("2025-03"))).frame
    assert frame["status"].iloc[0] == "C" and frame["value"].isna().iloc[0]


SPECS = [
    Spec("K-national", "KHM", "incident", Status.APPROVED),
    Spec("K-bilateral-tha", "KHM", "incident", Status.SHARED, S.BILATERAL, ("THA",)),
    Spec("K-bilateral-vnm", "KHM", "incident", Status.SHARED, S.BILATERAL, ("VNM",)),
    Spec("K-regional", "KHM", "incident", Status.SHARED, S.REGIONAL_CONTRIBUTORS),
    Spec("K-public", "KHM", "incident", Status.SHARED, S.PUBLIC_AGGREGATES_ONLY),
    Spec("K-submitted", "KHM", "incident", Status.SUBMITTED),
    Spec("K-withdrawn", "KHM", "incident", Status.WITHDRAWN),
    Spec("K-deleted", "KHM", "incident", Status.SHARED, S.REGIONAL_CONTRIBUTORS, deleted=True),
    Spec("K-nfp", "KHM", "incident", Status.APPROVED, officer_unit=False),
    Spec("T-regional", "THA", "incident", Status.SHARED, S.REGIONAL_CONTRIBUTORS),
    Spec("T-national", "THA", "incident", Status.APPROVED),
    Spec("V-bilateral-khm", "VNM", "incident", Status.SHARED, S.BILATERAL, ("KHM",)),
    Spec("V-regional-old", "VNM", "incident", Status.SHARED, S.REGIONAL_CONTRIBUTORS,
         shared_days_ago=800),
    Spec("L-public", "LAO", "incident", Status.SHARED, S.PUBLIC_AGGREGATES_ONLY,
         officer_unit=False),
]


def test_the_aggregate_scope_is_the_visibility_rule_for_every_demo_user(
        demo_users, records_of, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    records = records_of(SPECS)
    store = analytics_store()
    rebuild_analytics(store)
    names = {str(r.uid): name for name, r in records.items()}
    for username, user in demo_users.items():
        sql, params = aggregate_scope(user).any()
        in_store = store.query(f"SELECT CAST(uid AS VARCHAR) AS uid FROM incidents t WHERE {sql}",
                               list(params))["uid"]
        counted = {names[uid] for uid in in_store}
        visible = {names[str(uid)] for uid in visible_records(user, Purpose.ANALYSE)
                   .values_list("uid", flat=True) if str(uid) in names}
        assert counted == visible, username


def test_own_records_are_exact_and_others_protected(demo_users, records_of, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    records_of([Spec(f"T-{n}", "THA", "incident", Status.SHARED, S.BILATERAL, ("KHM",))
                for n in range(4)] + [Spec("K-1", "KHM", "incident", Status.APPROVED)])
    rebuild_analytics()
    reader = aggregate_scope(demo_users["khm-analyst"])
    filters = Filters(period=parse_period("2025"))
    found = figures(analytics_store(), reader, "incidents", filters).frame.iloc[0]
    assert found["own_value"] == 1 and found["status"] == "C"  # 4 Thai incidents: too few
    alone = compute(analytics_store(), "incidents", limited(filters, reader.own())).frame.iloc[0]
    assert alone["value"] == 1
