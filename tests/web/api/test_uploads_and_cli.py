"""Uploads through the API; `crossings token` and the demo users."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from crossings.cli import cli
from crossings.web.reporting.models import Record
from crossings.web.setup import DEMO_LOGINS
from tests.factories import INCIDENTS, write_csv

pytestmark = pytest.mark.django_db


def upload(api, unit, *paths, dry_run=False):
    files = [SimpleUploadedFile(p.name, p.read_bytes(), "text/csv") for p in paths]
    return api.client.post("/api/uploads", {"unit": unit, "files": files,
                                            "dry_run": dry_run}, headers=api.headers)


def test_an_officer_uploads_for_their_unit_and_problems_come_back(api_as, tmp_path):
    api = api_as("khm-officer")
    rows = [{**row, "reporting_unit": "KHM-BLO-POIPET"} for row in INCIDENTS]
    good = write_csv(tmp_path / "incidents.csv", rows)
    response = upload(api, "KHM-BLO-POIPET", good)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2 and Record.objects.count() == 2
    (tmp_path / "bad").mkdir()
    bad = write_csv(tmp_path / "bad" / "incidents.csv",
                    [{**rows[0], "incident_ref": "KHM-X", "location_type": "?"}])
    rejected = upload(api, "KHM-BLO-POIPET", bad)
    error = rejected.json()["error"]
    assert rejected.status_code == 422 and error["code"] == "UPLOAD_REJECTED"
    assert error["details"][0]["rule"] == "UNKNOWN_CODE"
    assert error["details"][0]["file"] == "incidents.csv"
    assert upload(api, "THA-IMM-HATLEK", good).status_code == 404  # not their unit


def test_token_create_prints_a_working_token_once(demo_users):
    result = CliRunner().invoke(cli, ["token", "create", "khm-focal", "--name", "etl"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    token = result.stdout.strip()
    me = Client().get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == "khm-focal"
    unknown = CliRunner().invoke(cli, ["token", "create", "nobody"])
    assert unknown.exit_code == 2 and "nobody" in unknown.output


def test_demo_users_cover_every_role_in_three_countries(demo_users):
    roles = {(login.role, login.country) for login in DEMO_LOGINS}
    for country in ("KHM", "THA", "VNM"):
        for role in ("OFFICER", "FOCAL_POINT", "NATIONAL_ANALYST"):
            assert (role, country) in roles
    assert ("ADMINISTRATOR", "") in roles and ("REGIONAL_ANALYST", "") in roles
    assert all(login.totp_secret for login in DEMO_LOGINS if login.role != "OFFICER")
    assert demo_users["admin"].password.startswith(("md5$", "argon2$"))
