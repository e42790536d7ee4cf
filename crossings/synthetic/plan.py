"""The numeric plan of a whole generation: every incident and network, before any text is made.

The plan is small (a few numbers per incident) so it fits in memory even for millions of
incidents; the text of each record is made later, chunk by chunk, from the plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from crossings.synthetic.identity import FACILITATOR, make_ids
from crossings.synthetic.organisations import Organisations
from crossings.synthetic.population import YEAR_FACTOR, YEARS, PopulationBuilder
from crossings.synthetic.scenarios import PEOPLES, Catalogue

Ints = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]
PERSONS_PER_INCIDENT = 5.0
LIST_INCIDENT_SHARE = 0.4
P_NON_NOMINAL = 0.2
INCIDENTS_PER_NETWORK = 120
OBJECT_KINDS = ("VEHICLE", "VESSEL", "ACCOUNT")
MIN_INCIDENTS_FOR_LISTS = 100


@dataclass(frozen=True)
class Networks:
    """Facilitator networks: members (facilitator identities) and objects, by corridor."""

    corridor_start: dict[str, int]
    corridor_count: dict[str, int]
    member_start: Ints
    member_count: Ints
    members: Ints
    object_start: Ints  # [network, kind]
    object_count: Ints  # [network, kind]
    object_country: Ints  # [network, kind]: index into PEOPLES-like country list, -1 if none


@dataclass(frozen=True)
class Plan:
    """Every incident, sorted by reporting country and date."""

    country: list[str]
    unit: npt.NDArray[np.object_]
    scenario: Ints
    day: Days
    n_named: Ints
    n_extra: Ints
    member_start: Ints
    member_count: Ints
    fresh_start: Ints
    network: Ints
    members: Ints
    networks: Networks
    truth: dict[str, Any]
    seed: int

    def __len__(self) -> int:
        return len(self.scenario)


def sizes(incidents: int | None, persons: int | None) -> tuple[int, int]:
    """Number of incidents and target number of person records from the options."""
    if incidents is None and persons is None:
        incidents = 1000
    if incidents is None:
        incidents = max(1, math.ceil(persons / PERSONS_PER_INCIDENT))  # type: ignore[operator]
    if persons is None:
        persons = round(incidents * PERSONS_PER_INCIDENT)
    return incidents, persons


def _free_days(cat: Catalogue, scenario: Ints, rng: np.random.Generator) -> Days:
    day = np.zeros(len(scenario), "datetime64[D]")
    months = np.array([np.datetime64(f"{y}-{m:02d}") for y in YEARS for m in range(1, 13)] +
                      [np.datetime64(f"{YEARS[-1] + 1}-01")]).astype("datetime64[D]")
    length = (months[1:] - months[:-1]).astype(np.int64)
    for k, season in enumerate(cat.seasons.values()):
        mask = cat.numbers["season"][scenario] == k
        weights = np.repeat(YEAR_FACTOR, 12) * np.tile(season, len(YEARS))
        month = rng.choice(len(weights), size=int(mask.sum()), p=weights / weights.sum())
        day[mask] = months[month] + (rng.random(len(month)) * length[month]).astype(
            "timedelta64[D]")
    return day


def _free_units(cat: Catalogue, scenario: Ints, rng: np.random.Generator) -> list[str]:
    u = rng.random(len(scenario))
    units = [s.units for s in cat.scenarios]
    return [units[s][int(x * len(units[s]))][0] for s, x in zip(scenario.tolist(), u.tolist(),
                                                                  strict=True)]


def _networks(cat: Catalogue, corridor_incidents: dict[str, int], serial: int,
              rng: np.random.Generator) -> Networks:
    starts: dict[str, int] = {}
    counts: dict[str, int] = {}
    m_start: list[int] = []
    m_count: list[int] = []
    members: list[Ints] = []
    obj_count: list[list[int]] = []
    obj_country: list[list[int]] = []
    for name, spec in cat.corridors.items():
        n = max(2, round(corridor_incidents.get(name, 0) / INCIDENTS_PER_NETWORK))
        starts[name], counts[name] = len(m_start), n
        peoples = list(spec["peoples"])
        weights = np.array(list(spec["peoples"].values()), dtype=float)
        for _ in range(n):
            size = 4 + int(rng.poisson(8))
            people = np.array([PEOPLES.index(p) for p in peoples])[
                rng.choice(len(peoples), size=size, p=weights / weights.sum())]
            m_start.append(sum(m_count))
            m_count.append(size)
            members.append(make_ids(people, FACILITATOR, np.arange(serial, serial + size)))
            serial += size
            plates, vessels = spec.get("plates", []), spec.get("vessels", [])
            obj_count.append([1 + rng.poisson(2) if plates else 0,
                              1 + rng.poisson(1.5) if vessels else 0, 1 + rng.poisson(1)])
            obj_country.append([_country_index(rng.choice(plates)) if plates else -1,
                                _country_index(rng.choice(vessels)) if vessels else -1,
                                _country_index(peoples[0])])
    count = np.array(obj_count, dtype=np.int64)
    flat = np.cumsum(count.ravel()) - count.ravel()
    return Networks(starts, counts, np.array(m_start, np.int64), np.array(m_count, np.int64),
                    np.concatenate(members), flat.reshape(count.shape), count,
                    np.array(obj_country, dtype=np.int64))


VEHICLE_COUNTRIES = ("KHM", "THA", "LAO", "MMR", "VNM", "MYS", "IDN", "BGD")


def _country_index(code: str) -> int:
    return VEHICLE_COUNTRIES.index("MMR" if code == "ROH" else code)


def build_plan(orgs: Organisations, cat: Catalogue, incidents: int, persons: int,
               seed: int) -> Plan:
    """Plan ``incidents`` incidents holding about ``persons`` person records."""
    rng = np.random.default_rng([seed, 1])
    pops = PopulationBuilder(cat, rng, next_serial=0)
    share = sum(p["person_share"] for p in cat.populations.values())
    gm = np.mean([p["group_mean"] for p in cat.populations.values()])
    # Tiny runs have no capture lists, so that the number of incidents is always exact.
    list_records = min(share * persons, LIST_INCIDENT_SHARE * incidents * gm)
    list_records *= incidents >= MIN_INCIDENTS_FOR_LISTS
    for name, spec in cat.populations.items():
        pops.build(name, list_records * spec["person_share"] / share)
    l_scen, l_unit, l_day, l_count, members = pops.captures.concat()
    n_free = max(incidents - len(l_scen), 0)
    weights = np.array([0.0 if s.is_list else s.weight for s in cat.scenarios])
    f_scen = rng.choice(len(weights), size=n_free, p=weights / weights.sum())
    named = _free_named(cat, f_scen, persons - len(members), rng)
    extra = rng.poisson(cat.numbers["extra"][f_scen])
    extra = np.where(named + extra == 0, 1, extra)
    scenario = np.concatenate([l_scen, f_scen])
    unit = np.array(l_unit + _free_units(cat, f_scen, rng), dtype=object)
    day = np.concatenate([l_day, _free_days(cat, f_scen, rng)])
    n_named = np.concatenate([l_count, named])
    n_extra = np.concatenate([rng.poisson(0.3, len(l_scen)), extra])
    member_start = np.concatenate([np.cumsum(l_count) - l_count, np.full(n_free, -1)])
    country = np.array([u[:3] for u in unit], dtype=object)
    order = np.lexsort((rng.random(len(scenario)), day, country))
    corr = np.array([s.corridor for s in cat.scenarios], dtype=object)[scenario]
    per_corridor = {str(c): int((corr == c).sum()) for c in set(corr.tolist())}
    networks = _networks(cat, per_corridor, pops.next_serial, rng)
    network = _pick_networks(networks, corr, rng)
    fresh = np.where(member_start < 0, n_named, 0)[order]
    return Plan(country=[str(c) for c in country[order]], unit=unit[order],
                scenario=scenario[order], day=day[order], n_named=n_named[order],
                n_extra=n_extra[order], member_start=member_start[order],
                member_count=np.where(member_start < 0, 0, n_named)[order],
                fresh_start=int(networks.members.max(initial=0) & ((1 << 40) - 1)) + 1
                + np.cumsum(fresh) - fresh,
                network=network[order], members=members, networks=networks,
                truth=pops.truth, seed=seed)


def _free_named(cat: Catalogue, scenario: Ints, budget: float,
                rng: np.random.Generator) -> Ints:
    """Named migrants per free incident, scaled so all persons come to about ``budget``."""
    mean = cat.numbers["group"][scenario]
    fac = cat.numbers["facilitators"][scenario] * 1.6
    nominal = rng.random(len(scenario)) >= P_NON_NOMINAL
    room = max(budget - fac[nominal].sum(), 0.0)
    scale = room / max(mean[nominal].sum(), 1.0)
    return np.where(nominal, rng.poisson(mean * scale), 0).astype(np.int64)


def _pick_networks(net: Networks, corridor: npt.NDArray[np.object_],
                   rng: np.random.Generator) -> Ints:
    """A network of the incident's corridor; a few big networks do most of the work."""
    start = np.array([net.corridor_start[c] for c in corridor.tolist()], dtype=np.int64)
    count = np.array([net.corridor_count[c] for c in corridor.tolist()], dtype=np.int64)
    return start + (count * rng.random(len(corridor)) ** 2).astype(np.int64)
