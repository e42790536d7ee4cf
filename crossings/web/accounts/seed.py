"""Seeding the organisation hierarchy from a YAML description (the demo's is shipped as data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from crossings.standard.model import m49
from crossings.web.accounts.models import Agency, Country, Region, Unit

DEMO_ORGANISATIONS = Path(__file__).resolve().parents[2] / "synthetic" / "organisations.yaml"


@transaction.atomic
def seed_organisations(path: Path = DEMO_ORGANISATIONS) -> int:
    """Create or update regions, countries, agencies and units; returns the number of units.

    Running it twice changes nothing: every object is keyed by its stable code.
    """
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    counterparts: list[tuple[Unit, str]] = []
    for region_spec in data["regions"]:
        region, _ = Region.objects.update_or_create(code=region_spec["code"],
                                                    defaults={"name": region_spec["name"]})
        for country_spec in region_spec["countries"]:
            counterparts += _seed_country(region, country_spec)
    for unit, counterpart_code in counterparts:
        unit.counterpart = Unit.objects.filter(code=counterpart_code).first()
        unit.save(update_fields=["counterpart"])
    return Unit.objects.count()


def _seed_country(region: Region, spec: dict[str, Any]) -> list[tuple[Unit, str]]:
    country, _ = Country.objects.update_or_create(
        code=spec["code"], defaults={"name": spec["name"], "region": region,
                                     "m49": m49(spec["code"]) or ""})
    counterparts = []
    for agency_spec in spec.get("agencies", []):
        agency, _ = Agency.objects.update_or_create(
            code=agency_spec["code"], defaults={"name": agency_spec["name"], "country": country,
                                                "agency_type": agency_spec.get("type", "OTHER")})
        for unit_spec in agency_spec.get("units", []):
            unit, _ = Unit.objects.update_or_create(code=unit_spec["code"], defaults={
                "name": unit_spec["name"], "kind": unit_spec["kind"], "agency": agency,
                "country": country, "latitude": unit_spec.get("latitude"),
                "longitude": unit_spec.get("longitude"),
                "border_country": unit_spec.get("border_country") or ""})
            if unit_spec.get("counterpart"):
                counterparts.append((unit, unit_spec["counterpart"]))
    return counterparts
