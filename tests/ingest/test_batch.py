"""Reading a batch end to end without a store: mapping, validation, joining, problems."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from openpyxl import Workbook

from crossings.ingest.batch import BatchReader
from crossings.ingest.mapping import Mapping, load_mapping

UNITS = {"KHM-NFP-PHNOMPENH": "KHM", "KHM-BLO-POIPET": "KHM", "THA-IMM-MAESOT": "THA"}
HEADER = ["incident_ref", "detection_date", "location_type", "event_types", "location_name"]
ROW = ["KHM-1", "2025-03-02", "LAND_BCP", "IRREGULAR_CROSSING", "Poipet"]


def read(paths, mapping=None):
    reader = BatchReader(paths, mapping or Mapping(), "KHM-NFP-PHNOMPENH", UNITS)
    documents = list(reader.documents())
    return documents, reader.report.problems


def write(path: Path, rows, encoding="utf-8", delimiter=",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def test_khmer_and_thai_text_and_digits_survive_any_encoding(tmp_path):
    rows = [HEADER, ["KHM-១", "២០២៥-០៣-០២", "LAND_BCP", "IRREGULAR_CROSSING", "ប៉ោយប៉ែត"]]
    for encoding in ("utf-8", "utf-8-sig", "utf-16"):
        docs, problems = read([write(tmp_path / "incidents.csv", rows, encoding)])
        assert problems == [] and docs[0].data["detection_date"] == "2025-03-02", encoding
        assert docs[0].data["location_name"] == "ប៉ោយប៉ែត"


def test_thai_windows_874_with_semicolons_and_a_merged_title_row(tmp_path):
    rows = [["รายงานการลักลอบ", "", "", "", ""], HEADER,
            ["KHM-1", "2025-03-02", "LAND_BCP", "IRREGULAR_CROSSING", "อรัญประเทศ"]]
    docs, problems = read([write(tmp_path / "incidents.csv", rows, "cp874", ";")])
    assert problems == [] and docs[0].data["location_name"] == "อรัญประเทศ"
    assert docs[0].provenance.row == 3


def test_blank_lines_and_trailing_empty_columns_are_ignored(tmp_path):
    rows = [[*HEADER, "", ""], [*ROW, "", ""], [], ["KHM-2", *ROW[1:], "", ""]]
    docs, problems = read([write(tmp_path / "incidents.csv", rows)])
    assert problems == [] and [d.reference for d in docs] == ["KHM-1", "KHM-2"]
    assert docs[1].provenance.row == 4


def test_unknown_columns_are_reported_not_dropped(tmp_path):
    docs, problems = read([write(tmp_path / "incidents.csv", [[*HEADER, "Remarks"], [*ROW, "x"]])])
    assert [(p.code, p.value) for p in problems] == [("UNKNOWN_COLUMN", "Remarks")]
    ignored = Mapping(ignore=frozenset({"remarks"}))
    assert read([tmp_path / "incidents.csv"], ignored)[1] == []


def test_binary_file_named_csv_and_zero_byte_file(tmp_path):
    binary = tmp_path / "incidents.csv"
    binary.write_bytes(os.urandom(4096))
    empty = tmp_path / "route_legs.csv"
    empty.write_bytes(b"")
    docs, problems = read([binary, empty])
    assert docs == [] and [p.code for p in problems] == ["UNREADABLE_FILE", "UNREADABLE_FILE"]
    assert {Path(p.file).name for p in problems} == {"incidents.csv", "route_legs.csv"}


def test_header_only_file_says_there_are_no_records(tmp_path):
    docs, problems = read([write(tmp_path / "incidents.csv", [HEADER])])
    assert [p.code for p in problems] == ["NO_RECORDS"]


def test_xlsx_serial_dates_native_numbers_and_formulas_without_values(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "incidents"
    sheet.append(HEADER)
    sheet.append(["KHM-1", 45718, "LAND_BCP", "IRREGULAR_CROSSING", "Poipet"])
    sheet.append(["KHM-2", "2025-03-02", "LAND_BCP", "IRREGULAR_CROSSING", "=UPPER(\"x\")"])
    workbook.save(tmp_path / "report.xlsx")
    docs, problems = read([tmp_path / "report.xlsx"])
    assert docs[0].data["detection_date"] == "2025-03-02"
    assert [(p.code, p.row, p.sheet, p.field) for p in problems] == \
        [("FORMULA_NOT_EVALUATED", 3, "incidents", "location_name")]


def test_values_that_look_like_formulas_in_csv_are_plain_text(tmp_path):
    rows = [HEADER, [*ROW[:4], "=cmd|' /C calc'!A0"], ["KHM-2", *ROW[1:4], "@SUM(1)"],
            ["KHM-3", *ROW[1:4], "+855"], ["KHM-4", *ROW[1:4], "-pier 3"]]
    docs, problems = read([write(tmp_path / "incidents.csv", rows)])
    assert problems == []
    assert [d.data["location_name"] for d in docs] == \
        ["=cmd|' /C calc'!A0", "@SUM(1)", "+855", "-pier 3"]


def test_a_partner_mapping_with_codes_and_buddhist_era_dates(tmp_path):
    mapping_file = tmp_path / "partner.yaml"
    mapping_file.write_text(
        "buddhist_era: true\ndate_format: '%d/%m/%Y'\nrecord_types: {ข้อมูล: migrant_group,"
        " cases: incident}\ncolumns: {Case: incident_ref, Group: group_no, Nationality:"
        " citizenship, Persons: total, Date: detection_date, Where: location_type,"
        " What: event_types}\ncodes: {citizenship: {KH: KHM, พม่า: MMR}}\n", encoding="utf-8")
    mapping = load_mapping(mapping_file)
    cases = write(tmp_path / "cases.csv", [["Case", "Date", "Where", "What"],
                                           ["KHM-1", "02/03/2568", "LAND_BCP", "SOM_SUSPECTED"]])
    groups = write(tmp_path / "ข้อมูล.csv", [["Case", "Group", "Nationality", "Persons"],
                                             ["KHM-1", "1", "KH", "๑๒"], ["KHM-1", "2", "พม่า", "3"]])
    docs, problems = read([groups, cases], mapping)
    assert problems == []
    assert docs[0].data["detection_date"] == "2025-03-02"
    assert [(g["citizenship"], g["total"]) for g in docs[0].data["migrant_groups"]] == \
        [("KHM", 12), ("MMR", 3)]


def test_every_problem_in_every_file_is_collected(tmp_path):
    incidents = write(tmp_path / "incidents.csv", [HEADER, ["KHM-1", "soon", "?", "", "x"],
                                                   ["KHM-1", *ROW[1:]]])
    legs = write(tmp_path / "route_legs.csv", [["incident_ref", "leg_no", "from_country",
                                                 "to_country"], ["KHM-1", "1", "Cambodia", "THA"]])
    _, problems = read([incidents, legs])
    assert sorted((Path(p.file).name, p.row, p.field, p.code) for p in problems) == [
        ("incidents.csv", 2, "detection_date", "INVALID_DATE"),
        ("incidents.csv", 2, "event_types", "REQUIRED_MISSING"),
        ("incidents.csv", 2, "location_type", "UNKNOWN_CODE"),
        ("route_legs.csv", 2, "from_country", "UNKNOWN_COUNTRY")]
