"""Cambodian incidents made with the workflow actions: 11 shared bilaterally with Thailand,
5 national only; a fresh analytical store that follows every action."""

from __future__ import annotations

import pytest

from crossings.web.reporting.actions import import_files
from crossings.web.reporting.models import Record
from crossings.web.reporting.workflow import approve_record, share_record
from tests.factories import write_csv

UNIT = "KHM-NFP-PHNOMPENH"
SHARED, NATIONAL = 11, 5


def incident(n: int) -> dict[str, object]:
    return {"incident_ref": f"KHM-D-{n}", "reporting_unit": "KHM-BLO-POIPET",
            "detection_date": f"2025-0{1 + n % 6}-1{n % 9}", "location_type": "LAND_BCP",
            "border_country": "THA", "event_types": "IRREGULAR_CROSSING"}


def group(n: int, total: int) -> dict[str, object]:
    return {"incident_ref": f"KHM-D-{n}", "group_no": 1, "citizenship": "KHM", "total": total,
            "origin_country": "KHM", "intended_destination": "THA"}


def fee(n: int) -> dict[str, object]:
    return {"incident_ref": f"KHM-D-{n}", "fee_no": 1, "amount": 200 + 10 * n,
            "currency": "USD", "unit": "PER_PERSON"}


@pytest.fixture
def committed(tmp_path, settings, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def cambodia(committed, demo_users, tmp_path) -> dict[str, list[Record]]:
    """16 approved Cambodian incidents (12 migrants each if shared, 30 if not), the first 11
    shared with Thailand (BILATERAL), through approve_record and share_record."""
    n_all = SHARED + NATIONAL
    totals = [12 if n < SHARED else 30 for n in range(n_all)]
    files = [write_csv(tmp_path / "incidents.csv", [incident(n) for n in range(n_all)]),
             write_csv(tmp_path / "migrant_groups.csv",
                       [group(n, totals[n]) for n in range(n_all)]),
             write_csv(tmp_path / "fee_observations.csv", [fee(n) for n in range(n_all)])]
    assert committed(import_files, files, UNIT).ok
    focal = demo_users["khm-focal"]
    out: dict[str, list[Record]] = {"shared": [], "national": []}
    for n in range(n_all):
        record = Record.objects.get(reference=f"KHM-D-{n}")
        record = committed(approve_record, focal, record)
        if n < SHARED:
            record = committed(share_record, focal, record, "BILATERAL", ["THA"])
            out["shared"].append(record)
        else:
            out["national"].append(record)
    return out
