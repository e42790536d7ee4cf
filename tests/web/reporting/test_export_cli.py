"""`crossings export` is audited, and a user's export goes through the visibility rule."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crossings.cli import cli
from crossings.web.audit.models import AuditEntry
from crossings.web.reporting.models import Record
from crossings.web.reporting.workflow import approve_record, share_record

pytestmark = pytest.mark.django_db
UNIT = "KHM-NFP-PHNOMPENH"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def exported(path) -> list[str]:
    return [i["incident_ref"] for i in json.loads(path.read_text()).get("incidents", [])]


def test_operator_and_user_exports(incident_files, tmp_path, demo_users):
    run("import", *map(str, incident_files), "--unit", UNIT)
    assert run("export", "--format", "json", str(tmp_path / "all.json")).exit_code == 0
    assert sorted(exported(tmp_path / "all.json")) == ["KHM-T-1", "KHM-T-2"]
    entry = AuditEntry.objects.filter(action="EXPORT").latest("seq")
    assert entry.username == "operator (CLI)" and entry.details["counts"] == {"incidents": 2}

    run("export", "--format", "json", "--user", "tha-analyst", str(tmp_path / "tha.json"))
    assert exported(tmp_path / "tha.json") == []  # not approved, not shared with Thailand
    focal = demo_users["khm-focal"]
    record = approve_record(focal, Record.objects.get(reference="KHM-T-1"))
    share_record(focal, record, "BILATERAL", ["THA"])
    run("export", "--format", "json", "--user", "tha-analyst", str(tmp_path / "tha.json"))
    shared = json.loads((tmp_path / "tha.json").read_text())["incidents"]
    assert [i["incident_ref"] for i in shared] == ["KHM-T-1"]
    assert "location_name" not in shared[0]  # shown to a partner without sensitive fields
    assert AuditEntry.objects.filter(action="EXPORT").count() == 3

    unknown = run("export", "--format", "json", "--user", "nobody", str(tmp_path / "x.json"))
    assert unknown.exit_code == 2 and "no user 'nobody'" in unknown.output
