"""`crossings indicators` on a given analytical store."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from openpyxl import load_workbook

from crossings.cli import cli


def run(store, *args):
    return CliRunner().invoke(cli, ["indicators", "--store", store.path, *args])


def test_csv_goes_to_stdout_with_the_partner_rules_by_default(store):
    result = run(store, "--country", "KHM", "--period", "2025", "-i", "migrants", "--by", "month")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["release"] for r in rows} == {"partner"} and rows[-1]["month"] == "_T"
    assert all(r["value"] == "" or int(r["value"]) % 5 == 0 for r in rows)


def test_every_count_indicator_by_default_and_json_on_request(store):
    result = run(store, "--country", "THA", "--flow", "through", "--period", "2025-H1",
                 "--format", "json")
    names = [table["indicator"] for table in json.loads(result.output)]
    assert result.exit_code == 0 and "migrants" in names and "dead" in names


def test_files_in_every_format(store, tmp_path):
    for fmt, name in (("xlsx", "t.xlsx"), ("sdmx-ml", "t.xml"), ("sdmx-csv", "t.csv")):
        result = run(store, "--country", "KHM", "--period", "2025", "--by", "quarter,sex",
                     "-i", "migrants", "--format", fmt, "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    assert "StructureSpecificData" in (tmp_path / "t.xml").read_text()
    assert load_workbook(tmp_path / "t.xlsx").sheetnames == ["notes", "01 migrants"]


def test_a_wrong_request_is_one_line_and_exit_2(store, tmp_path):
    result = run(store, "--by", "shoe_size")
    assert result.exit_code == 2 and "shoe_size" in result.output
    result = run(store, "--period", "2025-13")
    assert result.exit_code == 2 and "month" in result.output
    result = CliRunner().invoke(cli, ["indicators", "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no such analytical store" in result.output
