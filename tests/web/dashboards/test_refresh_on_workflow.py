"""The analytical store follows the workflow: approval adds a record, an edit or withdrawal
removes it, without anyone running `crossings analytics sync`."""

from __future__ import annotations

import pytest

from crossings.web.dashboards.sync import analytics_store
from crossings.web.reporting.actions import import_files
from crossings.web.reporting.models import Record
from crossings.web.reporting.workflow import approve_record, edit_record, withdraw_record
from tests.factories import INCIDENTS, write_csv

pytestmark = pytest.mark.django_db
UNIT = "KHM-NFP-PHNOMPENH"


@pytest.fixture
def committed(tmp_path, settings, django_capture_on_commit_callbacks):
    """Run an action as if its transaction committed (on_commit callbacks run), in a fresh
    analytical store."""
    settings.VAR_DIR = tmp_path

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def in_store(reference: str) -> int:
    with analytics_store().connect() as connection:
        return connection.execute("SELECT count(*) FROM incidents WHERE incident_ref = ?",
                                  [reference]).fetchone()[0]


def test_approval_adds_and_edit_and_withdrawal_remove(committed, demo_users, tmp_path):
    focal = demo_users["khm-focal"]
    committed(import_files, [write_csv(tmp_path / "incidents.csv", INCIDENTS[:1])], UNIT)
    record = Record.objects.get(reference="KHM-T-1")
    assert in_store("KHM-T-1") == 0  # submitted, not yet approved: not in analytics
    record = committed(approve_record, focal, record)
    assert in_store("KHM-T-1") == 1
    committed(edit_record, focal, record, {**record.data, "location_name": "Poipet market"})
    assert in_store("KHM-T-1") == 0  # an edit needs re-approval
    record = committed(approve_record, focal, Record.objects.get(pk=record.pk))
    assert in_store("KHM-T-1") == 1
    committed(withdraw_record, focal, record, "entered by mistake")
    assert in_store("KHM-T-1") == 0


def test_a_revising_import_takes_an_approved_record_out(committed, demo_users, tmp_path):
    path = write_csv(tmp_path / "incidents.csv", INCIDENTS[:1])
    committed(import_files, [path], UNIT)
    committed(approve_record, demo_users["khm-focal"], Record.objects.get(reference="KHM-T-1"))
    assert in_store("KHM-T-1") == 1
    write_csv(path, [{**INCIDENTS[0], "transport_mode": "TRUCK_LORRY"}])
    assert committed(import_files, [path], UNIT).revised == 1
    assert in_store("KHM-T-1") == 0
