"""The analytical store follows the record store: approved in, revised replaced, withdrawn out."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from crossings.analysis.store import AnalyticsStore
from crossings.cli import cli
from crossings.web.dashboards.source import analysable_records
from crossings.web.dashboards.sync import (
    rebuild_analytics,
    refresh_analytics,
    store_path,
    sync_analytics,
)
from crossings.web.reporting.actions import delete_record, import_files
from crossings.web.reporting.models import Record, Status

pytestmark = pytest.mark.django_db
UNIT = "KHM-NFP-PHNOMPENH"
INCIDENTS = [
    {"incident_ref": "KHM-A-1", "reporting_unit": "KHM-BLO-POIPET", "detection_date": "2025-03-02",
     "location_type": "LAND_BCP", "border_country": "THA", "event_types": "IRREGULAR_CROSSING"},
    {"incident_ref": "KHM-A-2", "detection_date": "2025-04", "location_type": "SEAPORT",
     "event_types": "SOM_SUSPECTED"},
]
GROUPS = [{"incident_ref": "KHM-A-1", "group_no": 1, "citizenship": "KHM", "total": 12},
          {"incident_ref": "KHM-A-2", "group_no": 1, "citizenship": "MMR", "total": 30}]
PERSONS = [{"person_ref": "P-1", "incident_ref": "KHM-A-1", "role": "FACILITATOR",
            "full_name": "Somebody Named"}]


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path):
    return [write(tmp_path / "incidents.csv", INCIDENTS),
            write(tmp_path / "migrant_groups.csv", GROUPS),
            write(tmp_path / "persons.csv", PERSONS)]


@pytest.fixture
def store(tmp_path):
    return AnalyticsStore(tmp_path / "analytics.duckdb")


def migrants(store):
    frame = store.query("SELECT incident_ref, migrants FROM incidents ORDER BY 1")
    return dict(frame.itertuples(index=False, name=None))


def approve_all():
    Record.objects.update(status=Status.APPROVED)


def test_only_approved_records_reach_the_store(files, store):
    assert import_files(files, UNIT).stored
    refresh_analytics(Record.objects.all(), store)
    assert migrants(store) == {}
    approve_all()
    result = refresh_analytics(Record.objects.all(), store)
    assert migrants(store) == {"KHM-A-1": 12, "KHM-A-2": 30} and result.upserted == 2
    assert store.query("SELECT unit FROM incidents ORDER BY incident_ref")["unit"].tolist() == [
        "KHM-BLO-POIPET", UNIT]


def test_the_nominal_layer_never_reaches_the_store(files, store):
    import_files(files, UNIT)
    approve_all()
    assert Record.objects.filter(record_type="person").exists()
    assert not analysable_records().filter(record_type="person").exists()
    refresh_analytics(Record.objects.all(), store)
    text = " ".join(str(v) for v in store.query("SELECT * FROM incidents").to_numpy().ravel())
    assert "Somebody" not in text


def test_a_revision_leaves_until_approved_again_then_replaces(files, store, tmp_path):
    import_files(files, UNIT)
    approve_all()
    refresh_analytics(Record.objects.all(), store)
    write(files[1], [{**GROUPS[0], "total": 15}, GROUPS[1]])
    import_files(files, UNIT)
    refresh_analytics(Record.objects.all(), store)
    assert migrants(store) == {"KHM-A-2": 30}
    approve_all()
    refresh_analytics(Record.objects.all(), store)
    assert migrants(store) == {"KHM-A-1": 15, "KHM-A-2": 30}


def test_withdrawn_and_deleted_records_leave_the_store(files, store):
    import_files(files, UNIT)
    approve_all()
    refresh_analytics(Record.objects.all(), store)
    Record.objects.filter(reference="KHM-A-1").update(status=Status.WITHDRAWN)
    delete_record(Record.objects.get(reference="KHM-A-2"), user=None, reason="duplicate")
    refresh_analytics(Record.objects.all(), store)
    assert migrants(store) == {}


def test_sync_applies_what_changed_and_rebuild_starts_over(files, store):
    import_files(files, UNIT)
    approve_all()
    assert rebuild_analytics(store) == 2
    Record.objects.filter(reference="KHM-A-2").update(status=Status.WITHDRAWN)
    result = sync_analytics(store)
    assert (result.upserted, result.removed) == (0, 1) and migrants(store) == {"KHM-A-1": 12}
    approve_all()
    assert sync_analytics(store).upserted == 1 and len(migrants(store)) == 2


def test_the_commands_rebuild_and_then_release_indicators(files, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    import_files(files, UNIT)
    approve_all()
    runner = CliRunner()
    result = runner.invoke(cli, ["analytics", "rebuild"])
    assert result.exit_code == 0, result.output
    assert store_path().is_file()
    out = runner.invoke(cli, ["indicators", "--country", "KHM", "--period", "2025",
                              "-i", "migrants", "--release", "national"])
    assert out.exit_code == 0, out.output
    assert "migrants,KHM,reported,2025,national,42,2," in out.output
