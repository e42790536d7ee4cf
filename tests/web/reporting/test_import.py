"""Importing files into the store: whole batches or nothing, idempotent, versioned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from crossings.ingest.readers import file_sha256
from crossings.web.reporting import actions
from crossings.web.reporting.actions import delete_record, import_files, restore_record
from crossings.web.reporting.models import ImportBatch, Record, RecordVersion
from tests.factories import INCIDENTS, MIGRANT_GROUPS, ROUTE_LEGS, write_csv

pytestmark = pytest.mark.django_db
UNIT = "KHM-NFP-PHNOMPENH"


def test_a_valid_batch_is_stored_with_its_rows_nested_and_its_provenance(incident_files):
    result = import_files(incident_files, UNIT)
    assert result.ok and result.stored and (result.created, result.revised) == (2, 0)
    record = Record.objects.get(reference="KHM-T-1")
    assert record.country.code == "KHM" and record.unit.code == "KHM-BLO-POIPET"
    assert [leg["to_country"] for leg in record.data["route_legs"]] == ["THA", "MYS"]
    assert record.data["migrant_groups"][0]["total"] == 12
    assert record.event_date.isoformat() == "2025-03-02" and record.standard_version == "1.0.0"
    version = record.versions.get()
    assert version.batch.unit.code == UNIT and version.source_row == 2
    assert version.source_file.sha256 == file_sha256(incident_files[0])
    other = Record.objects.get(reference="KHM-T-2")
    assert other.unit.code == UNIT and other.data["location_name"] == "ព្រះសីហនុ"


def test_importing_the_same_files_again_stores_nothing_new(incident_files):
    import_files(incident_files, UNIT)
    again = import_files(incident_files, UNIT)
    assert again.ok and not again.stored and (again.created, again.unchanged) == (0, 2)
    assert ImportBatch.objects.count() == 1 and RecordVersion.objects.count() == 2


def test_a_corrected_record_becomes_a_new_version_with_history_kept(tmp_path, incident_files):
    import_files(incident_files, UNIT)
    corrected = [{**MIGRANT_GROUPS[0], "total": 13, "male": 8}, MIGRANT_GROUPS[1]]
    write_csv(incident_files[2], corrected)
    result = import_files(incident_files, UNIT)
    assert (result.created, result.revised, result.unchanged) == (0, 1, 1)
    record = Record.objects.get(reference="KHM-T-1")
    assert record.version == 2 and record.data["migrant_groups"][0]["total"] == 13
    history = list(record.versions.order_by("version").values_list("change", "data"))
    assert [change for change, _ in history] == ["CREATED", "REVISED"]
    assert history[0][1]["migrant_groups"][0]["total"] == 12


def test_one_bad_row_stores_nothing_and_every_problem_is_named(tmp_path):
    rows = [*INCIDENTS, {**INCIDENTS[0], "incident_ref": "KHM-T-3", "detection_date": "2025-13-01",
                         "location_type": "BEACH"}]
    result = import_files([write_csv(tmp_path / "incidents.csv", rows)], UNIT)
    assert not result.ok and not result.stored and Record.objects.count() == 0
    found = {(p.row, p.field, p.code) for p in result.problems}
    assert found == {(4, "detection_date", "INVALID_DATE"), (4, "location_type", "UNKNOWN_CODE")}
    assert all(p.file.endswith("incidents.csv") and p.hint for p in result.problems)


def test_a_failure_after_earlier_chunks_were_written_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(actions, "CHUNK", 2)
    rows = [{**INCIDENTS[0], "incident_ref": f"KHM-C-{i}"} for i in range(7)]
    rows.append({**INCIDENTS[0], "incident_ref": "KHM-C-bad", "event_types": ""})
    result = import_files([write_csv(tmp_path / "incidents.csv", rows)], UNIT)
    assert [p.code for p in result.problems] == ["REQUIRED_MISSING"]
    assert Record.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_dry_run_validates_and_counts_but_stores_nothing(incident_files):
    result = import_files(incident_files, UNIT, dry_run=True)
    assert result.ok and not result.stored and result.created == 2
    assert Record.objects.count() == 0


def test_duplicate_references_in_one_file(tmp_path):
    result = import_files([write_csv(tmp_path / "incidents.csv", [INCIDENTS[0], INCIDENTS[0]])],
                          UNIT)
    assert [(p.code, p.row) for p in result.problems] == [("DUPLICATE_REFERENCE", 3)]


def test_rows_of_an_incident_missing_from_the_batch(tmp_path):
    result = import_files([write_csv(tmp_path / "incidents.csv", INCIDENTS[1:]),
                           write_csv(tmp_path / "route_legs.csv", ROUTE_LEGS)], UNIT)
    assert {p.code for p in result.problems} == {"INCIDENT_NOT_IN_BATCH"}
    assert {p.row for p in result.problems} == {2, 3}


def test_cross_record_rules_are_checked_on_the_joined_incident(tmp_path):
    legs = [ROUTE_LEGS[0], {**ROUTE_LEGS[1], "from_country": "LAO"}]
    result = import_files([write_csv(tmp_path / "incidents.csv", INCIDENTS),
                           write_csv(tmp_path / "route_legs.csv", legs)], UNIT)
    assert [(p.code, p.row, p.reference) for p in result.problems] == \
        [("ROUTE_NOT_CONTIGUOUS", 2, "KHM-T-1")]


def test_a_unit_reports_only_for_its_own_country(tmp_path):
    rows = [{**INCIDENTS[0], "reporting_unit": "THA-IMM-ARANYAPRATHET"}]
    result = import_files([write_csv(tmp_path / "incidents.csv", rows)], UNIT)
    assert [p.code for p in result.problems] == ["UNIT_OTHER_COUNTRY"]


def test_persons_link_to_incidents_in_the_batch_or_already_stored(tmp_path, incident_files):
    import_files(incident_files, UNIT)
    persons = [{"person_ref": "P-1", "incident_ref": "KHM-T-1", "role": "FACILITATOR",
                "full_name": "Sok Chantha", "full_name_original": "សុខ ចន្ថា",
                "legal_status": "SUSPECTED"},
               {"person_ref": "P-2", "incident_ref": "KHM-T-404", "role": "SMUGGLED_MIGRANT"}]
    result = import_files([write_csv(tmp_path / "persons.csv", persons)], UNIT)
    assert [(p.code, p.row, p.value) for p in result.problems] == \
        [("INCIDENT_NOT_FOUND", 3, "KHM-T-404")]
    result = import_files([write_csv(tmp_path / "persons.csv", persons[:1])], UNIT)
    person = Record.objects.get(record_type="person")
    assert result.stored and person.incident_reference == "KHM-T-1"
    assert person.data["full_name_original"] == "សុខ ចន្ថា"


def test_a_mapping_adapts_a_partners_columns_codes_and_buddhist_era(tmp_path):
    mapping = tmp_path / "tha.yaml"
    mapping.write_text(
        "buddhist_era: true\nrecord_types: {Cases: incident}\n"
        "columns: {Case No: incident_ref, Date: detection_date, Place type: location_type,"
        " Observed: event_types}\n"
        "codes: {location_type: {ด่าน: LAND_BCP}}\n", encoding="utf-8")
    rows = [{"Case No": "THA-1", "Date": "2568-01-15", "Place type": "ด่าน",
             "Observed": "IRREGULAR_CROSSING"}]
    path = write_csv(tmp_path / "Cases.csv", rows, encoding="cp874")
    result = import_files([path], "THA-IMM-ARANYAPRATHET", mapping_path=mapping)
    assert result.ok, result.problems
    data = Record.objects.get(reference="THA-1").data
    assert data["detection_date"] == "2025-01-15" and data["location_type"] == "LAND_BCP"


def test_xlsx_with_one_sheet_per_record_type(tmp_path):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in (("incidents", INCIDENTS), ("route_legs", ROUTE_LEGS),
                       ("migrant_groups", MIGRANT_GROUPS)):
        sheet = workbook.create_sheet(name)
        header = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(key) for key in header])
    workbook.save(tmp_path / "report.xlsx")
    result = import_files([tmp_path / "report.xlsx"], UNIT)
    assert result.ok and result.created == 2, result.problems
    assert len(Record.objects.get(reference="KHM-T-1").data["route_legs"]) == 2


def test_nested_json(tmp_path):
    incident = {**INCIDENTS[0], "event_types": ["IRREGULAR_CROSSING"],
                "route_legs": [{k: v for k, v in leg.items() if k != "incident_ref"}
                               for leg in ROUTE_LEGS]}
    path = tmp_path / "incidents.json"
    path.write_text(json.dumps({"incidents": [incident]}, ensure_ascii=False), encoding="utf-8")
    result = import_files([path], UNIT)
    assert result.ok, result.problems
    assert len(Record.objects.get(reference="KHM-T-1").data["route_legs"]) == 2


def test_soft_delete_and_restore_keep_the_history(incident_files):
    import_files(incident_files, UNIT)
    record = Record.objects.get(reference="KHM-T-1")
    delete_record(record, user=None, reason="entered twice")
    assert Record.objects.filter(deleted_at__isnull=True).count() == 1
    restore_record(record, user=None, reason="was not a duplicate")
    changes = list(record.versions.order_by("version").values_list("change", "note"))
    assert changes == [("CREATED", ""), ("DELETED", "entered twice"),
                       ("RESTORED", "was not a duplicate")]


def test_an_unknown_unit_is_a_usage_error(incident_files):
    with pytest.raises(actions.UnknownUnit):
        import_files(incident_files, "KHM-BLO-NOWHERE")


def test_unreadable_files_are_reported_not_raised(tmp_path):
    empty = tmp_path / "incidents.csv"
    empty.write_bytes(b"")
    result = import_files([empty], UNIT)
    assert [p.code for p in result.problems] == ["UNREADABLE_FILE"]
    assert Path(result.problems[0].file) == empty
