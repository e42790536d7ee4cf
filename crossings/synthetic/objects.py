"""Objects of a chunk: phones, vehicles, vessels and accounts of the smuggling networks.

Each network owns a few vehicles, vessels and accounts, and its members own phones; incidents
draw from them, so the same plate, IMO number or phone turns up in several incidents and
countries, written slightly differently each time.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from crossings.synthetic import formats as fm
from crossings.synthetic.identity import FACILITATOR, hash_uniform, identities, identity_labels
from crossings.synthetic.persons import Chunk, People
from crossings.synthetic.plan import OBJECT_KINDS, VEHICLE_COUNTRIES

Ints = npt.NDArray[np.int64]
OBJECT_COLUMNS = ("incident", "object_type", "role", "plate", "vessel_name", "imo", "mmsi",
                  "flag_country", "phone", "account_number", "description", "identity")
PLATES = {
    "KHM": (("PP", "BTB", "BMC", "KK", "SR", "SHV"), "{a} {d}{L}-{dddd}"),
    "THA": (("กข", "ขค", "ฆง", "บจ", "ผล", "ชท"), "{a} {dddd} {p}"),
    "LAO": (("ກກ", "ກຂ", "ຂງ"), "{a} {dddd}"),
    "VNM": (("51F", "59G", "70A", "29C", "30E"), "{a}-{ddd}.{dd}"),
    "MMR": (("YGN", "MDY", "KYN", "MON"), "{a} {d}{L}/{dddd}"),
    "MYS": (("PKT", "KDA", "BJH", "WXY"), "{a} {dddd}"),
    "IDN": (("BL", "BK", "BM"), "{a} {dddd} {L}{L}"),
    "BGD": (("DHA", "CTG"), "{a} {dd}-{dddd}"),
}
THAI_PROVINCES = ("กรุงเทพมหานคร", "สระแก้ว", "ตาก", "สงขลา", "ตราด", "หนองคาย")
VESSEL_NAMES = {
    "KHM": ("Sovannaphum", "Neak Samut", "Angkor Star"), "THA": ("Chok Anan", "Sin Samut",
                                                                 "Por Pattana", "Chai Mongkol"),
    "LAO": ("Mekong Queen", "Champa"), "MMR": ("Aung Myay", "Shwe Pyi", "Yadanar", "Mya Sein"),
    "VNM": ("Hải Phong", "Bình An", "Phước Lộc"), "MYS": ("Bintang Laut", "Sri Perak"),
    "IDN": ("KM Harapan Jaya", "KM Bahari", "KM Sinar Laut"), "BGD": ("Sonar Tori", "Nur Jahan"),
}
MMSI_MID = {"KHM": 514, "THA": 567, "LAO": 531, "MMR": 506, "VNM": 574, "MYS": 533, "IDN": 525,
            "BGD": 405}
ACCOUNTS = {"KHM": ("ABA", "ACLEDA", "Wing"), "THA": ("KBank", "SCB", "PromptPay"),
            "LAO": ("BCEL", "BCEL One"), "MMR": ("KBZPay", "Wave Money", "AYA"),
            "VNM": ("Vietcombank", "MoMo"), "MYS": ("Maybank", "Touch n Go"),
            "IDN": ("BRI", "DANA"), "BGD": ("bKash", "Sonali")}
MOBILE_MONEY = frozenset({"Wing", "PromptPay", "BCEL One", "KBZPay", "Wave Money", "MoMo",
                          "Touch n Go", "DANA", "bKash"})
VEHICLES = ("Toyota Hilux pickup", "Toyota Hiace van", "Isuzu D-Max pickup", "Hino truck",
            "Honda Wave motorcycle", "Toyota Vios car")
BOATS = ("wooden fishing boat", "long-tail boat", "trawler", "speedboat", "river boat")
LETTERS = "ABCDEFGHKLMNPRSTUVWXY"


def _pick(options: tuple[str, ...], u: float) -> str:
    return options[int(u * len(options))]


def _plate(country: str, serial: int, u: list[float]) -> str:
    prefixes, pattern = PLATES[country]
    d = int(u[1] * 10**6)
    return (pattern.replace("{dddd}", f"{d % 10000:04d}").replace("{ddd}", f"{d % 1000:03d}")
            .replace("{dd}", f"{d // 10000 % 100:02d}").replace("{d}", str(d // 100000 % 9 + 1))
            .replace("{a}", _pick(prefixes, u[0])).replace("{p}", _pick(THAI_PROVINCES, u[2]))
            .replace("{L}", LETTERS[serial % len(LETTERS)], 1)
            .replace("{L}", LETTERS[int(u[3] * len(LETTERS))]))


def _static(kind: int, serial: Ints, country: Ints, seed: int) -> dict[str, list[str | None]]:
    """Attributes fixed for each vehicle, vessel or account (computed once per object)."""
    u = np.stack([hash_uniform(serial + (kind << 44), seed, 200 + f) for f in range(6)], axis=1)
    out: dict[str, list[str | None]] = {"plate": [], "vessel_name": [], "imo": [], "mmsi": [],
                                        "account_number": [], "description": [], "type": []}
    for s, c, row in zip(serial.tolist(), country.tolist(), u.tolist(), strict=True):
        code = VEHICLE_COUNTRIES[c]
        out["plate"].append(_plate(code, s, row) if kind == 0 else None)
        out["vessel_name"].append(f"{_pick(VESSEL_NAMES[code], row[0])} {1 + s % 19}"
                                  if kind == 1 else None)
        out["mmsi"].append(f"{MMSI_MID[code]}{int(row[1] * 1e6):06d}"
                           if kind == 1 and row[2] < 0.55 else None)
        out["imo"].append(str(int(row[3] * 1e9)) if kind == 1 and row[4] < 0.35 else None)
        bank = _pick(ACCOUNTS[code], row[0])
        out["account_number"].append(f"{bank} {int(row[1] * 1e9):09d}" if kind == 2 else None)
        out["type"].append(("VEHICLE", "VESSEL", "MOBILE_MONEY_ACCOUNT" if bank in MOBILE_MONEY
                            else "BANK_ACCOUNT")[kind])
        out["description"].append(_pick(VEHICLES if kind == 0 else BOATS, row[5])
                                  if kind < 2 else None)
    return out


def _network_objects(chunk: Chunk, kind: int, p: float | npt.NDArray[np.float64],
                     seed: int) -> dict[str, pa.Array]:
    rng, net = chunk.rng, chunk.plan.networks
    network = chunk.plan.network[chunk.start:chunk.stop]
    count = net.object_count[network, kind]
    inc = np.flatnonzero((rng.random(chunk.n) < p) & (count > 0)).astype(np.int64)
    rank = (count[inc] * rng.random(len(inc)) ** 2).astype(np.int64)
    serial = net.object_start[network[inc], kind] + rank
    static = _static(kind, serial, net.object_country[network[inc], kind], seed)
    imo = [None if v is None else fm.imo_numbers(np.array([int(v)])).to_pylist()[0]
           for v in static["imo"]]
    label = fm.join(OBJECT_KINDS[kind] + "-", fm.digits(serial, 6))
    return {"incident": pa.array(inc), "object_type": pa.array(static["type"], pa.string()),
            "role": pa.array(["PAYMENT" if kind == 2 else "TRANSPORT"] * len(inc), pa.string()),
            "plate": _vary(rng, pa.array(static["plate"], pa.string())),
            "vessel_name": _vary(rng, pa.array(static["vessel_name"], pa.string())),
            "imo": pa.array(imo, pa.string()), "mmsi": pa.array(static["mmsi"], pa.string()),
            "flag_country": fm.codes(VEHICLE_COUNTRIES,
                                     net.object_country[network[inc], kind]),
            "account_number": pa.array(static["account_number"], pa.string()),
            "description": pa.array(static["description"], pa.string()), "identity": label}


def _vary(rng: np.random.Generator, column: pa.Array) -> pa.Array:
    """Write a plate or name another way: without spaces and dashes, or in capitals."""
    u = rng.random(len(column))
    squeezed = pc.replace_substring_regex(column, r"[\s\-./]", "")
    out = pc.if_else(pa.array(u < 0.25), squeezed, column)
    return pc.if_else(pa.array(u > 0.85), pc.utf8_upper(column), out)


def _phones(chunk: Chunk, people: People, seed: int) -> dict[str, pa.Array]:
    rng = chunk.rng
    fac = np.flatnonzero((people.role == FACILITATOR) & people.who.has_phone
                         & (rng.random(len(people.role)) < 0.4))
    inc_f, ids_f = people.incident[fac], people.who.ids[fac]
    net = chunk.plan.networks
    network = chunk.plan.network[chunk.start:chunk.stop]
    inc_n = np.flatnonzero(rng.random(chunk.n) < 0.12).astype(np.int64)
    count = net.member_count[network[inc_n]]
    ids_n = net.members[net.member_start[network[inc_n]]
                        + (count * rng.random(len(inc_n)) ** 2).astype(np.int64)]
    inc, ids = np.concatenate([inc_f, inc_n]), np.concatenate([ids_f, ids_n])
    who = identities(ids, seed)
    keep = who.has_phone
    inc, ids = inc[keep], ids[keep]
    phone = fm.phones(rng, who.phone_cc.filter(pa.array(keep)),
                      who.phone_nsn.filter(pa.array(keep)))
    n = len(inc)
    return {"incident": pa.array(inc), "object_type": pa.array(["PHONE"] * n, pa.string()),
            "role": fm.gaps(rng, pa.array(["CONTACT"] * n, pa.string())), "phone": phone,
            "identity": fm.join("PHONE-", identity_labels(ids))}


def objects(chunk: Chunk, people: People, seed: int) -> dict[str, dict[str, pa.Array]]:
    """Object records and their true identities for the chunk."""
    num = chunk.catalogue.numbers
    parts = [_phones(chunk, people, seed),
             _network_objects(chunk, 0, num["vehicle"][chunk.scenario], seed),
             _network_objects(chunk, 1, num["vessel"][chunk.scenario], seed),
             _network_objects(chunk, 2, 0.06, seed)]
    cols = {name: pa.concat_arrays([
        part[name] if name in part else pa.nulls(len(part["incident"]),
                                                 pa.int64() if name == "incident" else pa.string())
        for part in parts]) for name in OBJECT_COLUMNS}
    inc = cols["incident"].to_numpy()
    order = np.argsort(inc, kind="stable")
    cols = {k: v.take(pa.array(order)) for k, v in cols.items()}
    inc = inc[order]
    refs = chunk.refs.take(pa.array(inc))
    object_ref = fm.join(refs, "-O", fm.digits(fm.rank_within(inc) + 1, 2))
    table = {k: v for k, v in cols.items() if k not in ("incident", "identity")}
    table = {"object_ref": object_ref, "incident_ref": refs, **table}
    truth = {"object_ref": object_ref,
             "reporting_country": pa.array([chunk.country] * len(inc), pa.string()),
             "identity_id": cols["identity"]}
    return {"objects": table, "object_identities": truth}
