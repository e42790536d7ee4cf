"""Demo users, records in every state and scope, and clients that call the API as a user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from crossings.web.accounts.models import Country, SharingScope, Unit
from crossings.web.accounts.tokens import create_token
from crossings.web.reporting.actions import canonical_json, content_hash
from crossings.web.reporting.models import Change, Record, RecordVersion, Status
from crossings.web.setup import DEMO_LOGINS, create_demo_users

S = SharingScope
INCIDENT = {"incident_ref": "", "detection_date": "2025-03-02", "location_type": "LAND_BCP",
            "event_types": ["IRREGULAR_CROSSING"], "location_name": "Poipet market",
            "latitude": 13.6588, "longitude": 102.56, "narrative": "Van stopped at night",
            "migrant_groups": [{"group_no": 1, "citizenship": "KHM", "total": 12}]}


@pytest.fixture
def demo_users(db: None) -> dict[str, Any]:
    create_demo_users()
    return {u.username: u for u in get_user_model().objects.all()}


@dataclass
class Spec:
    """A record made for the access matrix, and what it is."""

    name: str
    country: str
    record_type: str
    status: str
    scope: str = S.NATIONAL_ONLY
    partners: tuple[str, ...] = ()
    officer_unit: bool = True
    deleted: bool = False
    shared_days_ago: int = 1


def make_record(spec: Spec, units: dict[str, str]) -> Record:
    country = Country.objects.get(code=spec.country)
    unit_code = units[spec.country] if spec.officer_unit else f"{spec.country}-NFP-" + {
        "KHM": "PHNOMPENH", "THA": "BANGKOK", "VNM": "HANOI", "LAO": "VIENTIANE"}[spec.country]
    unit = Unit.objects.get(code=unit_code)
    reference = spec.name
    if spec.record_type == "person":
        data: dict[str, Any] = {"person_ref": reference, "incident_ref": "X-1",
                                "role": "FACILITATOR", "full_name": "Sok Dara"}
    else:
        data = {**INCIDENT, "incident_ref": reference}
    now = timezone.now()
    shared = spec.status == Status.SHARED
    record = Record.objects.create(
        record_type=spec.record_type, country=country, unit=unit, reference=reference,
        data=data, content_hash=content_hash(canonical_json(data)), standard_version="1.0.0",
        status=spec.status, sharing_scope=spec.scope, created_at=now, updated_at=now,
        approved_at=now if spec.status in (Status.APPROVED, Status.SHARED) else None,
        shared_at=now - dt.timedelta(days=spec.shared_days_ago) if shared else None,
        deleted_at=now if spec.deleted else None, event_date=dt.date(2025, 3, 2))
    record.partners.set(Country.objects.filter(code__in=spec.partners))
    RecordVersion.objects.create(record=record, version=1, change=Change.CREATED, data=data,
                                 content_hash=record.content_hash, standard_version="1.0.0",
                                 unit=unit, status=spec.status, created_at=now)
    return record


@pytest.fixture
def records_of() -> Callable[[list[Spec]], dict[str, Record]]:
    units = {login.country: login.unit for login in DEMO_LOGINS if login.unit}

    def build(specs: list[Spec]) -> dict[str, Record]:
        return {spec.name: make_record(spec, units) for spec in specs}

    return build


class Api:
    """Calls the API as one user, with a bearer token (or anonymously)."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api{path}", params, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        call = getattr(self.client, method.lower())
        return call(f"/api{path}", body if body is not None else {},
                    content_type="application/json", headers=self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.send("POST", path, body)


@pytest.fixture
def api_as(demo_users: dict[str, Any]) -> Callable[[str | None], Api]:
    tokens: dict[str, str] = {}

    def make(username: str | None) -> Api:
        if username is None:
            return Api(None)
        if username not in tokens:
            tokens[username] = create_token(username)[1]
        return Api(tokens[username])

    return make


def new_ref() -> str:
    return f"T-{uuid.uuid4().hex[:8].upper()}"


def verified_browser(user: Any, **kwargs: Any) -> Client:
    """A browser signed in as ``user`` who also passed the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    browser = Client(**kwargs)
    browser.force_login(user)
    device = next(iter(devices_for_user(user)), None)
    if device is not None:
        session = browser.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return browser
