"""The `crossings` command as an officer or a script uses it: exit codes, messages, files."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from crossings.cli import cli
from crossings.web.reporting.models import Record
from tests.factories import INCIDENTS, write_csv

UNIT = "KHM-NFP-PHNOMPENH"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.mark.django_db
def test_import_stores_and_says_what_it_did(run, incident_files):
    result = run("import", *map(str, incident_files), "--unit", UNIT)
    assert result.exit_code == 0, result.output
    assert "stored 2 new and 0 revised records" in result.output
    again = run("import", *map(str, incident_files), "--unit", UNIT)
    assert again.exit_code == 0 and "Nothing new" in again.output


@pytest.mark.django_db
def test_rejected_import_exits_1_prints_problems_and_writes_errors_csv(run, tmp_path):
    rows = [INCIDENTS[0], {**INCIDENTS[0], "incident_ref": "KHM-T-9", "border_country": "Thailand"}]
    path = write_csv(tmp_path / "incidents.csv", rows)
    result = run("import", str(path), "--unit", UNIT)
    assert result.exit_code == 1 and Record.objects.count() == 0
    assert "nothing was stored" in result.output
    assert "row 3, column border_country [Thailand]" in result.output
    with (tmp_path / "incidents.csv.errors.csv").open(encoding="utf-8-sig") as handle:
        errors = list(csv.DictReader(handle))
    assert [(e["row"], e["column"], e["value"], e["rule"]) for e in errors] == \
        [("3", "border_country", "Thailand", "UNKNOWN_COUNTRY")]
    assert errors[0]["hint"]


@pytest.mark.django_db
def test_a_fixed_file_removes_its_stale_error_report(run, tmp_path):
    path = write_csv(tmp_path / "incidents.csv", [{**INCIDENTS[0], "location_type": "?"}])
    assert run("import", str(path), "--unit", UNIT).exit_code == 1
    write_csv(path, INCIDENTS)
    assert run("import", str(path), "--unit", UNIT).exit_code == 0
    assert not (tmp_path / "incidents.csv.errors.csv").exists()


@pytest.mark.django_db
def test_dry_run_and_json_output(run, incident_files):
    result = run("import", *map(str, incident_files), "--unit", UNIT, "--dry-run", "--json")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["ok"] and not data["stored"] and data["created"] == 2
    assert Record.objects.count() == 0


@pytest.mark.django_db
def test_usage_errors_exit_2_without_traceback(run, incident_files, tmp_path):
    unknown = run("import", str(incident_files[0]), "--unit", "KHM-BLO-NOWHERE")
    assert unknown.exit_code == 2 and "crossings units" in unknown.output
    missing = run("import", str(tmp_path / "nope.csv"), "--unit", UNIT)
    assert missing.exit_code == 2 and "no such file" in missing.output
    bad_mapping = tmp_path / "m.yaml"
    bad_mapping.write_text("columns: {Nationality: nationalité}\n", encoding="utf-8")
    mapped = run("import", str(incident_files[0]), "--unit", UNIT, "--mapping", str(bad_mapping))
    assert mapped.exit_code == 2 and "nationalité" in mapped.output
    assert "Traceback" not in unknown.output + missing.output + mapped.output


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_again_changes_nothing(run, incident_files, tmp_path, fmt):
    run("import", *map(str, incident_files), "--unit", UNIT)
    out = tmp_path / ("out" if fmt == "csv" else f"out.{fmt}")
    assert run("export", "--format", fmt, str(out)).exit_code == 0
    files = sorted(map(str, out.glob("*.csv"))) if fmt == "csv" else [str(out)]
    again = run("import", *files, "--unit", UNIT, "--json")
    assert json.loads(again.output)["unchanged"] == 2, again.output


@pytest.mark.django_db
def test_export_neutralises_formulas_and_keeps_the_nominal_layer_out_by_default(run, tmp_path,
                                                                                incident_files):
    run("import", *map(str, incident_files), "--unit", UNIT)
    persons = write_csv(tmp_path / "persons.csv", [
        {"person_ref": "P-1", "incident_ref": "KHM-T-1", "role": "FACILITATOR",
         "full_name": "=HYPERLINK(\"http://x\")"}])
    assert run("import", str(persons), "--unit", UNIT).exit_code == 0
    run("export", "--format", "csv", str(tmp_path / "plain"))
    assert not (tmp_path / "plain" / "persons.csv").exists()
    run("export", "--format", "csv", "--include-nominal", str(tmp_path / "all"))
    text = (tmp_path / "all" / "persons.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text


def test_standard_schema_and_docs(run):
    schema = json.loads(run("standard", "schema").output)
    assert schema["$defs"]["incident"]["properties"]["route_legs"]["type"] == "array"
    assert "Code list `location_type`" in run("standard", "docs").output


def test_exit_codes_are_documented_in_the_readme_and_the_help():
    from pathlib import Path

    import crossings.cli

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    import re

    for code in ("0", "1", "2", "3", "70"):
        assert re.search(rf"^\s+{code}\s+\w", crossings.cli.__doc__, re.MULTILINE), code
        assert f"| {code} |" in readme, code


def test_every_command_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`crossings {name}" in readme, f"`crossings {name}` is missing from the README"


def test_every_setting_read_from_the_environment_is_in_the_readme():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    settings_text = (root / "crossings/web/settings.py").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    names = set(re.findall(r'environ\.get\("([A-Z_]+)"', settings_text))
    assert names, "no environment settings found"
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == [], f"settings missing from the README: {missing}"



def test_every_benchmark_is_in_the_readme():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in sorted((root / "benchmarks").glob("*.py")) if p.name not in readme]
    assert missing == [], f"benchmarks missing from the README: {missing}"
