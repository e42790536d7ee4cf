"""ODK Central and Kobo exports of the generated XLSForm, imported as the standard's records.

The fixtures are built from the committed XLSForm: its group and repeat names give the column
names each server exports (Central: ``incident-detection_date``, repeat CSVs with ``PARENT_KEY``
and ``KEY``; Kobo: ``incident/detection_date``, ``_uuid``, repeat sheets with ``_parent_index``).
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossings.commands.standard import XLSFORM_PATH
from crossings.ingest.odk import prepare_exports

ROOT = Path(__file__).resolve().parents[2]
UUIDS = ["4f1c2a9e-5b7d-4c1e-9a3f-0e2d6c8b1a01", "4f1c2a9e-5b7d-4c1e-9a3f-0e2d6c8b1a02"]
SUBMISSIONS = [
    {"incident": {"detection_date": "2025-03-02", "location_type": "LAND_BCP",
                  "event_types": "IRREGULAR_CROSSING SOM_SUSPECTED", "border_country": "THA",
                  "location_name": "Poipet"},
     "route_legs": [{"leg_no": "1", "from_country": "KHM", "to_country": "THA",
                     "transport_mode": "VAN"}],
     "migrant_groups": [{"group_no": "1", "citizenship": "KHM", "total": "7", "female": "3"}]},
    {"incident": {"incident_ref": "KHM-BLO-POIPET-0042", "detection_date": "2025-03-04",
                  "location_type": "RIVER_CROSSING", "event_types": "IRREGULAR_CROSSING"},
     "route_legs": [{"leg_no": "1", "from_country": "MMR", "to_country": "THA"},
                    {"leg_no": "2", "from_country": "THA", "to_country": "KHM"}],
     "migrant_groups": []},
]
CENTRAL_SYSTEM = ["SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
                  "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]


def form() -> tuple[list[str], dict[str, list[str]]]:
    """The incident group's field names and each repeat's, read from the committed form."""
    sheet = openpyxl.load_workbook(ROOT / XLSFORM_PATH, read_only=True)["survey"]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    group: list[str] = []
    repeats: dict[str, list[str]] = {}
    current: list[str] | None = None
    for row in rows:
        kind, name = row[header.index("type")], row[header.index("name")]
        if kind == "begin_group":
            current = group
        elif kind == "begin_repeat":
            current = repeats.setdefault(name, [])
        elif kind in ("end_group", "end_repeat"):
            current = None
        elif current is not None:
            current.append(name)
    return group, repeats


def central_export(folder: Path, submissions: list[dict[str, Any]] = SUBMISSIONS) -> list[Path]:
    """Central's CSV export: the submissions, one CSV per repeat (groups joined with '-')."""
    group, repeats = form()
    main = folder / "crossings_incident.csv"
    columns = ["SubmissionDate", *(f"incident-{n}" for n in group),
               "incident-event_types/IRREGULAR_CROSSING", "meta-instanceID", "KEY",
               *CENTRAL_SYSTEM]
    paths = [main]
    with main.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for uid, sub in zip(UUIDS, submissions, strict=False):
            values = {f"incident-{k}": v for k, v in sub["incident"].items()}
            values |= {"SubmissionDate": "2025-03-05T10:00:00.000Z",
                       "meta-instanceID": f"uuid:{uid}", "KEY": f"uuid:{uid}",
                       "incident-event_types/IRREGULAR_CROSSING": "1",
                       "SubmitterName": "poipet-phone-1", "ReviewState": "approved"}
            writer.writerow([values.get(c, "") for c in columns])
    for repeat, names in repeats.items():
        path = folder / f"crossings_incident-{repeat}.csv"
        paths.append(path)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([*names, "PARENT_KEY", "KEY"])
            for uid, sub in zip(UUIDS, submissions, strict=False):
                for n, row in enumerate(sub.get(repeat, []), 1):
                    writer.writerow([*(row.get(k, "") for k in names), f"uuid:{uid}",
                                     f"uuid:{uid}/{repeat}[{n}]"])
    return paths


def kobo_json(folder: Path) -> Path:
    """Kobo's API JSON: paths with '/', repeats as lists of objects."""
    items = []
    for number, (uid, sub) in enumerate(zip(UUIDS, SUBMISSIONS, strict=True), 1):
        item: dict[str, Any] = {"_id": number, "_uuid": uid, "meta/instanceID": f"uuid:{uid}",
                                "formhub/uuid": "46ea15e2", "__version__": "vXyz",
                                "_submission_time": "2025-03-05T10:00:01", "_tags": [],
                                "_attachments": [], "_geolocation": [None, None]}
        item |= {f"incident/{k}": v for k, v in sub["incident"].items()}
        for repeat in ("route_legs", "migrant_groups"):
            if sub[repeat]:
                item[repeat] = [{f"{repeat}/{k}": v for k, v in row.items()}
                                for row in sub[repeat]]
        items.append(item)
    path = folder / "kobo.json"
    path.write_text(json.dumps({"count": 2, "results": items}), encoding="utf-8")
    return path


def kobo_xlsx(folder: Path) -> Path:
    """Kobo's XLSX export: the submissions, then one sheet per repeat with _parent_index."""
    group, repeats = form()
    book = openpyxl.Workbook()
    main = book.active
    main.title = "Crossings incident"
    columns = [*(f"incident/{n}" for n in group), "_id", "_uuid", "_submission_time", "_index"]
    main.append(columns)
    for index, (uid, sub) in enumerate(zip(UUIDS, SUBMISSIONS, strict=True), 1):
        values = {f"incident/{k}": v for k, v in sub["incident"].items()}
        values |= {"_id": index, "_uuid": uid, "_index": index}
        main.append([values.get(c) for c in columns])
    for repeat, names in repeats.items():
        sheet = book.create_sheet(repeat)
        sheet.append([*(f"{repeat}/{n}" for n in names), "_index", "_parent_table_name",
                      "_parent_index", "_submission__uuid"])
        count = 0
        for index, sub in enumerate(SUBMISSIONS, 1):
            for row in sub.get(repeat, []):
                count += 1
                sheet.append([*(row.get(n) for n in names), count, "Crossings incident",
                              index, None])
    path = folder / "kobo.xlsx"
    book.save(path)
    return path


def documents(paths: list[Path], tmp_path: Path) -> list[dict[str, Any]]:
    prepared = prepare_exports(paths, tmp_path / "work")
    assert len(prepared.paths) == 1
    return json.loads(prepared.paths[0].read_text(encoding="utf-8"))["incidents"]


def test_central_csvs_become_incidents_keyed_on_the_instance_id(tmp_path):
    docs = documents(central_export(tmp_path), tmp_path)
    first, second = docs
    assert first["incident_ref"] == f"ODK-{UUIDS[0]}"
    assert first["event_types"] == ["IRREGULAR_CROSSING", "SOM_SUSPECTED"]
    assert first["route_legs"] == [{"leg_no": "1", "from_country": "KHM", "to_country": "THA",
                                    "transport_mode": "VAN"}]
    assert first["migrant_groups"][0]["total"] == "7"
    assert second["incident_ref"] == "KHM-BLO-POIPET-0042"  # the officer's own reference
    assert [leg["from_country"] for leg in second["route_legs"]] == ["MMR", "THA"]


def test_the_same_submissions_read_alike_from_every_export(tmp_path):
    central = documents(central_export(tmp_path), tmp_path / "c")
    zipped = tmp_path / "crossings_incident.zip"
    (tmp_path / "z").mkdir()
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in central_export(tmp_path / "z"):
            archive.write(path, path.name)
    assert documents([zipped], tmp_path / "zz") == central
    assert documents([kobo_json(tmp_path)], tmp_path / "k") == central
    xlsx = documents([kobo_xlsx(tmp_path)], tmp_path / "x")
    assert [d["incident_ref"] for d in xlsx] == [d["incident_ref"] for d in central]
    assert len(xlsx[1]["route_legs"]) == 2 and xlsx[0]["migrant_groups"][0]["citizenship"] == "KHM"


def test_central_odata_json_with_expanded_repeats(tmp_path):
    items = [{"__id": f"uuid:{UUIDS[0]}", "__system": {"submitterName": "phone"},
              "meta": {"instanceID": f"uuid:{UUIDS[0]}"}, "incident": SUBMISSIONS[0]["incident"],
              "route_legs@odata.navigationLink": "Submissions('x')/route_legs",
              "route_legs": SUBMISSIONS[0]["route_legs"]}]
    path = tmp_path / "odata.json"
    path.write_text(json.dumps({"value": items}), encoding="utf-8")
    (doc,) = documents([path], tmp_path)
    assert doc["incident_ref"] == f"ODK-{UUIDS[0]}" and doc["route_legs"][0]["to_country"] == "THA"


def test_files_in_the_standard_layout_pass_unchanged(tmp_path, incident_files):
    prepared = prepare_exports(incident_files, tmp_path / "work")
    assert prepared.paths == incident_files and not prepared.origins


@pytest.mark.django_db
def test_import_stores_once_and_reimports_store_nothing_new(tmp_path):
    from crossings.web.reporting.actions import import_files
    from crossings.web.reporting.models import Record

    def run(paths: list[Path], work: str) -> Any:
        prepared = prepare_exports(paths, tmp_path / work)
        result = import_files(prepared.paths, "KHM-BLO-POIPET")
        prepared.restore(result.problems)
        return result

    first = run(central_export(tmp_path), "a")
    assert first.ok and first.created == 2, [p.as_dict() for p in first.problems]
    again = run(central_export(tmp_path), "b")
    assert (again.created, again.unchanged) == (0, 2)
    from_kobo = run([kobo_json(tmp_path)], "c")
    assert (from_kobo.created, from_kobo.unchanged) == (0, 2)
    stored = Record.objects.get(reference=f"ODK-{UUIDS[0]}")
    assert stored.data["route_legs"][0]["transport_mode"] == "VAN"
    assert Record.objects.filter(country__code="KHM").count() == 2


@pytest.mark.django_db
def test_problems_point_to_the_exported_file_and_row(tmp_path):
    from crossings.web.reporting.actions import import_files
    from crossings.web.reporting.models import Record

    bad = json.loads(json.dumps(SUBMISSIONS))
    bad[1]["route_legs"][1]["to_country"] = "XXX"
    paths = central_export(tmp_path, bad)
    prepared = prepare_exports(paths, tmp_path / "work")
    result = import_files(prepared.paths, "KHM-BLO-POIPET")
    prepared.restore(result.problems)
    assert not result.ok and Record.objects.count() == 0
    (found,) = result.problems
    assert found.code == "UNKNOWN_COUNTRY" and found.field == "to_country"
    assert Path(found.file).name == "crossings_incident-route_legs.csv" and found.row == 4


@pytest.mark.django_db
def test_crossings_import_accepts_an_odk_central_export(tmp_path):
    from click.testing import CliRunner

    from crossings.cli import cli

    paths = central_export(tmp_path)
    result = CliRunner().invoke(cli, ["import", *map(str, paths), "--unit", "KHM-BLO-POIPET",
                                      "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] == 2
