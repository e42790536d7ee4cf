"""Reading capture-history tables and the `estimate` command."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from crossings.estimation import CaptureTable, TableError
from crossings.estimation.cli import estimate


def test_duplicate_patterns_are_summed() -> None:
    frame = pd.DataFrame({"A": [1, 1, 0], "B": [0, 0, 1], "n": [2, 3, 4]})
    table = CaptureTable.from_frame(frame)
    assert table.observed == 9
    assert table.cells.tolist() == [5, 4, 0]


def test_every_bad_cell_is_collected() -> None:
    frame = pd.DataFrame({"A": ["1", "2", "0"], "B": ["0", "1", "x"], "n": ["2", "-1", "4"]})
    with pytest.raises(TableError) as caught:
        CaptureTable.from_frame(frame, source="lists.csv")
    assert len(caught.value.problems) == 3
    assert str(caught.value).startswith("lists.csv: row 3, column 'A': value '2' is not 0 or 1")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(estimate, list(args))
    return result.exit_code, result.output


def test_json_has_the_promised_keys(data_dir: Path) -> None:
    code, out = run(str(data_dir / "Western.csv"), "--bootstrap", "100", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"observed", "estimate", "interval", "method", "model"} <= set(data)
    assert data["observed"] == 345
    assert data["model"] == "A:E"
    assert data["interval"][0] < data["estimate"] < data["interval"][1]


def test_human_output_is_a_table(data_dir: Path) -> None:
    code, out = run(str(data_dir / "NewOrl.csv"), "--bootstrap", "0")
    assert code == 0
    assert "Model      D:E" in out
    assert "Estimate   1,184" in out
    assert "Candidate models:" in out


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "lists.csv"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A,B\n1,0\n0,1\n", "no count column"),
        ("A,B,n\n1,0,5\n2,1,3\n", "row 3, column 'A': value '2' is not 0 or 1"),
        (",".join(f"L{j}" for j in range(13)) + ",n\n" + "1," * 13 + "4\n", "13 list columns"),
    ],
    ids=["no-count", "not-0-1", "too-many-lists"],
)
def test_bad_input_is_one_line_and_exit_code_2(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    code, out = run(path, "--bootstrap", "0")
    assert code == 2
    assert message in out
    assert path in out
    assert "Traceback" not in out
    assert len(out.strip().splitlines()) == 1


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    code, out = run(str(tmp_path / "absent.csv"))
    assert code == 2
    assert "absent.csv: file not found" in out


def test_by_stratum(tmp_path: Path) -> None:
    path = write(tmp_path, "A,B,C,year,n\n1,0,0,2020,30\n0,1,0,2020,20\n1,1,0,2020,5\n"
                 "0,0,1,2020,10\n1,0,1,2020,3\n1,0,0,2021,25\n0,1,0,2021,22\n1,1,0,2021,4\n"
                 "0,0,1,2021,12\n0,1,1,2021,2\n")
    code, out = run(path, "--by", "year", "--bootstrap", "0", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data["strata"]) == {"2020", "2021"}
    assert data["estimate"] == pytest.approx(sum(s["estimate"] for s in data["strata"].values()))
