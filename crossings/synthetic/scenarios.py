"""Smuggling scenarios (``scenarios.yaml``) as typed objects and vectorised probability tables.

Each incident belongs to one scenario; every coded field is drawn for a whole batch of incidents
at once from a table with one row per scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

HERE = Path(__file__).parent
PEOPLES = ("KHM", "THA", "LAO", "MMR", "VNM", "ROH")
"""Peoples of the name pools; ROH (Rohingya) are recorded as MMR, STATELESS or BGD nationals."""
HARMS = ("death", "missing", "injury", "abuse")

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Leg = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class Choice:
    """One weighted choice among codes, with its own weights per scenario."""

    codes: tuple[str, ...]
    cum: Floats  # [scenario, code] cumulative probabilities

    def sample(self, scenario: Ints, u: Floats) -> Ints:
        """Index of the code chosen for each row (``u`` uniform in [0, 1))."""
        idx: Ints = (u[:, None] >= self.cum[scenario]).sum(axis=1)
        return np.minimum(idx, len(self.codes) - 1).astype(np.int64)


@dataclass(frozen=True)
class Extras:
    """Optional codes, each present with its own probability per scenario."""

    codes: tuple[str, ...]
    p: Floats  # [scenario, code]


@dataclass(frozen=True)
class Scenario:
    """One kind of incident on one corridor."""

    code: str
    corridor: str
    weight: float
    is_list: bool
    units: tuple[tuple[str, str], ...]
    routes: dict[str, tuple[tuple[Leg, ...], ...]]
    fees: tuple[tuple[str, float, float], ...]
    spec: dict[str, Any]


@dataclass(frozen=True)
class Catalogue:
    """All scenarios, corridors, populations and the tables drawn from."""

    scenarios: tuple[Scenario, ...]
    corridors: dict[str, dict[str, Any]]
    populations: dict[str, dict[str, Any]]
    seasons: dict[str, Floats]
    choices: dict[str, Choice]
    extras: dict[str, Extras]
    numbers: dict[str, Floats]

    def index(self, code: str) -> int:
        """Position of the scenario with this code."""
        return next(i for i, s in enumerate(self.scenarios) if s.code == code)


def _choice(specs: list[dict[str, float]]) -> Choice:
    codes = tuple(dict.fromkeys(code for spec in specs for code in spec))
    weights = np.array([[spec.get(c, 0.0) for c in codes] for spec in specs], dtype=float)
    cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    return Choice(codes, cum)


def _extras(specs: list[dict[str, float]]) -> Extras:
    codes = tuple(dict.fromkeys(code for spec in specs for code in spec))
    return Extras(codes, np.array([[spec.get(c, 0.0) for c in codes] for spec in specs]))


def _leg(raw: list[Any]) -> Leg:
    from_country, from_place, to_country, to_place, mode = (str(x) for x in raw)
    return from_country, from_place, to_country, to_place, mode


def _scenario(raw: dict[str, Any], defaults: dict[str, Any]) -> Scenario:
    spec = {**defaults, **raw}
    routes = {str(people): tuple(tuple(_leg(leg) for leg in route) for route in options)
              for people, options in spec["routes"].items()}
    return Scenario(code=raw["code"], corridor=raw["corridor"], weight=float(raw.get("weight", 0)),
                    is_list=bool(raw.get("list", False)), units=tuple(raw["units"].items()),
                    routes=routes, fees=tuple((c, float(lo), float(hi)) for c, lo, hi in
                                             spec["fees"]),
                    spec=spec)


def _destination(s: Scenario) -> dict[str, float]:
    dest = s.spec.get("destination")
    if isinstance(dest, dict):
        return {str(k): float(v) for k, v in dest.items()}
    last = {route[-1][2] for routes in s.routes.values() for route in routes}
    return {str(dest): 1.0} if dest else dict.fromkeys(sorted(last), 1.0)


def _check_lists(scenarios: tuple[Scenario, ...]) -> None:
    """A unit that acts as a capture list must report nothing else, or the list is blurred."""
    listed = {u for s in scenarios if s.is_list for u, _ in s.units}
    shared = listed & {u for s in scenarios if not s.is_list for u, _ in s.units}
    if shared:
        raise ValueError(f"scenarios.yaml: list units also used by other scenarios: {shared}")


@cache
def load_catalogue() -> Catalogue:
    """Load ``scenarios.yaml`` once per process."""
    import yaml  # noqa: PLC0415 - imported where the YAML is read

    raw = yaml.safe_load((HERE / "scenarios.yaml").read_text(encoding="utf-8"))
    scenarios = tuple(_scenario(s, raw["defaults"]) for s in raw["scenarios"])
    specs = [s.spec for s in scenarios]
    choices = {name: _choice([s[name] for s in specs])
               for name in ("location_type", "method", "transport", "concealment", "status")}
    choices["migrants"] = _choice([s["migrants"] for s in specs])
    choices["destination"] = _choice([_destination(s) for s in scenarios])
    choices["cause"] = _choice([s["harm"]["cause"] for s in specs])
    extras = {name: _extras([s.get(name, {}) for s in specs])
              for name in ("events", "conduct", "aggravating", "danger")}
    numbers = {name: np.array([float(s[name]) for s in specs])
               for name in ("group", "extra", "fraud", "facilitators", "vehicle", "vessel", "tip",
                            "fee")}
    numbers |= {name: np.array([float(s["harm"].get(name, 0.0)) for s in specs])
                for name in HARMS}
    numbers["season"] = np.array([list(raw["seasons"]).index(s["season"]) for s in specs],
                                 dtype=float)
    seasons = {k: np.array(v, dtype=float) for k, v in raw["seasons"].items()}
    _check_lists(scenarios)
    return Catalogue(scenarios, raw["corridors"], raw["populations"], seasons, choices, extras,
                     numbers)
