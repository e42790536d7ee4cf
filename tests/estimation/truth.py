"""The demo generator's known truth, read back as list memberships (for coverage tests).

A person is on a population's list in a year when the list's unit reported them as a
smuggled migrant in an incident detected that year; ``truth/person_identities.csv`` gives
each person record's true identity.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crossings.estimation.lists import Membership


@dataclass(frozen=True)
class Population:
    """One hidden population of the generator: its lists (unit codes) and truth by year."""

    name: str
    units: tuple[str, ...]
    years: dict[str, dict[str, Any]]


def populations(out: Path) -> dict[str, Population]:
    """The populations of ``truth/population.json``."""
    data = json.loads((out / "truth" / "population.json").read_text(encoding="utf-8"))
    return {name: Population(name, tuple(lst["unit"] for lst in spec["lists"]), spec["years"])
            for name, spec in data["populations"].items()}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def true_memberships(out: Path, units: tuple[str, ...], year: str) -> list[Membership]:
    """(unit, true identity, nationality) of every smuggled migrant the units listed in year."""
    truth = {r["person_ref"]: r["identity_id"]
             for r in _rows(out / "truth" / "person_identities.csv")}
    members = []
    for country in sorted(p for p in out.iterdir() if p.is_dir() and len(p.name) == 3):
        incidents = {r["incident_ref"]: r for r in _rows(country / "incidents.csv")
                     if r["reporting_unit"] in units and r["detection_date"].startswith(year)}
        for person in _rows(country / "persons.csv"):
            incident = incidents.get(person["incident_ref"])
            if incident is not None and person["role"] == "SMUGGLED_MIGRANT":
                members.append(Membership(incident["reporting_unit"],
                                          truth[person["person_ref"]], person["nationality"]))
    return members
