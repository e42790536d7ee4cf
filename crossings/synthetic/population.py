"""Hidden populations and the overlapping capture lists drawn from them.

For each population (e.g. irregular crossers at Poipet-Aranyaprathet) and year, the true size N
is fixed; every person has a latent catchability class and is captured by each list (a reporting
unit) with a known probability, with one documented dependence between lists. Each capture
becomes a person record in an incident of that unit, so multiple systems estimation on the
linked records has a known answer, kept in ``truth/population.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from crossings.synthetic.identity import MIGRANT, make_ids
from crossings.synthetic.scenarios import PEOPLES, Catalogue

Ints = npt.NDArray[np.int64]
YEARS = (2023, 2024, 2025)
YEAR_FACTOR = (0.9, 1.0, 1.1)


@dataclass
class Captures:
    """Incidents made of list captures, and their members (sorted by incident)."""

    scenario: list[Ints] = field(default_factory=list)
    unit: list[list[str]] = field(default_factory=list)
    day: list[npt.NDArray[np.datetime64]] = field(default_factory=list)
    count: list[Ints] = field(default_factory=list)
    members: list[Ints] = field(default_factory=list)

    def concat(self) -> tuple[Ints, list[str], npt.NDArray[np.datetime64], Ints, Ints]:
        """Scenario, unit, day and member count per incident, and all members in order."""
        if not self.scenario:
            empty = np.zeros(0, np.int64)
            return empty, [], np.zeros(0, "datetime64[D]"), empty, empty
        return (np.concatenate(self.scenario), [u for us in self.unit for u in us],
                np.concatenate(self.day), np.concatenate(self.count),
                np.concatenate(self.members))


def expected_records(spec: dict[str, Any]) -> float:
    """Expected list records per member of the population (all lists together)."""
    ids = [lst["id"] for lst in spec["lists"]]
    dep = spec.get("dependence")
    total = 0.0
    for cls in spec["classes"]:
        p = dict(zip(ids, cls["p"], strict=True))
        if dep:
            p[dep["list"]] = p[dep["given"]] * dep["p"] + (1 - p[dep["given"]]) * p[dep["list"]]
        total += cls["share"] * sum(p.values())
    return total


def _capture(spec: dict[str, Any], n: int, rng: np.random.Generator) -> npt.NDArray[np.bool_]:
    ids = [lst["id"] for lst in spec["lists"]]
    shares = np.array([c["share"] for c in spec["classes"]])
    cls = rng.choice(len(shares), size=n, p=shares / shares.sum())
    probs = np.array([c["p"] for c in spec["classes"]])[cls]
    caught = rng.random((n, len(ids))) < probs
    dep = spec.get("dependence")
    if dep:
        j, g = ids.index(dep["list"]), ids.index(dep["given"])
        again = rng.random(n) < dep["p"]
        caught[:, j] = np.where(caught[:, g], again, caught[:, j])
    return caught


def _days(year: int, n: int, season: npt.NDArray[np.float64],
          rng: np.random.Generator) -> npt.NDArray[np.datetime64]:
    month = rng.choice(12, size=n, p=season / season.sum())
    start = np.array([np.datetime64(f"{year}-{m + 1:02d}-01") for m in range(12)] +
                     [np.datetime64(f"{year + 1}-01-01")])
    length = (start[1:] - start[:-1]).astype(np.int64)
    days: npt.NDArray[np.datetime64] = start[month] + (rng.random(n) * length[month]).astype(
        "timedelta64[D]")
    return days


def _groups(days: npt.NDArray[np.datetime64], mean: float,
            rng: np.random.Generator) -> tuple[Ints, Ints]:
    """Split captures (sorted by day) into incidents: start index and size of each."""
    sizes = 1 + rng.poisson(max(mean - 1, 0.0), size=len(days) + 1)
    if len(days) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ends = np.cumsum(sizes)
    ends = np.concatenate([ends[ends < len(days)], [len(days)]])
    starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
    return starts, (ends - starts).astype(np.int64)


class PopulationBuilder:
    """Draws every population of the catalogue for a given person budget."""

    def __init__(self, catalogue: Catalogue, rng: np.random.Generator, next_serial: int):
        self.catalogue = catalogue
        self.rng = rng
        self.next_serial = next_serial
        self.captures = Captures()
        self.truth: dict[str, Any] = {}

    def build(self, name: str, records: float) -> None:
        """Draw population ``name`` so that its lists hold about ``records`` person records."""
        spec = self.catalogue.populations[name]
        base = records / expected_records(spec) / sum(YEAR_FACTOR)
        years = {}
        for year, factor in zip(YEARS, YEAR_FACTOR, strict=True):
            years[str(year)] = self._year(spec, year, round(base * factor))
        self.truth[name] = {
            "description": " ".join(spec["description"].split()),
            "lists": spec["lists"], "classes": spec["classes"],
            "dependence": spec.get("dependence"), "years": years,
            "citizenship_shares": spec["citizenship"],
            "note": "N counts everyone in the population that year, seen or not. A person is on "
                    "a list when the unit recorded them that year; identity_id in "
                    "person_identities.csv links the records of one person.",
        }

    def _year(self, spec: dict[str, Any], year: int, n: int) -> dict[str, Any]:
        rng = self.rng
        codes = list(spec["citizenship"])
        shares = np.array(list(spec["citizenship"].values()), dtype=float)
        people = np.array([PEOPLES.index(c) for c in codes])[
            rng.choice(len(codes), size=n, p=shares / shares.sum())]
        caught = _capture(spec, n, rng)
        ids = make_ids(people, MIGRANT, np.arange(self.next_serial, self.next_serial + n))
        self.next_serial += n
        for j, lst in enumerate(spec["lists"]):
            self._list(spec, lst, ids[caught[:, j]], year)
        seen = caught.any(axis=1)
        patterns = ["".join("1" if x else "0" for x in row) for row in caught[seen]]
        values, counts = np.unique(np.array(patterns, dtype=str), return_counts=True)
        return {
            "N": int(n),
            "by_citizenship": {c: int((people == PEOPLES.index(c)).sum()) for c in codes},
            "observed": int(seen.sum()),
            "list_sizes": {lst["id"]: int(caught[:, j].sum())
                           for j, lst in enumerate(spec["lists"])},
            "capture_histories": {str(v): int(c) for v, c in zip(values, counts, strict=True)},
        }

    def _list(self, spec: dict[str, Any], lst: dict[str, Any], ids: Ints, year: int) -> None:
        scenario = self.catalogue.index(lst["scenario"])
        season = self.catalogue.seasons[self.catalogue.scenarios[scenario].spec["season"]]
        days = np.sort(_days(year, len(ids), season, self.rng))
        ids = self.rng.permutation(ids)
        starts, sizes = _groups(days, float(spec["group_mean"]), self.rng)
        cap = self.captures
        cap.scenario.append(np.full(len(starts), scenario, np.int64))
        cap.unit.append([lst["unit"]] * len(starts))
        cap.day.append(days[starts])
        cap.count.append(sizes)
        cap.members.append(ids)
