"""A generated data set read as approved records, and a store built from it, once per session."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from crossings.analysis.flatten import SourceRecord
from crossings.analysis.sample import generated_records
from crossings.analysis.store import AnalyticsStore
from crossings.synthetic.generate import generate

INCIDENTS = 1500
SEED = 23


@pytest.fixture(scope="session")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[SourceRecord]:
    out = tmp_path_factory.mktemp("generated")
    generate(out, incidents=INCIDENTS, seed=SEED)
    return list(generated_records(out))


@pytest.fixture(scope="session")
def store(records: list[SourceRecord], tmp_path_factory: pytest.TempPathFactory) -> AnalyticsStore:
    built = AnalyticsStore(tmp_path_factory.mktemp("store") / "analytics.duckdb")
    built.rebuild(records, chunk=400)
    return built


def incident(ref: str = "KHM-X-1", *, country: str = "KHM", version: int = 1,
             **fields: Any) -> SourceRecord:
    """A hand-made incident record (detection in March 2025 unless said otherwise)."""
    data: dict[str, Any] = {"incident_ref": ref, "detection_date": "2025-03-02",
                            "location_type": "LAND_BCP", "event_types": ["IRREGULAR_CROSSING"]}
    data |= fields
    return SourceRecord(uuid.uuid5(uuid.NAMESPACE_URL, f"{country}/{ref}"), country,
                        f"{country}-BLO-TEST", version, data)


def group(total: int, **fields: Any) -> dict[str, Any]:
    return {"group_no": 1, "citizenship": "KHM", "total": total} | fields


def leg(no: int, start: str, end: str) -> dict[str, Any]:
    return {"leg_no": no, "from_country": start, "to_country": end}


def path_of(store_dir: Path) -> Path:
    return store_dir / "analytics.duckdb"
