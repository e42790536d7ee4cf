"""Count records of a chunk: migrant groups, facilitator groups and harm observations.

Migrant group counts are the named migrants of the incident (their true sex and age) plus the
unnamed ones, so breakdowns add up; harms stay within the group totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from crossings.synthetic import formats as fm
from crossings.synthetic.identity import AGE_BANDS, FACILITATOR, MIGRANT, MIGRANT_AGE_P
from crossings.synthetic.persons import Chunk, People
from crossings.synthetic.scenarios import PEOPLES

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
AGE_FIELDS = ("age_0_4", "age_5_11", "age_12_17", "age_18_24", "age_25_59", "age_60_plus",
              "age_unknown")
GROUP_CITIZENSHIP = ("KHM", "THA", "LAO", "MMR", "VNM", "STATELESS")
ABUSES = ("VIOLENCE", "SEXUAL_VIOLENCE", "KIDNAPPING_FOR_RANSOM", "EXTORTION",
          "DEPRIVATION_FOOD_WATER", "CONFINEMENT_BY_SMUGGLERS", "FORCED_LABOUR")
ABUSE_P = np.array([0.4, 0.1, 0.15, 0.35, 0.25, 0.2, 0.1])


@dataclass(frozen=True)
class Totals:
    """Per incident of the chunk: migrants counted, children, and the harms drawn."""

    migrants: Ints
    children: Ints
    harmed: Bools  # any death or missing person
    injured: Bools
    abused: Bools


def _all_migrants(chunk: Chunk, p: People) -> tuple[Ints, Ints, Ints, Ints]:
    """Incident, people, sex (2 = unknown) and age band (6 = unknown) of every migrant."""
    rng = chunk.rng
    named = p.role == MIGRANT
    extra = chunk.plan.n_extra[chunk.start:chunk.stop]
    e_inc = fm.repeat_index(extra)
    e_sex = np.where(rng.random(len(e_inc)) < 0.06, 2, (rng.random(len(e_inc)) > 0.4) * 1)
    e_band = rng.choice(len(MIGRANT_AGE_P), size=len(e_inc), p=MIGRANT_AGE_P)
    e_band = np.where(rng.random(len(e_inc)) < 0.08, 6, e_band)
    edges = np.array([b[1] for b in AGE_BANDS[:-1]])
    n_band = np.searchsorted(edges, p.age[named], side="right")
    return (np.concatenate([p.incident[named], e_inc]),
            np.concatenate([p.who.people[named], p.primary[e_inc]]),
            np.concatenate([p.who.sex[named], e_sex]), np.concatenate([n_band, e_band]))


def migrant_groups(chunk: Chunk, p: People, tip: Bools) -> tuple[dict[str, pa.Array], Totals]:
    """One group row per incident and citizenship, with totals per incident."""
    rng = chunk.rng
    inc, people, sex, band = _all_migrants(chunk, p)
    keys, g = np.unique(inc * 8 + people, return_inverse=True)
    n = len(keys)
    g_inc, g_people = keys // 8, keys % 8

    def count(mask: Bools) -> Ints:
        return np.bincount(g[mask], minlength=n).astype(np.int64)

    total = count(np.ones(len(g), bool))
    ages = [count(band == b) for b in range(7)]
    children = ages[0] + ages[1] + ages[2]
    roh = g_people == PEOPLES.index("ROH")
    unacc = rng.binomial(children, np.where(roh, 0.25, 0.12))
    tips = rng.binomial(total, np.where(tip[g_inc], 0.6, 0.0))
    no_age, no_sex = rng.random(n) < 0.1, rng.random(n) < 0.05
    cit = np.where(roh, np.where(rng.random(n) < 0.5, 5, PEOPLES.index("MMR")), g_people)
    table = {
        "incident_ref": chunk.refs.take(pa.array(g_inc)),
        "group_no": fm.text(fm.rank_within(g_inc) + 1),
        "citizenship": fm.codes(GROUP_CITIZENSHIP, cit),
        "nationality_basis": fm.gaps(rng, fm.weighted(rng, {"CLAIMED": 5, "DOCUMENTED": 3,
                                                            "VERIFIED": 1}, n), (0.06, 0.04, 0.1)),
        "total": fm.text(total),
        "female": fm.blank(fm.text(count(sex == 0)), no_sex),
        "male": fm.blank(fm.text(count(sex == 1)), no_sex),
        "sex_unknown": fm.blank(fm.text(count(sex == 2)), no_sex | (count(sex == 2) == 0)),
        **{name: fm.blank(fm.text(a), no_age) for name, a in zip(AGE_FIELDS, ages, strict=True)},
        "children": fm.blank(fm.text(children), no_age & (rng.random(n) < 0.5)),
        "unaccompanied_children": fm.blank(fm.text(unacc), children == 0),
        "separated_children": fm.blank(fm.text(rng.binomial(children - unacc, 0.1)),
                                       children == 0),
        "asylum_claims": fm.blank(fm.text(rng.binomial(total, np.where(roh, 0.3, 0.01))),
                                  rng.random(n) < 0.4),
        "suspected_tip_victims": fm.blank(fm.text(tips), rng.random(n) < 0.3),
        "referred_to_protection": fm.text(rng.binomial(total, np.where(tip[g_inc], 0.5, 0.05))),
        "origin_country": fm.gaps(rng, fm.codes(("KHM", "THA", "LAO", "MMR", "VNM", "BGD"),
                                                g_people)),
        "intended_destination": fm.gaps(rng, _destinations(chunk, g_inc)),
        "status_after_detection": fm.gaps(rng, _status(chunk, g_inc)),
    }
    per_incident = np.bincount(g_inc, weights=total, minlength=chunk.n).astype(np.int64)
    kids = np.bincount(g_inc, weights=children, minlength=chunk.n).astype(np.int64)
    none = np.zeros(chunk.n, bool)
    return table, Totals(per_incident, kids, none, none, none)


def _destinations(chunk: Chunk, g_inc: Ints) -> pa.Array:
    choice = chunk.catalogue.choices["destination"]
    return fm.codes(choice.codes, choice.sample(chunk.scenario[g_inc],
                                                chunk.rng.random(len(g_inc))))


def _status(chunk: Chunk, g_inc: Ints) -> pa.Array:
    choice = chunk.catalogue.choices["status"]
    return fm.codes(choice.codes, choice.sample(chunk.scenario[g_inc],
                                                chunk.rng.random(len(g_inc))))


def harms(chunk: Chunk, totals: Totals) -> tuple[dict[str, pa.Array], Totals]:
    """Deaths, missing persons, injuries and abuses; dead + missing never exceed the migrants."""
    rng, num, scen = chunk.rng, chunk.catalogue.numbers, chunk.scenario
    total = totals.migrants
    death = (rng.random(chunk.n) < num["death"][scen]) & (total >= 1)
    dead = np.where(death, 1 + rng.binomial(np.maximum(total - 1, 0), 0.12), 0)
    missing_ok = (rng.random(chunk.n) < num["missing"][scen]) & (total - dead >= 1)
    missing = np.where(missing_ok, 1 + rng.binomial(np.maximum(total - dead - 1, 0), 0.1), 0)
    injury = (rng.random(chunk.n) < num["injury"][scen]) & (total >= 1)
    abuse = (rng.random(chunk.n) < num["abuse"][scen]) & (total >= 1)
    kinds = np.stack([death, missing_ok, injury, abuse], axis=1)
    inc, kind = np.nonzero(kinds)
    n = len(inc)
    d, m = dead[inc], missing[inc]
    female = rng.binomial(d, 0.45)
    male = np.minimum(d - female, rng.binomial(d, 0.5) + 0)
    cause = chunk.catalogue.choices["cause"]
    abuse_cols = fm.optional_codes(rng, ABUSES, np.tile(ABUSE_P, (n, 1)))
    abuse_cols[3] = pc.if_else(pa.array(kind == 3), pc.fill_null(abuse_cols[3], "EXTORTION"),
                               abuse_cols[3])
    is_death = kind == 0
    table = {
        "incident_ref": chunk.refs.take(pa.array(inc)),
        "harm_no": fm.text(fm.rank_within(inc) + 1),
        "harm_type": fm.codes(("DEATH", "MISSING", "INJURY", "ABUSE"), kind),
        "dead": fm.blank(fm.text(d), ~is_death),
        "missing": fm.blank(fm.text(m), kind != 1),
        "injured": fm.blank(fm.text(1 + rng.binomial(np.maximum(total[inc] - 1, 0), 0.2)),
                            kind != 2),
        "dead_female": fm.blank(fm.text(female), ~is_death | (rng.random(n) < 0.2)),
        "dead_male": fm.blank(fm.text(male), ~is_death | (rng.random(n) < 0.2)),
        "dead_children": fm.blank(fm.text(rng.binomial(d, 0.15)), ~is_death),
        "survivors": fm.blank(fm.text(total[inc] - d - m), ~np.isin(kind, (0, 1))),
        "cause_of_death": fm.blank(fm.codes(cause.codes, cause.sample(chunk.scenario[inc],
                                                                      rng.random(n))), ~is_death),
        "abuse_types": fm.blank(fm.join_codes(abuse_cols), kind != 3),
        "perpetrator_smuggler": fm.gaps(rng, fm.weighted(rng, {"YES": 3, "NO": 2}, n)),
        "in_detention_or_after_return": fm.gaps(rng, fm.weighted(rng, {"NO": 30, "YES": 1}, n)),
    }
    out = Totals(total, totals.children, death | missing_ok, injury, abuse)
    return table, out


FACILITATOR_ROLES = ("RECRUITER", "ORGANISER", "MONEY_HANDLER", "HARBOURER_SAFEHOUSE",
                     "SPOTTER_LOOKOUT", "CORRUPT_OFFICIAL", "BROKER_TRAVEL_AGENT")
FACILITATOR_ROLE_P = np.array([0.3, 0.15, 0.1, 0.1, 0.05, 0.02, 0.05])
MODE_ROLE = {"ON_FOOT": "GUIDE", "BOAT_SMALL": "BOAT_CAPTAIN_CREW",
             "FISHING_VESSEL": "BOAT_CAPTAIN_CREW", "RUBBER_DINGHY": "BOAT_CAPTAIN_CREW",
             "FERRY": "BOAT_CAPTAIN_CREW", "CARGO_SHIP": "BOAT_CAPTAIN_CREW",
             "AIRCRAFT_COMMERCIAL": "DOCUMENT_PROVIDER"}


def facilitator_groups(chunk: Chunk, p: People, mode: pa.Array,
                       network_ref: pa.Array) -> dict[str, pa.Array]:
    """One row per incident and citizenship of the named facilitators."""
    rng = chunk.rng
    fac = p.role == FACILITATOR
    keys, g = np.unique(p.incident[fac] * 8 + p.who.people[fac], return_inverse=True)
    n = len(keys)
    g_inc, g_people = keys // 8, keys % 8
    detected = np.bincount(g, minlength=n) + rng.poisson(0.2, n)
    female = np.bincount(g[p.who.sex[fac] == 0], minlength=n)
    first = pc.fill_null(pc.if_else(pc.is_in(mode, pa.array(list(MODE_ROLE))),
                                    _map(mode, MODE_ROLE), "DRIVER_TRANSPORTER"),
                         "DRIVER_TRANSPORTER").take(pa.array(g_inc))
    roles = [first, *fm.optional_codes(rng, FACILITATOR_ROLES, np.tile(FACILITATOR_ROLE_P,
                                                                        (n, 1)))]
    cit = np.where(g_people == PEOPLES.index("ROH"), 5, g_people)
    return {
        "incident_ref": chunk.refs.take(pa.array(g_inc)),
        "group_no": fm.text(fm.rank_within(g_inc) + 1),
        "citizenship": fm.codes(GROUP_CITIZENSHIP, cit),
        "detected": fm.text(detected),
        "arrested": fm.blank(fm.text(rng.binomial(detected, 0.7)), rng.random(n) < 0.1),
        "female": fm.blank(fm.text(female), rng.random(n) < 0.15),
        "male": fm.blank(fm.text(np.bincount(g[p.who.sex[fac] == 1], minlength=n)),
                         rng.random(n) < 0.15),
        "roles": fm.blank(fm.join_codes(roles), rng.random(n) < 0.05),
        "legal_status": fm.gaps(rng, fm.weighted(rng, {"SUSPECTED": 5, "CHARGED": 3,
                                                       "CONVICTED": 1}, n)),
        "network_ref": network_ref.take(pa.array(g_inc)),
    }


def _map(column: pa.Array, mapping: dict[str, str]) -> pa.Array:
    keys = pa.array(list(mapping))
    values = pa.array(list(mapping.values()))
    return values.take(pc.index_in(column, keys))
