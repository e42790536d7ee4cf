"""The demo organisation hierarchy (region -> country -> agency -> unit) as typed objects.

The data live in ``organisations.yaml`` beside this module; the store seeds from it and the
generator reports every incident through one of its units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
UNIT_KINDS = ("BLO", "PIU", "IMM", "POL", "NFP", "HQ")
UNIT_CODE_RE = re.compile(r"^[A-Z]{3}-[A-Z]{2,4}-[A-Z0-9_]{2,40}$")


@dataclass(frozen=True)
class Unit:
    """A reporting unit: a border liaison office, port unit, post or focal point."""

    code: str
    name: str
    kind: str
    latitude: float
    longitude: float
    country: str
    agency: str
    border_country: str | None = None
    counterpart: str | None = None


@dataclass(frozen=True)
class Agency:
    """A national agency (immigration, police, ...) with its units."""

    code: str
    name: str
    type: str
    country: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Country:
    """A member country with its agencies."""

    code: str
    name: str
    agencies: tuple[Agency, ...]

    @property
    def units(self) -> tuple[Unit, ...]:
        """Every unit of every agency of the country."""
        return tuple(u for a in self.agencies for u in a.units)


@dataclass(frozen=True)
class Region:
    """A region (e.g. SEA) with its member countries."""

    code: str
    name: str
    countries: tuple[Country, ...]


@dataclass(frozen=True)
class Organisations:
    """The whole hierarchy, with lookups by code."""

    regions: tuple[Region, ...]

    @property
    def countries(self) -> tuple[Country, ...]:
        """Every country of every region."""
        return tuple(c for r in self.regions for c in r.countries)

    @property
    def units(self) -> dict[str, Unit]:
        """Every unit by its code."""
        return {u.code: u for c in self.countries for u in c.units}

    def unit(self, code: str) -> Unit:
        """The unit with this code (KeyError when there is none)."""
        return self.units[code]


def _unit(raw: dict[str, Any], country: str, agency: str) -> Unit:
    return Unit(code=raw["code"], name=raw["name"], kind=raw["kind"],
                latitude=float(raw["latitude"]), longitude=float(raw["longitude"]),
                country=country, agency=agency, border_country=raw.get("border_country"),
                counterpart=raw.get("counterpart"))


def _country(raw: dict[str, Any]) -> Country:
    agencies = tuple(
        Agency(code=a["code"], name=a["name"], type=a["type"], country=raw["code"],
               units=tuple(_unit(u, raw["code"], a["code"]) for u in a["units"]))
        for a in raw["agencies"]
    )
    return Country(code=raw["code"], name=raw["name"], agencies=agencies)


def check(orgs: Organisations) -> list[str]:
    """Problems with the hierarchy: bad codes, kinds, countries or counterparts (empty if fine)."""
    units = orgs.units
    found = []
    for unit in units.values():
        if not UNIT_CODE_RE.match(unit.code) or unit.code.split("-")[1] != unit.kind:
            found.append(f"{unit.code}: code must be COUNTRY-KIND-PLACE")
        if unit.kind not in UNIT_KINDS or not unit.code.startswith(unit.country + "-"):
            found.append(f"{unit.code}: kind or country does not match")
        if unit.counterpart and units.get(unit.counterpart, unit).country == unit.country:
            found.append(f"{unit.code}: counterpart {unit.counterpart} is not across a border")
    return found


@cache
def load_organisations(path: Path | None = None) -> Organisations:
    """Load the demo hierarchy (from the package data unless ``path`` is given)."""
    raw = yaml.safe_load((path or HERE / "organisations.yaml").read_text(encoding="utf-8"))
    regions = tuple(
        Region(code=r["code"], name=r["name"], countries=tuple(_country(c) for c in r["countries"]))
        for r in raw["regions"]
    )
    orgs = Organisations(regions)
    problems = check(orgs)
    if problems:
        raise ValueError("organisations.yaml: " + "; ".join(problems))
    return orgs
