"""File readers: every hostile file an officer may upload, built here in tmp_path."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os
import re
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossings.ingest.encodings import sniff_delimiter
from crossings.ingest.readers import (
    FormulaWithoutValue,
    ReadOptions,
    Table,
    UnreadableFile,
    file_sha256,
    read_tables,
    record_list_name,
)

NAMES = ["សុខ ចន្ថា", "สมชาย ใจดี", "ສົມພອນ", "မောင်မောင်", "Nguyễn Văn An"]
HEADER = ["incident_ref", "date", "name"]


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def one_table(path: Path, **options: Any) -> tuple[Table, list[tuple[int, list[Any]]]]:
    tables = list(read_tables(path, ReadOptions(**options)))
    assert len(tables) == 1
    return tables[0], list(tables[0].rows)


def unreadable(path: Path, **options: Any) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as info:
        for table in read_tables(path, ReadOptions(**options)):
            list(table.rows)
    assert info.value.file == str(path)
    assert info.value.message and info.value.hint
    return info.value


def names_csv() -> str:
    return "incident_ref,date,name\r\n" + "".join(
        f"R{i},2024-03-0{i},{n}\r\n" for i, n in enumerate(NAMES, 1))


# --- encodings ------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_round_trip_every_script(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    path = write(tmp_path, "names.csv", bom + names_csv().encode(encoding))
    table, rows = one_table(path)
    assert table.header == HEADER  # no BOM glued to the first column name
    assert [values[2] for _, values in rows] == NAMES
    assert [number for number, _ in rows] == [2, 3, 4, 5, 6]


def test_windows_874_thai_is_detected(tmp_path: Path) -> None:
    text = "รหัส,วันที่,ชื่อ\n" + "".join(f"T{i},2024-01-0{i},สมชาย ใจดี {i}\n" for i in range(1, 6))
    table, rows = one_table(write(tmp_path, "thai.csv", text, "cp874"))
    assert table.header == ["รหัส", "วันที่", "ชื่อ"]
    assert rows[0][1] == ["T1", "2024-01-01", "สมชาย ใจดี 1"]


def test_windows_1252_accents_are_not_read_as_thai(tmp_path: Path) -> None:
    text = "id,name,nationality\n1,José Müller,Française\n2,Zoë Brontë,Österreich\n3,Renée,—\n"
    _, rows = one_table(write(tmp_path, "latin.csv", text, "cp1252"))
    assert [values[1] for _, values in rows] == ["José Müller", "Zoë Brontë", "Renée"]
    assert rows[2][1][2] == "—"


def test_thai_after_a_long_ascii_opening_is_still_detected(tmp_path: Path) -> None:
    ascii_rows = "".join(f"A{i},2024-01-01,plain ascii name\n" for i in range(5000))  # > 64 KiB
    text = "incident_ref,date,name\n" + ascii_rows + "B1,2024-01-02,สมชาย ใจดี\n"
    _, rows = one_table(write(tmp_path, "late_thai.csv", text, "cp874"))
    assert rows[-1] == (5002, ["B1", "2024-01-02", "สมชาย ใจดี"])


def test_forced_encoding_wins_and_accepts_windows_names(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "id,name\n1,Đăng\n", "cp1258")  # Vietnamese code page
    _, rows = one_table(path, encoding="windows-1258")
    assert rows[0][1] == ["1", "Đăng"]
    thai = write(tmp_path, "t.csv", "id,name\n1,ใจดี\n", "cp874")
    assert one_table(thai, encoding="windows-874")[1][0][1] == ["1", "ใจดี"]


def test_unknown_forced_encoding(tmp_path: Path) -> None:
    error = unreadable(write(tmp_path, "x.csv", "a,b\n1,2\n"), encoding="klingon-8")
    assert error.code == "UNKNOWN_ENCODING"


def test_bytes_that_break_the_encoding_further_down_are_reported(tmp_path: Path) -> None:
    head = "id,name\n1,José\n" + "".join(f"{i},x\n" for i in range(2, 30000))
    path = write(tmp_path, "mixed.csv", head.encode() + b"30000,Jos\xe9\n")
    error = unreadable(path)
    assert error.code == "DECODE_ERROR"
    assert error.row is not None and error.row > 1


# --- delimiters and CSV shape ---------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    text = "\n".join(delimiter.join(r) for r in [HEADER, ["R1", "2024-01-01", "Smith, John"]])
    table, rows = one_table(write(tmp_path, "d.csv", text))
    assert table.header == HEADER
    assert rows[0][1][2] == "Smith, John"


def test_semicolons_with_decimal_commas(tmp_path: Path) -> None:
    text = "id;fee;currency\n1;12,5;THB\n2;3,75;USD\n3;1000,00;VND\n"
    table, rows = one_table(write(tmp_path, "eu.csv", text))
    assert table.header == ["id", "fee", "currency"]
    assert rows[0][1] == ["1", "12,5", "THB"]


def test_forced_delimiter(tmp_path: Path) -> None:
    table, _ = one_table(write(tmp_path, "t.txt", "a,b\tc\n1,2\t3\n"), delimiter="tab")
    assert table.header == ["a,b", "c"]


def test_sniffer_unit_cases() -> None:
    assert sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert sniff_delimiter("single\nvalue\n") == ","
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert sniff_delimiter('"x;y",b\n"1;2",3\n') == ","


def test_excel_quoting_with_embedded_newlines(tmp_path: Path) -> None:
    text = ('incident_ref,note,name\r\n'
            'R1,"first line\r\nsecond line, with comma","He said ""stop"""\r\n'
            'R2,plain,Ann\r\n')
    _, rows = one_table(write(tmp_path, "q.csv", text))
    assert rows[0] == (2, ["R1", "first line\r\nsecond line, with comma", 'He said "stop"'])
    assert rows[1] == (4, ["R2", "plain", "Ann"])  # the line it starts on in an editor


def test_blank_lines_and_trailing_empty_columns(tmp_path: Path) -> None:
    text = "incident_ref,date,name,,\n\nR1,2024-01-01,Ann,,\n,,,,\n   \nR2,2024-01-02,Bo,,\n"
    table, rows = one_table(write(tmp_path, "b.csv", text))
    assert table.header == HEADER
    assert rows == [(3, ["R1", "2024-01-01", "Ann"]), (6, ["R2", "2024-01-02", "Bo"])]


def test_values_under_empty_headers_are_kept_under_column_numbers(tmp_path: Path) -> None:
    text = "incident_ref,,name,,\nR1,x,Ann,,late\nR2,,Bo\n"
    table, rows = one_table(write(tmp_path, "e.csv", text))
    assert table.header == ["incident_ref", "column 2", "name", "column 4", "column 5"]
    assert rows[0][1] == ["R1", "x", "Ann", "", "late"]
    assert rows[1][1] == ["R2", "", "Bo", None, None]


def test_short_rows_padded_and_long_rows_extend_the_header(tmp_path: Path) -> None:
    text = "a,b,c\n1\n1,2,3,4\n5,6,7\n"
    table, rows = one_table(write(tmp_path, "w.csv", text))
    assert rows[0][1] == ["1", None, None]
    assert rows[1][1] == ["1", "2", "3", "4"]
    assert rows[2][1] == ["5", "6", "7", None]
    assert table.header == ["a", "b", "c", "column 4"]


def test_duplicate_column_names_are_both_kept(tmp_path: Path) -> None:
    table, rows = one_table(write(tmp_path, "dup.csv", "name,Name ,name,name (2)\n1,2,3,4\n"))
    assert table.header == ["name", "Name (2)", "name (3)", "name (2) (2)"]
    assert rows[0][1] == ["1", "2", "3", "4"]


def test_merged_title_rows_above_the_header(tmp_path: Path) -> None:
    text = ("Incidents reported by BLO Mae Sot,,\nMarch 2024,,\n\n"
            "Incident ref, Date ,Name\nR1,2024-03-01,Ann\n")
    known = frozenset({"incident_ref", "incident ref", "date", "name"})
    table, rows = one_table(write(tmp_path, "m.csv", text), known_columns=known)
    assert table.header == ["Incident ref", "Date", "Name"]
    assert rows == [(5, ["R1", "2024-03-01", "Ann"])]
    # without known columns the first non-empty row is the header
    assert one_table(tmp_path / "m.csv")[0].header[0] == "Incidents reported by BLO Mae Sot"


def test_header_row_set_by_the_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", "Title\n\na,b\n1,2\n")
    table, rows = one_table(path, header_row=3)
    assert (table.header, rows) == (["a", "b"], [(4, ["1", "2"])])
    assert unreadable(path, header_row=2).code == "NO_HEADER"
    assert unreadable(path, header_row=9).code == "NO_HEADER"


def test_leading_formula_characters_stay_text(tmp_path: Path) -> None:
    text = 'a,b,c,d\n=1+2,+66 81 234 5678,-5,@cmd\n"=HYPERLINK(""x"")", 07,x ,\n'
    _, rows = one_table(write(tmp_path, "f.csv", text))
    assert rows[0][1] == ["=1+2", "+66 81 234 5678", "-5", "@cmd"]
    assert rows[1][1] == ['=HYPERLINK("x")', " 07", "x ", ""]


def test_unclosed_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    body = "".join(f"R{i},x\n" for i in range(20000))
    error = unreadable(write(tmp_path, "u.csv", 'a,b\nR0,"never closed\n' + body))
    assert error.code == "BAD_CSV"


# --- empty, binary and unsupported files ----------------------------------------------------

def test_zero_byte_file(tmp_path: Path) -> None:
    assert unreadable(write(tmp_path, "z.csv", b"")).code == "EMPTY_FILE"
    assert unreadable(write(tmp_path, "blank.csv", "\r\n \r\n,,\r\n")).code == "EMPTY_FILE"


def test_header_only_gives_a_table_without_rows(tmp_path: Path) -> None:
    table, rows = one_table(write(tmp_path, "h.csv", "incident_ref,date,name\n"))
    assert (table.header, rows, table.sheet) == (HEADER, [], "")


def test_random_bytes_named_csv(tmp_path: Path) -> None:
    error = unreadable(write(tmp_path, "r.csv", os.urandom(5000)))
    assert error.code == "NOT_A_TEXT_FILE"
    assert "binary" in error.hint and "CSV UTF-8" in error.hint


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    data = bytes(b for b in os.urandom(20000) if b)
    assert unreadable(write(tmp_path, "r.csv", data)).code == "NOT_A_TEXT_FILE"


def test_workbook_renamed_csv_says_it_is_excel(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "real.xlsx", [HEADER, ["R1", "x", "Ann"]])
    renamed = write(tmp_path, "renamed.csv", source.read_bytes())
    error = unreadable(renamed)
    assert error.code == "NOT_A_TEXT_FILE"
    assert "Excel" in error.hint and ".xlsx" in error.hint


@pytest.mark.parametrize("name", ["old.xls", "report.pdf", "noext"])
def test_unsupported_extensions(tmp_path: Path, name: str) -> None:
    assert unreadable(write(tmp_path, name, "a,b\n")).code == "UNSUPPORTED_FORMAT"


def test_missing_file(tmp_path: Path) -> None:
    assert unreadable(tmp_path / "gone.csv").code == "FILE_NOT_FOUND"


# --- XLSX -----------------------------------------------------------------------------------

def make_workbook(path: Path, rows: list[list[Any]], title: str = "Incidents") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_merged_title_native_values_and_empty_sheets(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Mae Sot"
    sheet["A1"] = "Incidents reported in March 2024"
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["Incident ref", "Date", "Migrants", "Name", None, None])
    sheet.append(["R1", dt.datetime(2024, 3, 1), 12, "សុខ ចន្ថា"])
    sheet.append([])
    sheet.append(["R2", 45352, 2.5, "=not a formula", None, "stray"])
    sheet["D6"].data_type = "s"
    workbook.create_sheet("Empty")
    workbook.create_sheet("Lists").append(["code", "label"])
    workbook.save(tmp_path / "w.xlsx")
    known = frozenset({"incident ref", "date", "migrants", "name"})
    tables = list(read_tables(tmp_path / "w.xlsx", ReadOptions(known_columns=known)))
    assert [t.sheet for t in tables] == ["Mae Sot", "Lists"]
    rows = list(tables[0].rows)
    assert rows[0] == (4, ["R1", dt.datetime(2024, 3, 1), 12, "សុខ ចន្ថា"])
    assert rows[1] == (6, ["R2", 45352, 2.5, "=not a formula", None, "stray"])
    assert tables[0].header == ["Incident ref", "Date", "Migrants", "Name", "column 5", "column 6"]
    assert (tables[1].header, list(tables[1].rows)) == (["code", "label"], [])


def set_cells(path: Path, replacements: dict[str, str]) -> None:
    """Rewrite cells in the first sheet's XML, as Excel would have saved them."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    xml = parts[member].decode()
    for ref, cell in replacements.items():
        xml, count = re.subn(rf'<c r="{ref}"[^>]*>.*?</c>', cell, xml)
        assert count == 1, ref
    parts[member] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_xlsx_formulas_with_and_without_cached_values(tmp_path: Path) -> None:
    rows = [["a", "b", "sum", "label", "blank"],
            [1, 2, "=A2+B2", '=IF(A2>0,"yes","no")', '=IF(A2>5,"x","")'],
            [3, 4, "=A3+B3", '=IF(A3>0,"yes","no")', '=IF(A3>5,"x","")']]
    path = make_workbook(tmp_path / "f.xlsx", rows)
    set_cells(path, {  # row 2 calculated by Excel; row 3 left as a script wrote it
        "C2": '<c r="C2"><f>A2+B2</f><v>3</v></c>',
        "D2": '<c r="D2" t="str"><f>IF(A2&gt;0,"yes","no")</f><v>yes</v></c>',
        "E2": '<c r="E2" t="str"><f>IF(A2&gt;5,"x","")</f><v></v></c>',
    })
    table, got = one_table(path)
    assert got[0] == (2, [1, 2, 3, "yes", None])
    assert got[1] == (3, [3, 4, FormulaWithoutValue("=A3+B3"),
                          FormulaWithoutValue('=IF(A3>0,"yes","no")'),
                          FormulaWithoutValue('=IF(A3>5,"x","")')])


def test_xlsx_without_formulas_has_no_sentinels(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "p.xlsx", [["a", "b"], [1, None], [None, "x"]])
    assert one_table(path)[1] == [(2, [1, None]), (3, [None, "x"])]


def test_corrupted_xlsx(tmp_path: Path) -> None:
    good = make_workbook(tmp_path / "good.xlsx", [HEADER, ["R1", "x", "y"]]).read_bytes()
    assert unreadable(write(tmp_path, "cut.xlsx", good[: len(good) // 2])).code == "BAD_XLSX"
    with zipfile.ZipFile(tmp_path / "nosheet.xlsx", "w") as broken:
        broken.writestr("[Content_Types].xml", "<Types/>")
    assert unreadable(tmp_path / "nosheet.xlsx").code == "BAD_XLSX"
    text = unreadable(write(tmp_path, "text.xlsx", "a,b\n1,2\n"))
    assert text.code == "BAD_XLSX" and ".csv" in text.hint


def test_workbook_with_only_empty_sheets(tmp_path: Path) -> None:
    assert unreadable(make_workbook(tmp_path / "e.xlsx", [])).code == "EMPTY_FILE"


# --- JSON -----------------------------------------------------------------------------------

INCIDENT = {
    "incident_ref": "TH-2024-001", "date": "2024-03-01", "event_types": ["INTERCEPTION", "RESCUE"],
    "route_legs": [{"from": "MM", "to": "TH"}, {"from": "TH", "to": "MY", "incident_ref": "X"}],
    "migrant_groups": [{"count": 12, "nationality": "MM", "names": ["မောင်မောင်"]}],
    "harm_observations": [], "fee_observations": None,
}


def test_json_list_of_nested_incidents(tmp_path: Path) -> None:
    second = {"incident_ref": "TH-2024-002", "date": "2024-03-02", "note": "ສົມພອນ"}
    path = write(tmp_path, "i.json", json.dumps([INCIDENT, second], ensure_ascii=False))
    tables = {t.sheet: (t.header, list(t.rows)) for t in read_tables(path)}
    assert list(tables) == ["incidents", "incidents[1].route_legs", "incidents[1].migrant_groups"]
    header, rows = tables["incidents"]
    assert header == ["incident_ref", "date", "event_types", "note"]
    assert rows == [(1, ["TH-2024-001", "2024-03-01", ["INTERCEPTION", "RESCUE"], None]),
                    (2, ["TH-2024-002", "2024-03-02", None, "ສົມພອນ"])]
    assert tables["incidents[1].route_legs"] == (
        ["incident_ref", "from", "to"], [(1, ["TH-2024-001", "MM", "TH"]), (2, ["X", "TH", "MY"])])
    assert tables["incidents[1].migrant_groups"][1] == [
        (1, ["TH-2024-001", 12, "MM", ["မောင်မောင်"]])]
    assert record_list_name("incidents[1].route_legs") == "route_legs"
    assert record_list_name("incidents") == "incidents"


def test_json_document_with_several_record_lists(tmp_path: Path) -> None:
    document = {"schema": "1.0", "incidents": [INCIDENT], "aggregate_returns": [{"month": "2024-03"}],
                "persons": [{"person_ref": "P1", "incident_ref": "TH-2024-001"}], "objects": []}
    path = write(tmp_path, "d.json", codecs.BOM_UTF8 + json.dumps(document).encode())
    sheets = [t.sheet for t in read_tables(path)]
    assert sheets == ["incidents", "incidents[1].route_legs", "incidents[1].migrant_groups",
                      "aggregate_returns", "persons", "objects"]


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    error = unreadable(write(tmp_path, "b.json", '[\n  {"incident_ref": "R1",}\n]'))
    assert error.code == "BAD_JSON"
    assert "line 2, column 25" in error.message and error.row == 2
    assert unreadable(write(tmp_path, "s.json", '"just text"')).code == "BAD_JSON"
    assert unreadable(write(tmp_path, "n.json", "[1, 2]")).code == "BAD_JSON"


def test_jsonl_is_streamed_with_growing_header_and_children(tmp_path: Path) -> None:
    lines = [json.dumps({"incident_ref": "R1", "date": "2024-01-01"}), "",
             json.dumps(INCIDENT, ensure_ascii=False), json.dumps({"incident_ref": "R3"})]
    tables = read_tables(write(tmp_path, "i.jsonl", "\n".join(lines) + "\n"))
    incidents = next(tables)
    assert incidents.header == ["incident_ref", "date"]
    rows = list(incidents.rows)
    assert incidents.header == ["incident_ref", "date", "event_types"]
    assert rows == [(1, ["R1", "2024-01-01"]),
                    (3, ["TH-2024-001", "2024-03-01", ["INTERCEPTION", "RESCUE"]]),
                    (4, ["R3", None, None])]
    children = {t.sheet: list(t.rows) for t in tables}
    assert list(children) == ["incidents[3].route_legs", "incidents[3].migrant_groups"]


def test_bad_jsonl_line(tmp_path: Path) -> None:
    path = write(tmp_path, "b.ndjson", '{"incident_ref": "R1"}\n{"incident_ref": \n')
    error = unreadable(path)
    assert (error.code, error.row) == ("BAD_JSON", 2)
    assert unreadable(write(tmp_path, "l.jsonl", '{"a": 1}\n[1]\n')).code == "BAD_JSON"


# --- hashing and large files ----------------------------------------------------------------

def test_file_sha256(tmp_path: Path) -> None:
    data = os.urandom(3_000_000)
    path = write(tmp_path, "h.bin", data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


def test_million_rows_are_streamed_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("incident_ref,date,count,name\n")
        for start in range(0, 1_000_000, 10_000):
            f.write("".join(f"R{i},2024-01-01,{i % 50},สมชาย\n" for i in range(start, start + 10_000)))
    tracemalloc.start()
    try:
        count = last = 0
        for table in read_tables(path):
            for number, _values in table.rows:
                count, last = count + 1, number
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (count, last) == (1_000_000, 1_000_001)
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
