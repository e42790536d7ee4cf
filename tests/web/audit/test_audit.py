"""The audit log: append-only, hash-chained, tamper-evident; read by the owning focal point."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, connection, transaction

from crossings.cli import cli
from crossings.web.audit.log import audit, verify_chain
from crossings.web.audit.models import AppendOnly, AuditEntry
from crossings.web.reporting.actions import import_files
from tests.web.conftest import verified_browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(demo_users, incident_files):
    """Real entries: an import, a policy change, token creation (the demo's kind of data)."""
    from crossings.web.setup import share_demo_records

    result = import_files(incident_files, "KHM-NFP-PHNOMPENH", user=demo_users["khm-focal"])
    assert result.stored
    share_demo_records()
    return list(AuditEntry.objects.order_by("seq"))


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_chain_of_demo_data_verifies(entries):
    assert len(entries) >= 5 and [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].action == "IMPORT" and entries[0].details["created"] == 2
    assert verify_chain().ok
    result = run("audit", "verify")
    assert result.exit_code == 0 and f"{len(entries)} entries" in result.output


def test_the_orm_refuses_to_change_or_delete_entries(entries):
    entry = entries[1]
    entry.action = "LOGIN"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="LOGIN")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite has no trigger: tamper")
def test_a_raw_sql_tamper_is_found_and_named(entries):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET username = 'someone-else' WHERE seq = 2")
    check = verify_chain()
    assert not check.ok and check.broken_seq == 2
    result = run("audit", "verify")
    assert result.exit_code == 1 and "entry #2" in result.output


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite has no trigger: tamper")
def test_a_deleted_entry_is_found(entries):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 3")
    check = verify_chain()
    assert check.broken_seq == 3 and "missing" in check.reason


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_or_delete_entries(entries):
    for sql in ("UPDATE audit_auditentry SET username = 'x' WHERE seq = 2",
                "DELETE FROM audit_auditentry WHERE seq = 2"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql)
    assert verify_chain().ok


def test_a_focal_point_reads_their_countrys_audit_only(entries, api_as, demo_users):
    khm = api_as("khm-focal").get("/audit", page_size=500).json()
    assert khm["count"] >= 2 and {e["country"] for e in khm["items"]} == {"KHM"}
    assert {"IMPORT", "POLICY", "APPROVE"} <= {e["action"] for e in khm["items"]}
    tha = api_as("tha-focal").get("/audit").json()
    assert {e["country"] for e in tha["items"]} == {"THA"}
    assert api_as("khm-officer").get("/audit").json()["count"] == 0
    assert api_as("khm-analyst").get("/audit").json()["count"] == 0
    assert api_as("admin").get("/audit").json()["count"] >= len(entries)
    page = verified_browser(demo_users["khm-focal"]).get("/audit/").content.decode()
    assert "IMPORT" in page and "THA" not in page.split("<table>")[1]


def test_viewing_nominal_data_is_audited(api_as, records_of, demo_users):
    from crossings.web.reporting.models import Status
    from tests.web.conftest import Spec

    person = records_of([Spec("KHM-P-1", "KHM", "person", Status.APPROVED)])["KHM-P-1"]
    api = api_as("khm-analyst")
    api.get(f"/records/{person.uid}")
    api.get("/records")
    views = AuditEntry.objects.filter(action="VIEW_NOMINAL", record=person)
    assert [(v.username, v.details["via"]) for v in views] == [("khm-analyst", "read"),
                                                                ("khm-analyst", "list")]
    api.get("/export")
    export = AuditEntry.objects.get(action="EXPORT")
    assert export.details["nominal"] == 1 and export.country.code == "KHM"


def test_entries_are_chained_in_order(db):
    first = audit("LOGIN_FAILED", username="x")
    second = audit("LOGIN_FAILED", username="y")
    assert second.prev_hash == first.hash and second.seq == first.seq + 1
