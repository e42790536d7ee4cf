"""Browsers signed in as demo users, and a valid incident as the form posts it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.web.conftest import new_ref, verified_browser


@pytest.fixture
def browser_as(demo_users: dict[str, Any]) -> Any:
    def make(username: str, language: str = "en") -> Client:
        browser = verified_browser(demo_users[username])
        browser.cookies["django_language"] = language
        return browser

    return make


def incident_post(**changes: Any) -> dict[str, Any]:
    """What the form posts for a small valid incident with one route leg and one group."""
    post: dict[str, Any] = {
        "incident_ref": new_ref(), "reporting_unit": "KHM-BLO-POIPET",
        "detection_date": "2025-03-02", "location_type": "LAND_BCP",
        "event_types": ["IRREGULAR_CROSSING"], "border_country": "THA",
        "route_legs-0-leg_no": "1", "route_legs-0-from_country": "KHM",
        "route_legs-0-to_country": "THA",
        "migrant_groups-0-group_no": "1", "migrant_groups-0-citizenship": "KHM",
        "migrant_groups-0-total": "12", "migrant_groups-0-female": "5",
        "action": "save"}
    post.update(changes)
    return {k: v for k, v in post.items() if v is not None}
