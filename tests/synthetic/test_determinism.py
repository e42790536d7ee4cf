"""Same seed, same bytes; another seed, other data; sizes follow the options."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from crossings.synthetic import generate
from crossings.synthetic.cli import generate as generate_command


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", incidents=300, seed=11)
    generate(tmp_path / "b", incidents=300, seed=11)
    generate(tmp_path / "c", incidents=300, seed=12)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a")["KHM/persons.csv"] != _digest(tmp_path / "c")["KHM/persons.csv"]


def test_persons_option_sets_the_size(tmp_path: Path) -> None:
    summary = generate(tmp_path, persons=20_000, seed=1)
    assert 18_000 < summary.persons < 22_000
    assert summary.rows["linkage/persons.csv"] == summary.persons


def test_cli_writes_and_refuses_bad_options(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(generate_command, ["--incidents", "50", "--seed", "3", str(tmp_path / "o")])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "o" / "truth" / "population.json").exists()
    bad = runner.invoke(generate_command, ["--incidents", "0", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    (tmp_path / "file").write_text("x")
    clash = runner.invoke(generate_command, ["--incidents", "5", str(tmp_path / "file")])
    assert clash.exit_code == 2 and "not a directory" in clash.output


@pytest.mark.parametrize("bad", [{"incidents": -1}, {"persons": 0}])
def test_api_refuses_nonsense(tmp_path: Path, bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate(tmp_path, **bad)
