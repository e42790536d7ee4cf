"""Named persons of a chunk of incidents: who they are (identities) and how each report writes them.

Migrants come from the capture lists (list incidents) or are new to the chunk, with a few repeat
crossers; facilitators are drawn from the incident's network, so the same people recur across
incidents, units and countries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from crossings.synthetic import formats as fm
from crossings.synthetic.identity import (
    FACILITATOR,
    MIGRANT,
    WITNESS,
    Identities,
    age_at,
    identities,
    identity_labels,
    make_ids,
)
from crossings.synthetic.names import load_scripts, render
from crossings.synthetic.plan import Plan
from crossings.synthetic.scenarios import PEOPLES, Catalogue

Ints = npt.NDArray[np.int64]
ROLES = ("SMUGGLED_MIGRANT", "FACILITATOR", "WITNESS")
P_REPEAT = 0.03
P_MIXED = 0.15
P_WITNESS = 0.02
ROHINGYA_NATIONALITY = {"STATELESS": 0.45, "MMR": 0.4, "BGD": 0.1, "UNKNOWN": 0.05}


@dataclass(frozen=True)
class Chunk:
    """The slice of the plan being made, with its random stream and incident references."""

    plan: Plan
    start: int
    stop: int
    refs: pa.Array
    rng: np.random.Generator
    catalogue: Catalogue

    @property
    def n(self) -> int:
        return self.stop - self.start

    @property
    def scenario(self) -> Ints:
        return self.plan.scenario[self.start:self.stop]

    @property
    def day(self) -> npt.NDArray[np.datetime64]:
        return self.plan.day[self.start:self.stop]

    @property
    def country(self) -> str:
        return self.plan.country[self.start]


@dataclass(frozen=True)
class People:
    """The named persons of a chunk, one row per person record, sorted by incident."""

    incident: Ints
    role: Ints
    who: Identities
    age: Ints
    primary: Ints  # primary people of each incident of the chunk
    tables: dict[str, dict[str, pa.Array]]


def primary_people(chunk: Chunk) -> Ints:
    """The main people (name pool / citizenship) of the migrants of each incident."""
    choice = chunk.catalogue.choices["migrants"]
    idx = choice.sample(chunk.scenario, chunk.rng.random(chunk.n))
    lookup = np.array([PEOPLES.index(c) for c in choice.codes])
    return lookup[idx]


def _migrants(chunk: Chunk, primary: Ints) -> tuple[Ints, Ints]:
    plan, rng, sl = chunk.plan, chunk.rng, slice(chunk.start, chunk.stop)
    named = plan.n_named[sl]
    inc = fm.repeat_index(named)
    k = fm.rank_within(inc)
    listed = plan.member_start[sl][inc] >= 0
    second = rng.choice(len(PEOPLES) - 1, size=chunk.n)
    second = np.where(second >= primary, second + 1, second)
    mixed = (rng.random(chunk.n) < P_MIXED)[inc] & (rng.random(len(inc)) < 0.3)
    people = np.where(mixed, second[inc], primary[inc])
    fresh = make_ids(people, MIGRANT, plan.fresh_start[sl][inc] + k)
    ids = fresh
    if listed.any():
        member = plan.members[np.where(listed, plan.member_start[sl][inc] + k, 0)]
        ids = np.where(listed, member, fresh)
    if len(ids):
        other = rng.integers(0, len(ids), size=len(ids))
        repeat = ((~listed) & (rng.random(len(ids)) < P_REPEAT) & (people == people[other])
                  & (inc != inc[other]))
        ids = np.where(repeat, ids[other], ids)
    return inc, ids


def _facilitators(chunk: Chunk) -> tuple[Ints, Ints]:
    plan, rng, net = chunk.plan, chunk.rng, chunk.plan.networks
    p = chunk.catalogue.numbers["facilitators"][chunk.scenario]
    count = np.where(rng.random(chunk.n) < p, 1 + rng.poisson(0.6, chunk.n), 0)
    inc = fm.repeat_index(count)
    network = plan.network[chunk.start:chunk.stop][inc]
    rank = (net.member_count[network] * rng.random(len(inc)) ** 2).astype(np.int64)
    ids = net.members[net.member_start[network] + rank]
    pairs = np.unique(np.stack([inc, ids], axis=1), axis=0)
    return pairs[:, 0], pairs[:, 1]


def _witnesses(chunk: Chunk) -> tuple[Ints, Ints]:
    inc = np.flatnonzero(chunk.rng.random(chunk.n) < P_WITNESS).astype(np.int64)
    people = np.full(len(inc), PEOPLES.index(chunk.country) if chunk.country in PEOPLES else 0)
    return inc, make_ids(people, WITNESS, chunk.start + inc)


def draw_people(chunk: Chunk, seed: int) -> People:
    """Choose every named person of the chunk and write their person records."""
    primary = primary_people(chunk)
    parts = [_migrants(chunk, primary), _facilitators(chunk), _witnesses(chunk)]
    inc = np.concatenate([p[0] for p in parts])
    ids = np.concatenate([p[1] for p in parts])
    role = np.concatenate([np.full(len(p[0]), r, np.int64) for r, p in enumerate(parts)])
    order = np.argsort(inc, kind="stable")
    inc, ids, role = inc[order], ids[order], role[order]
    who = identities(ids, seed)
    age = age_at(who.birth, chunk.day[inc])
    people = People(inc, role, who, age, primary, {})
    people.tables.update(_tables(chunk, people))
    return people


def _names(chunk: Chunk, p: People) -> tuple[pa.Array, pa.Array]:
    full = np.empty(len(p.incident), dtype=object)
    original = np.empty(len(p.incident), dtype=object)
    own = PEOPLES.index(chunk.country) if chunk.country in PEOPLES else -1
    for code, script in load_scripts().items():
        mask = p.who.people == PEOPLES.index(code)
        if not mask.any():
            continue
        keep = np.where(p.who.people[mask] == own, 0.85, 0.3)
        out = render(script, p.who.family[mask], p.who.given[mask], p.who.sex[mask],
                     rng=chunk.rng, p_original=keep)
        full[mask] = out.full_name.to_numpy(zero_copy_only=False)
        original[mask] = out.original.to_numpy(zero_copy_only=False)
    return pa.array(full, pa.string()), pa.array(original, pa.string())


def _nationality(chunk: Chunk, p: People) -> pa.Array:
    codes = np.array(PEOPLES, dtype=object)[p.who.people]
    roh = p.who.people == PEOPLES.index("ROH")
    written = fm.weighted(chunk.rng, ROHINGYA_NATIONALITY, len(codes))
    out = pc.if_else(pa.array(roh), written, pa.array(codes, pa.string()))
    return fm.gaps(chunk.rng, out, (0.03, 0.02, 0.03))


def _documents(chunk: Chunk, p: People) -> tuple[pa.Array, pa.Array]:
    rng, n = chunk.rng, len(p.incident)
    kind = fm.weighted(rng, {"PASSPORT": 35, "NATIONAL_ID": 20, "BORDER_PASS": 10, "UNKNOWN": 5,
                             "NOT_ASKED": 3, "": 27}, n)
    number = pc.if_else(pc.equal(kind, "PASSPORT"), p.who.passport, p.who.national_id)
    has = pc.is_in(kind, pa.array(["PASSPORT", "NATIONAL_ID", "BORDER_PASS"]))
    number = pc.if_else(has, number, fm.NULL)
    kind = pc.if_else(pc.and_(has, pc.is_null(number)), fm.NULL, kind)
    return pc.if_else(pc.equal(kind, ""), fm.NULL, kind), number


def _birth(chunk: Chunk, p: People) -> tuple[pa.Array, pa.Array]:
    rng, n = chunk.rng, len(p.incident)
    birth = fm.partial_dates(rng, p.who.birth, (0.12, 0.35))
    birth = fm.blank(birth, rng.random(n) < 0.15)
    age = np.maximum(p.age + np.where(rng.random(n) < 0.1, rng.integers(-1, 2, n), 0), 0)
    shown = (rng.random(n) < 0.55) | ((p.age < 18) & (rng.random(n) < 0.8))
    return birth, fm.blank(fm.text(age), ~shown)


def _tables(chunk: Chunk, p: People) -> dict[str, dict[str, pa.Array]]:
    rng, n, who = chunk.rng, len(p.incident), p.who
    refs = chunk.refs.take(pa.array(p.incident))
    person_ref = fm.join(refs, "-P", fm.digits(fm.rank_within(p.incident) + 1, 2))
    full, original = _names(chunk, p)
    sex = fm.gaps(rng, fm.codes(("FEMALE", "MALE"), who.sex), (0.03, 0.02, 0.03))
    birth, age = _birth(chunk, p)
    doc_type, doc_number = _documents(chunk, p)
    phone = fm.blank(fm.phones(rng, who.phone_cc, who.phone_nsn),
                     ~(who.has_phone & (rng.random(n) < 0.75)))
    fac = p.role == FACILITATOR
    legal = fm.gaps(rng, fm.weighted(rng, {"SUSPECTED": 50, "CHARGED": 28, "CONVICTED": 12,
                                           "ACQUITTED": 3}, n), (0.06, 0.02, 0.04))
    nationality = _nationality(chunk, p)
    persons = {
        "person_ref": person_ref, "incident_ref": refs, "role": fm.codes(ROLES, p.role),
        "full_name": full, "full_name_original": original,
        "aliases": fm.blank(who.alias, ~(fac & (rng.random(n) < 0.4))),
        "sex": sex, "birth_date": birth, "age_at_detection": age, "nationality": nationality,
        "document_type": doc_type, "document_number": doc_number, "phones": phone,
        "legal_status": fm.blank(legal, ~fac),
    }
    country = chunk.country
    year = pc.utf8_slice_codeunits(birth, 0, 4)
    guessed = fm.text(chunk.day[p.incident].astype("datetime64[Y]").astype(np.int64) + 1970
                      - p.age)
    linkage = {
        "record_id": fm.join(country + ":", person_ref),
        "source": pa.array(chunk.plan.unit[chunk.start:chunk.stop][p.incident], pa.string()),
        "full_name": full, "full_name_original": original, "birth_date": birth,
        "birth_year": pc.if_else(pc.is_null(year), fm.blank(guessed, pc.is_null(age)
                                                            .to_numpy(zero_copy_only=False)),
                                 year),
        "sex": sex, "nationality": nationality, "phone": phone, "document_number": doc_number,
    }
    truth = {"person_ref": person_ref,
             "reporting_country": pa.array([country] * n, pa.string()),
             "identity_id": identity_labels(who.ids)}
    return {"persons": persons, "linkage": linkage, "person_identities": truth}
