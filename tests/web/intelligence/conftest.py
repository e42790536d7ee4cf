"""Linkage review fixtures: Cambodian persons in the store, linked, and browsers for its users.

Training the person model takes most of a run, so the first test trains it and later tests
start from a copy of that model (as a country's second run does): their runs only predict.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from crossings.synthetic import generate
from crossings.web.accounts.models import Country, Unit
from crossings.web.intelligence.actions import link_country
from crossings.web.intelligence.models import LinkageModel
from crossings.web.reporting.models import Record, Status
from tests.web.conftest import verified_browser

LISTS = {"aliases", "phones"}
PERSONS = 700
#: Persons left SUBMITTED: the focal point sees them, a national analyst does not.
SUBMITTED_EVERY = 10
_TRAINED: dict[str, Any] = {}


@pytest.fixture(scope="session")
def review_generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review-gen")
    generate(out, incidents=600, seed=11)
    return out


def _rows(generated: Path) -> list[dict[str, str]]:
    with (generated / "KHM" / "persons.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[:PERSONS]


def store_persons(generated: Path) -> list[Record]:
    """The first generated Cambodian persons, approved (every tenth only submitted)."""
    country, unit = Country.objects.get(code="KHM"), Unit.objects.get(code="KHM-BLO-POIPET")
    now = timezone.now()
    records = []
    for n, row in enumerate(_rows(generated)):
        data = {k: (v.split("|") if k in LISTS else v) for k, v in row.items() if v}
        status = Status.SUBMITTED if n % SUBMITTED_EVERY == 0 else Status.APPROVED
        records.append(Record(record_type="person", country=country, unit=unit,
                              reference=row["person_ref"], incident_reference=row["incident_ref"],
                              event_date=dt.date(2023, 6, 1), data=data, content_hash="x",
                              standard_version="1", created_at=now, updated_at=now,
                              status=status, approved_at=None if status == Status.SUBMITTED
                              else now))
    return Record.objects.bulk_create(records)


def link_khm() -> dict[str, Any]:
    """``link_country("KHM")``, reusing the model trained by the first test of the session."""
    khm = Country.objects.get(code="KHM")
    if "model" in _TRAINED and not LinkageModel.objects.filter(country=khm).exists():
        LinkageModel.objects.create(country=khm, version=1, model=_TRAINED["model"])
    outcome = link_country("KHM")
    _TRAINED.setdefault("model", LinkageModel.objects.get(country=khm, version=1).model)
    return outcome


@pytest.fixture
def linked(review_generated: Path, demo_users: dict[str, Any]) -> list[Record]:
    """KHM persons in the store and one linkage run over them."""
    persons = store_persons(review_generated)
    link_khm()
    return persons


@pytest.fixture
def browser_of(demo_users: dict[str, Any]) -> Any:
    def make(username: str) -> Client:
        return verified_browser(demo_users[username])

    return make
