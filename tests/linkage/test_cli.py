"""`crossings link` as a script uses it: files in, clusters out, one-line errors."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from crossings.linkage.cli import link

HEADER = "record_id,source,full_name,full_name_original,birth_date,birth_year,sex,nationality,phone,document_number\n"
ROWS = (
    "KHM:1,KHM-BLO-POIPET,Sok Chantha,សុខ ចាន់ថា,1974-01-25,,MALE,KHM,077576080,N7696862\n"
    "THA:1,THA-IMM-ARANYAPRATHET,CHANTHA Sokh,,1974,,MALE,KHM,+85577576080,\n"
    "KHM:2,KHM-BLO-POIPET,Heng Sreynich,ហេង ស្រីនិច,1990-05-01,,FEMALE,KHM,,\n"
    "KHM:3,KHM-PIU-KOHKONG,Somchai Jaidee,สมชาย ใจดี,1961,,MALE,THA,,AA1234567\n"
)


def test_links_files_and_writes_clusters(tmp_path, generated):
    out = tmp_path / "clusters.csv"
    result = CliRunner().invoke(link, [str(generated / "linkage" / "persons.csv"), "--out",
                                       str(out), "--json", "--models", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["records"] == 5151 and summary["identities"] < 5151
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["record_id", "identity_id", "confidence"]
    assert len(rows) == 5151
    assert (tmp_path / "m" / "persons-v0001.json").is_file()


def test_bad_date_is_one_line_naming_file_row_and_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + ROWS + "KHM:9,,X,,1990-02-31,,,,,\n", encoding="utf-8")
    result = CliRunner().invoke(link, [str(path), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert f"{path}: row 6, column birth_date:" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_duplicate_ids_missing_columns_and_files_are_usage_errors(tmp_path):
    dup = tmp_path / "dup.csv"
    dup.write_text(HEADER + ROWS + ROWS.splitlines()[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(link, [str(dup)])
    assert result.exit_code == 2 and "row 6, column record_id" in result.output
    headless = tmp_path / "h.csv"
    headless.write_text("name\nSok\n", encoding="utf-8")
    result = CliRunner().invoke(link, [str(headless)])
    assert result.exit_code == 2 and "column record_id" in result.output
    result = CliRunner().invoke(link, [str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_every_value_may_be_empty(tmp_path, generated):
    path = tmp_path / "sparse.csv"
    with (generated / "linkage" / "persons.csv").open(encoding="utf-8") as handle:
        lines = handle.read().splitlines()[:400]
    lines.append("KHM:empty" + "," * 9)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(link, [str(path)])
    assert result.exit_code == 0, result.output
    assert "KHM:empty," in result.stdout
