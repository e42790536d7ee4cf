"""Incident rows of a chunk and their route legs, fees and document fraud items."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from crossings.synthetic import formats as fm
from crossings.synthetic.groups import Totals
from crossings.synthetic.organisations import load_organisations
from crossings.synthetic.persons import Chunk
from crossings.synthetic.scenarios import PEOPLES, load_catalogue

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
LEG_COLUMNS = ("from_country", "from_place", "to_country", "to_place", "transport_mode")
P_ROUTE_KNOWN = 0.85
OFFENCE_CODES = {"KHM": "Law on Immigration 1994, Art. 29",
                 "THA": "Immigration Act B.E. 2522, s. 64",
                 "LAO": "Penal Code 2017, Art. 245", "VNM": "Penal Code 2015, Art. 348",
                 "MMR": "Immigration (Emergency Provisions) Act 1947, s. 13(1)"}
ADJECTIVES = ("Cambodian", "Thai", "Lao", "Myanmar", "Vietnamese", "Rohingya")
JITTER = {"LAND_BCP": 0.002, "AIRPORT": 0.002, "SEAPORT": 0.004, "LAND_GREEN_BORDER": 0.05,
          "RIVER_CROSSING": 0.03, "INLAND": 0.1, "AT_SEA_TERRITORIAL": 0.25,
          "AT_SEA_HIGH_SEAS": 0.6, "DETENTION_OR_SHELTER": 0.01}


@dataclass(frozen=True)
class Routes:
    """Route templates flattened: per (scenario, people) a range of templates, each of legs."""

    first: Ints  # [scenario, people] -> first template
    count: Ints  # [scenario, people] -> number of templates
    leg_start: Ints
    leg_count: Ints
    legs: dict[str, npt.NDArray[np.object_]]


@cache
def routes() -> Routes:
    """The route templates of every scenario, ready for vectorised look-up."""
    cat = load_catalogue()
    first = np.zeros((len(cat.scenarios), len(PEOPLES)), np.int64)
    count = np.zeros_like(first)
    templates: list[tuple[tuple[str, ...], ...]] = []
    for s, scen in enumerate(cat.scenarios):
        fallback = next(iter(scen.routes))
        for p, people in enumerate(PEOPLES):
            options = scen.routes.get(people, scen.routes[fallback])
            first[s, p], count[s, p] = len(templates), len(options)
            templates.extend(options)
    leg_count = np.array([len(t) for t in templates], np.int64)
    flat = [leg for t in templates for leg in t]
    legs = {name: np.array([leg[k] for leg in flat], dtype=object)
            for k, name in enumerate(LEG_COLUMNS)}
    return Routes(first, count, np.cumsum(leg_count) - leg_count, leg_count, legs)


def route_legs(chunk: Chunk, primary: Ints) -> tuple[dict[str, pa.Array], Ints, pa.Array]:
    """Legs of each incident's journey, the number of legs and the place of detection."""
    rng, r = chunk.rng, routes()
    pick = r.first[chunk.scenario, primary] + (rng.random(chunk.n) *
                                               r.count[chunk.scenario, primary]).astype(np.int64)
    n_legs = np.where(rng.random(chunk.n) < P_ROUTE_KNOWN, r.leg_count[pick], 0)
    inc = fm.repeat_index(n_legs)
    k = fm.rank_within(inc)
    leg = r.leg_start[pick[inc]] + k
    end = chunk.day[inc] - (n_legs[inc] - 1 - k) * rng.integers(0, 3, len(inc))
    start = end - rng.integers(0, 3, len(inc))
    dated = rng.random(chunk.n)[inc] < 0.5
    table = {"incident_ref": chunk.refs.take(pa.array(inc)), "leg_no": fm.text(k + 1)}
    table |= {name: pa.array(r.legs[name][leg], pa.string()) for name in LEG_COLUMNS}
    table["transport_mode"] = fm.gaps(rng, table["transport_mode"], (0.02, 0.01, 0.05))
    table["facilitated"] = fm.gaps(rng, fm.weighted(rng, {"YES": 6, "NO": 1}, len(inc)))
    table["start_date"] = fm.blank(fm.partial_dates(rng, start, (0.1, 0.02)), ~dated)
    table["end_date"] = fm.blank(fm.dates(end), ~dated)
    last = r.leg_start[pick] + r.leg_count[pick] - 1
    leaving = np.isin(directions(chunk).to_numpy(zero_copy_only=False),
                      ("EXIT", "PREVENTED_DEPARTURE"))
    place = np.where(leaving, r.legs["from_place"][last], r.legs["to_place"][last])
    return table, n_legs, pa.array(place, pa.string())


def fees(chunk: Chunk, n_legs: Ints, totals: Totals) -> tuple[dict[str, pa.Array], Bools]:
    """Prices paid, in the currencies of the route, log-uniform between plausible bounds."""
    rng, cat = chunk.rng, chunk.catalogue
    has = rng.random(chunk.n) < cat.numbers["fee"][chunk.scenario]
    count = np.where(has, 1 + (rng.random(chunk.n) < 0.3), 0)
    inc = fm.repeat_index(count)
    n = len(inc)
    options = [cat.scenarios[s].fees for s in chunk.scenario[inc].tolist()]
    which = (rng.random(n) * np.array([len(o) for o in options])).astype(np.int64)
    cur, low, high = zip(*(o[w] for o, w in zip(options, which.tolist(), strict=True)),
                         strict=True) if n else ((), (), ())
    amount = np.exp(rng.uniform(np.log(np.array(low, float)), np.log(np.array(high, float))))
    unit = rng.choice(4, size=n, p=[0.75, 0.1, 0.1, 0.05])
    group = np.maximum(totals.migrants[inc], 1)
    amount = fm.round_price(np.where(unit == 1, amount * group, amount))
    leg = np.where((unit == 2) & (n_legs[inc] > 0),
                   1 + (rng.random(n) * np.maximum(n_legs[inc], 1)).astype(np.int64), 0)
    table = {
        "incident_ref": chunk.refs.take(pa.array(inc)), "fee_no": fm.text(fm.rank_within(inc) + 1),
        "amount": fm.text(amount.astype(np.int64)), "currency": pa.array(cur, pa.string()),
        "unit": fm.gaps(rng, fm.codes(("PER_PERSON", "PER_GROUP", "PER_LEG", "PER_CHILD"), unit)),
        "leg_no": fm.blank(fm.text(leg), leg == 0),
        "payment_method": fm.gaps(rng, fm.weighted(rng, {
            "CASH_UPFRONT": 5, "MOBILE_MONEY": 2, "BANK_TRANSFER": 1, "DEBT_OR_WORK_OFF": 1.5,
            "INFORMAL_TRANSFER_HAWALA": 0.6, "CRYPTO": 0.2, "IN_KIND": 0.2}, n)),
        "payment_timing": fm.gaps(rng, fm.weighted(rng, {
            "UPFRONT": 4, "ON_ARRIVAL": 2, "INSTALMENTS": 1, "ESCROW_GUARANTEE": 0.7}, n)),
        "source": fm.gaps(rng, fm.weighted(rng, {"MIGRANT": 6, "FACILITATOR": 1,
                                                 "DOCUMENTARY_EVIDENCE": 1}, n)),
    }
    return table, has


def fraud_items(chunk: Chunk, primary: Ints) -> tuple[dict[str, pa.Array], Bools]:
    """Fraudulent documents found (Protocol Art. 3(c))."""
    rng = chunk.rng
    has = rng.random(chunk.n) < chunk.catalogue.numbers["fraud"][chunk.scenario]
    count = np.where(has, 1 + rng.poisson(0.3, chunk.n), 0)
    inc = fm.repeat_index(count)
    n = len(inc)
    doc = fm.weighted(rng, {"PASSPORT": 5, "VISA": 3, "NATIONAL_ID": 1, "RESIDENCE_PERMIT": 1,
                            "WORK_PERMIT": 1, "BORDER_PASS": 0.5, "SUPPORTING_DOC": 0.5}, n)
    own = fm.codes(("KHM", "THA", "LAO", "MMR", "VNM", "MMR"), primary[inc])
    foreign = fm.weighted(rng, {"THA": 3, "MYS": 2, "KOR": 2, "JPN": 1, "SGP": 1}, n)
    issuing = pc.if_else(pc.is_in(doc, pa.array(["VISA", "RESIDENCE_PERMIT", "WORK_PERMIT"])),
                         foreign, own)
    return {
        "incident_ref": chunk.refs.take(pa.array(inc)), "item_no": fm.text(fm.rank_within(inc) + 1),
        "document_type": doc,
        "fraud_type": fm.weighted(rng, {"COUNTERFEIT_OR_FORGED_ALTERED": 5, "IMPOSTOR_LOOKALIKE": 2,
                                        "FRAUDULENTLY_OBTAINED_GENUINE": 2, "STOLEN_BLANK": 0.5,
                                        "PSEUDO_DOCUMENT": 0.3, "UNKNOWN": 0.5}, n),
        "issuing_country": fm.gaps(rng, issuing, (0.03, 0.0, 0.05)),
        "count": fm.blank(fm.text(1 + rng.poisson(0.3, n)), rng.random(n) < 0.2),
    }, has


@dataclass(frozen=True)
class Flags:
    """What happened in each incident, decided before the rows are written."""

    tip: Bools
    fee: Bools
    fraud: Bools
    facilitators: Ints
    direction: pa.Array
    mode: pa.Array
    place: pa.Array
    network_ref: pa.Array


def directions(chunk: Chunk) -> pa.Array:
    """Direction of movement as the reporting unit sees it (EXIT sometimes prevented)."""
    seen = {unit: d for s in chunk.catalogue.scenarios for unit, d in s.units}
    base = np.array([seen[u] for u in chunk.plan.unit[chunk.start:chunk.stop]], dtype=object)
    prevented = (base == "EXIT") & (chunk.rng.random(chunk.n) < 0.4)
    return pa.array(np.where(prevented, "PREVENTED_DEPARTURE", base), pa.string())


def _events(chunk: Chunk, flags: Flags, totals: Totals) -> pa.Array:
    rng, ext = chunk.rng, chunk.catalogue.extras["events"]
    cols = fm.optional_codes(rng, ext.codes, ext.p[chunk.scenario])
    inland = pc.is_in(flags.direction, pa.array(["INLAND_STAY", "TRANSIT"]))
    irregular = rng.random(chunk.n) < np.where(inland.to_numpy(zero_copy_only=False), 0.6, 0.95)
    airport = chunk.catalogue.extras["events"].p[chunk.scenario, ext.codes.index(
        "DOCUMENT_FRAUD")] > 0.5 if "DOCUMENT_FRAUD" in ext.codes else np.zeros(chunk.n, bool)
    irregular &= ~airport
    derived = {"IRREGULAR_CROSSING": irregular, "DOCUMENT_FRAUD": flags.fraud,
               "TIP_INDICATORS": flags.tip, "DEATH_OR_MISSING": totals.harmed,
               "PREVENTED_DEPARTURE": pc.equal(flags.direction, "PREVENTED_DEPARTURE")
               .to_numpy(zero_copy_only=False)}
    cols = [c for c, name in zip(cols, ext.codes, strict=True) if name not in derived]
    cols += [pc.if_else(pa.array(np.asarray(v)), k, fm.NULL) for k, v in derived.items()]
    joined = fm.join_codes(cols)
    return pc.fill_null(joined, "SOM_SUSPECTED")


def _coded(chunk: Chunk, name: str) -> pa.Array:
    choice = chunk.catalogue.choices[name]
    return fm.codes(choice.codes, choice.sample(chunk.scenario, chunk.rng.random(chunk.n)))


def draw_flags(chunk: Chunk, facilitators: Ints, place: pa.Array, *, tip: Bools, fraud: Bools,
               fee: Bools) -> Flags:
    """Incident-level facts needed by several record types."""
    rng = chunk.rng
    network = chunk.plan.network[chunk.start:chunk.stop]
    salt = sum(map(ord, chunk.country)) * 7919
    token = fm.join(chunk.country + "-NET-", fm.digits((network ^ salt) % 100000, 5))
    known = (facilitators > 0) | (rng.random(chunk.n) < 0.15)
    return Flags(tip=tip, fee=fee, fraud=fraud, facilitators=facilitators,
                 direction=directions(chunk), mode=_coded(chunk, "transport"), place=place,
                 network_ref=fm.blank(token, ~known | (rng.random(chunk.n) < 0.3)))


def _location(chunk: Chunk, kind: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    units = load_organisations().units
    plan_units = chunk.plan.unit[chunk.start:chunk.stop]
    lat = np.array([units[u].latitude for u in plan_units])
    lon = np.array([units[u].longitude for u in plan_units])
    jitter = np.array([JITTER.get(k, 0.05) for k in kind.to_pylist()])
    at_sea = np.char.startswith(np.array(kind.to_pylist(), dtype=str), "AT_SEA")
    lat = np.round(lat + chunk.rng.normal(0, 1, chunk.n) * jitter, 4)
    lon = np.round(lon + chunk.rng.normal(0, 1, chunk.n) * jitter - at_sea * 0.4, 4)
    hide = chunk.rng.random(chunk.n) < 0.08
    border = pa.array([units[u].border_country for u in plan_units], pa.string())
    return fm.blank(fm.text(lat), hide), fm.blank(fm.text(lon), hide), border


def _narrative(flags: Flags, totals: Totals, primary: Ints, method: pa.Array) -> pa.Array:
    who = fm.codes(ADJECTIVES, primary)
    how = pc.replace_substring(pc.utf8_lower(pc.fill_null(method, "unknown method")), "_", " ")
    text = fm.join(fm.text(totals.migrants), " migrants, mostly ", who, ", detected near ",
                   pc.fill_null(flags.place, "the border"), " (", how, ").")
    with_fac = fm.join(text, " ", fm.text(flags.facilitators),
                       " suspected facilitator(s) named.")
    return pc.if_else(pa.array(flags.facilitators > 0), with_fac, text)


def incident_rows(chunk: Chunk, flags: Flags, totals: Totals,
                  primary: Ints) -> dict[str, pa.Array]:
    """The incident records of the chunk, one per detection event."""
    rng, cat, n = chunk.rng, chunk.catalogue, chunk.n
    kind = _coded(chunk, "location_type")
    lat, lon, border = _location(chunk, kind)
    method = fm.gaps(rng, _coded(chunk, "method"))
    events = _events(chunk, flags, totals)
    som = pc.match_substring(events, "SOM_SUSPECTED").to_numpy(zero_copy_only=False)
    fac = flags.facilitators > 0
    legal = pc.if_else(pa.array(fac), fm.weighted(rng, {"SUSPECTED": 5, "CHARGED": 3,
                                                        "CONVICTED": 1, "ACQUITTED": 0.3}, n),
                       fm.weighted(rng, {"NONE": 6, "SUSPECTED": 2}, n))
    conduct = cat.extras["conduct"]
    conduct_cols = fm.optional_codes(rng, conduct.codes, conduct.p[chunk.scenario])
    conduct_cols.append(pc.if_else(pa.array(flags.fraud), "PROCURE_PROVIDE_POSSESS_FRAUD_DOC",
                                   fm.NULL))
    aggr = cat.extras["aggravating"]
    aggr_cols = fm.optional_codes(rng, aggr.codes, aggr.p[chunk.scenario])
    aggr_cols.append(pc.if_else(pa.array(totals.harmed), "ENDANGER_LIFE_SAFETY", fm.NULL))
    aggravating = fm.join_codes(aggr_cols)
    aggravating = pc.if_else(pa.array(rng.random(n) < 0.5), pc.fill_null(aggravating, "NONE"),
                             aggravating)
    danger = cat.extras["danger"]
    iccs = np.where(som, "08051", np.where(flags.fraud, "07023",
                                           np.where(flags.tip, "0204", "")))
    offence = pa.array([OFFENCE_CODES.get(chunk.country)] * n, pa.string())
    report = chunk.day + rng.geometric(0.2, n).astype("timedelta64[D]") - 1
    return {
        "incident_ref": chunk.refs,
        "reporting_unit": pa.array(chunk.plan.unit[chunk.start:chunk.stop], pa.string()),
        "detection_date": fm.partial_dates(rng, chunk.day, (0.04, 0.01)),
        "report_date": fm.blank(fm.dates(report), rng.random(n) < 0.05),
        "location_name": flags.place, "latitude": lat, "longitude": lon,
        "location_type": fm.gaps(rng, kind, (0.01, 0.0, 0.0)),
        "border_country": fm.blank(border, rng.random(n) < 0.05),
        "movement_direction": fm.gaps(rng, flags.direction), "detection_method": method,
        "event_types": events,
        "legal_qualification": fm.gaps(rng, legal),
        "benefit_element": fm.gaps(rng, pc.if_else(pa.array(flags.fee), "FINANCIAL", fm.weighted(
            rng, {"FINANCIAL": 5, "OTHER_MATERIAL": 1, "NONE_OBSERVED": 1}, n))),
        "related_conduct": fm.blank(fm.join_codes(conduct_cols), rng.random(n) < 0.1),
        "aggravating": aggravating,
        "danger_factors": fm.join_codes(fm.optional_codes(rng, danger.codes,
                                                          danger.p[chunk.scenario])),
        "iccs_code": fm.blank(pa.array(iccs, pa.string()), (iccs == "") | (rng.random(n) < 0.2)),
        "national_offence_code": fm.blank(offence, ~fac | (rng.random(n) < 0.4)),
        "transport_mode": fm.gaps(rng, flags.mode),
        "concealment": fm.gaps(rng, _coded(chunk, "concealment")),
        "source_type": fm.gaps(rng, fm.weighted(rng, {
            "OFFICIAL_RECORD": 5, "MIGRANT_DEBRIEFING": 3, "INTELLIGENCE": 1,
            "FACILITATOR_STATEMENT": 1, "NGO_IO": 0.5, "MEDIA": 0.2, "SENSOR": 0.2}, n)),
        "confidence": fm.gaps(rng, fm.weighted(rng, {"CONFIRMED": 5, "PROBABLE": 3,
                                                     "POSSIBLE": 1, "UNCONFIRMED": 0.5}, n)),
        "network_ref": flags.network_ref,
        "narrative": _narrative(flags, totals, primary, method),
    }
