"""The analytical store: rebuilt whole, refreshed record by record, always equal to a rebuild."""

from __future__ import annotations

import pandas as pd

from crossings.analysis.schema import TABLES
from crossings.analysis.store import AnalyticsStore
from tests.analysis.conftest import group, incident, leg


def snapshot(store: AnalyticsStore) -> dict[str, pd.DataFrame]:
    """Every table's content in a canonical order (for comparing two stores)."""
    out = {}
    for table in TABLES:
        frame = store.query(f"SELECT * FROM {table}")
        frame = frame.astype(str).sort_values(list(frame.columns)).reset_index(drop=True)
        out[table] = frame
    return out


def test_a_rebuild_holds_every_incident_and_its_nested_rows(records, store):
    incidents = [r for r in records if "incident_ref" in r.data]
    counts = store.counts()
    assert counts["incidents"] == len(incidents)
    assert counts["aggregate_returns"] == len(records) - len(incidents)
    assert counts["migrant_groups"] == sum(len(r.data.get("migrant_groups", []))
                                           for r in incidents)
    assert counts["fee_observations"] == sum(len(r.data.get("fee_observations", []))
                                             for r in incidents)
    assert store.meta()["built_at"]


def test_refreshing_the_same_version_changes_nothing(tmp_path):
    store = AnalyticsStore(tmp_path / "a.duckdb")
    record = incident(migrant_groups=[group(5)])
    first = store.refresh([record])
    again = store.refresh([record])
    assert (first.upserted, again.upserted, again.unchanged) == (1, 0, 1)
    assert store.counts()["migrant_groups"] == 1


def test_a_revised_record_replaces_all_its_rows(tmp_path):
    store = AnalyticsStore(tmp_path / "a.duckdb")
    store.refresh([incident(migrant_groups=[group(5), group(3, group_no=2)],
                            route_legs=[leg(1, "KHM", "THA")])])
    store.refresh([incident(version=2, migrant_groups=[group(7)])])
    counts = store.counts()
    assert (counts["incidents"], counts["migrant_groups"], counts["route_legs"]) == (1, 1, 0)
    assert store.query("SELECT migrants, version FROM incidents").iloc[0].tolist() == [7, 2]


def test_a_removed_record_leaves_every_table(tmp_path):
    store = AnalyticsStore(tmp_path / "a.duckdb")
    keep, drop = incident("A", migrant_groups=[group(2)]), incident("B", migrant_groups=[group(4)])
    store.refresh([keep, drop])
    result = store.refresh([], removed=[drop.uid])
    assert result.removed == 1 and store.counts()["migrant_groups"] == 1
    assert store.query("SELECT incident_ref FROM incidents")["incident_ref"].tolist() == ["A"]


def test_incremental_refreshes_end_equal_to_a_rebuild_of_the_final_state(records, tmp_path):
    incidents = [r for r in records if "incident_ref" in r.data][:300]
    store = AnalyticsStore(tmp_path / "inc.duckdb")
    store.refresh(incidents[:200])
    revised = [r._replace(version=2, data={**r.data, "migrant_groups": []})
               for r in incidents[50:80]]
    store.refresh(revised + incidents[200:], removed=[r.uid for r in incidents[:20]])
    final = incidents[20:50] + revised + incidents[80:]
    rebuilt = AnalyticsStore(tmp_path / "full.duckdb")
    rebuilt.rebuild(final, chunk=64)
    mine, theirs = snapshot(store), snapshot(rebuilt)
    for table in TABLES:
        pd.testing.assert_frame_equal(mine[table], theirs[table], obj=table)


def test_a_rebuild_replaces_the_old_content_whole(tmp_path):
    store = AnalyticsStore(tmp_path / "a.duckdb")
    store.refresh([incident("OLD")])
    store.rebuild([incident("NEW", country="THA")])
    assert store.query("SELECT incident_ref, country FROM incidents").values.tolist() == [
        ["NEW", "THA"]]
    assert not list(tmp_path.glob("*.rebuild-*"))


def test_a_store_in_memory_works_the_same(records):
    store = AnalyticsStore(":memory:")
    store.rebuild(records[:50])
    assert store.counts()["incidents"] + store.counts()["aggregate_returns"] == 50
