"""Who a person really is: attributes fixed by the identity number, never stored.

An identity is a 64-bit number: people (name pool) and kind in the high bits, a serial in the low
40 bits. Everything constant about the person (sex, birth date, name, phones, documents) is a
hash of that number and the seed, so any report of the same identity, in any chunk, country or
process, sees the same person, and memory does not grow with the number of persons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from crossings.synthetic.names import load_scripts, pick_entries
from crossings.synthetic.scenarios import PEOPLES

U64 = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

SERIAL_BITS = 40
KIND_SHIFT = 40
PEOPLE_SHIFT = 44
MIGRANT, FACILITATOR, WITNESS = 0, 1, 2
KIND_LETTERS = ("M", "F", "W")
EPOCH = np.datetime64("1970-01-01", "D")
AGE_REFERENCE = np.datetime64("2023-01-01", "D")
DAYS_PER_YEAR = 365.2425

AGE_BANDS = ((0, 5), (5, 12), (12, 18), (18, 25), (25, 60), (60, 75))
MIGRANT_AGE_P = np.array([0.03, 0.04, 0.07, 0.26, 0.57, 0.03])
ROHINGYA_AGE_P = np.array([0.08, 0.09, 0.10, 0.25, 0.45, 0.03])
FEMALE_SHARE = {"KHM": 0.42, "THA": 0.35, "LAO": 0.5, "MMR": 0.38, "VNM": 0.33, "ROH": 0.45}

# calling code, national number: leading digits, total digits
PHONE_PLANS = {"KHM": ("855", (12, 15, 16, 17, 77, 78, 85, 89, 92, 96, 97, 98, 99), 8),
               "THA": ("66", (61, 62, 63, 64, 65, 80, 81, 82, 86, 89, 90, 91, 95), 9),
               "LAO": ("856", (2052, 2055, 2056, 2077, 2092, 2095, 2096, 2097), 10),
               "MMR": ("95", (925, 926, 940, 942, 944, 945, 975, 976, 977, 978, 979, 996), 10),
               "VNM": ("84", (32, 33, 35, 70, 77, 86, 90, 91, 96, 97, 98), 9),
               "ROH": ("880", (13, 15, 16, 17, 18, 19), 10)}
PASSPORT_PREFIX = {"KHM": "N", "THA": "AA", "LAO": "P", "MMR": "MC", "VNM": "C", "ROH": ""}
ALIASES = {"KHM": ("Bong Thom", "Ta Chas", "Pu Sok", "Bong Srey", "A Khmau"),
           "THA": ("Lek", "Noi", "Daeng", "Ton", "Boy", "Ae", "Sia Lek"),
           "LAO": ("Noy", "Bao", "Thao Ai", "Sao Noy"),
           "MMR": ("Ko Gyi", "Ah Naing", "Ko Lay", "Sayar", "Bo Bo"),
           "VNM": ("Anh Tư", "Chú Ba", "Bé", "Anh Hai", "Cô Năm"),
           "ROH": ("Majhi", "Dalal", "Hajji", "Boss")}


def make_ids(people: Ints, kind: Ints | int, serial: Ints) -> Ints:
    """Identity numbers from people index, kind and serial."""
    return ((people.astype(np.int64) << PEOPLE_SHIFT) | (np.int64(kind) << KIND_SHIFT)
            | serial.astype(np.int64))


def people_of(ids: Ints) -> Ints:
    """People index (into PEOPLES) of each identity."""
    return (ids >> PEOPLE_SHIFT).astype(np.int64)


def kind_of(ids: Ints) -> Ints:
    """Kind (migrant, facilitator, witness) of each identity."""
    return ((ids >> KIND_SHIFT) & 0xF).astype(np.int64)


def hash_uniform(ids: Ints, seed: int, field: int) -> Floats:
    """A uniform number in [0, 1) per identity and field (splitmix64 of id, seed and field)."""
    z = ids.astype(np.uint64) + np.uint64((seed * 0x9E3779B1 + field * 0x7F4A7C15) % 2**64)
    z = z * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


@dataclass(frozen=True)
class Identities:
    """The fixed attributes of a batch of identities (one row per report, repeated ids allowed)."""

    ids: Ints
    people: Ints
    kind: Ints
    sex: Ints
    birth: npt.NDArray[np.datetime64]
    family: Ints
    given: Ints
    phone_cc: pa.Array
    phone_nsn: pa.Array
    has_phone: npt.NDArray[np.bool_]
    passport: pa.Array
    national_id: pa.Array
    alias: pa.Array


def _ages(people: Ints, kind: Ints, u: Floats, v: Floats) -> Floats:
    band_p = np.where((people == PEOPLES.index("ROH"))[:, None], ROHINGYA_AGE_P, MIGRANT_AGE_P)
    band = (u[:, None] >= np.cumsum(band_p, axis=1)).sum(axis=1).clip(0, len(AGE_BANDS) - 1)
    low = np.array([b[0] for b in AGE_BANDS])[band]
    high = np.array([b[1] for b in AGE_BANDS])[band]
    ages = low + v * (high - low)
    return np.where(kind == FACILITATOR, 20 + v * 42, ages)


def _digits(values: Ints, width: int) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(values), pa.string()), width, padding="0")


def _phones(people: Ints, u: Floats, w: Floats) -> tuple[pa.Array, pa.Array]:
    cc = np.empty(len(people), dtype=object)
    nsn = np.zeros(len(people), dtype=np.int64)
    for p, code in enumerate(PEOPLES):
        mask = people == p
        calling, leads, digits = PHONE_PLANS[code]
        lead = np.array(leads)[(u[mask] * len(leads)).astype(np.int64)]
        rest_digits = digits - len(str(leads[0]))
        nsn[mask] = lead * 10**rest_digits + (w[mask] * 10**rest_digits).astype(np.int64)
        cc[mask] = calling
    return pa.array(cc, pa.string()), pc.cast(pa.array(nsn), pa.string())


def _texts(people: Ints, table: dict[str, tuple[str, ...]], u: Floats) -> pa.Array:
    out = np.empty(len(people), dtype=object)
    for p, code in enumerate(PEOPLES):
        mask = people == p
        options = np.array(table[code], dtype=object)
        out[mask] = options[(u[mask] * len(options)).astype(np.int64)]
    return pa.array(out, pa.string())


def _national_ids(people: Ints, u: Floats) -> pa.Array:
    """National identity numbers in each country's format; none for Lao and Rohingya persons."""
    n12 = _digits((u * 1e12).astype(np.int64), 12)
    forms = {"KHM": pc.utf8_slice_codeunits(n12, 3, 12),
             "THA": pc.binary_join_element_wise("1", n12, ""),
             "VNM": pc.binary_join_element_wise("0", pc.utf8_slice_codeunits(n12, 1, 12), ""),
             "MMR": pc.binary_join_element_wise("12/OUKAMA(N)",
                                                pc.utf8_slice_codeunits(n12, 6, 12), "")}
    out = pa.nulls(len(people), pa.string())
    for code, form in forms.items():
        out = pc.if_else(pa.array(people == PEOPLES.index(code)), form, out)
    return out


def identities(ids: Ints, seed: int) -> Identities:
    """The fixed attributes of each identity in ``ids``."""
    people, kind = people_of(ids), kind_of(ids)
    u = [hash_uniform(ids, seed, f) for f in range(12)]
    female = np.array([FEMALE_SHARE[p] for p in PEOPLES])[people]
    female = np.where(kind == FACILITATOR, 0.2, female)
    sex = (u[0] >= female).astype(np.int64)
    ages = _ages(people, kind, u[1], u[2])
    birth = AGE_REFERENCE - (ages * DAYS_PER_YEAR).astype("timedelta64[D]")
    family, given = np.zeros(len(ids), np.int64), np.zeros(len(ids), np.int64)
    for p, script in ((PEOPLES.index(k), s) for k, s in load_scripts().items()):
        mask = people == p
        given[mask] = pick_entries(script.given, sex[mask], u[3][mask])
        if script.family is not None:
            family[mask] = pick_entries(script.family, sex[mask], u[4][mask])
    cc, nsn = _phones(people, u[5], u[6])
    has_phone = u[7] < np.where(kind == FACILITATOR, 0.95, 0.6)
    prefix = _texts(people, {k: (v,) for k, v in PASSPORT_PREFIX.items()}, u[8])
    passport = pc.binary_join_element_wise(prefix, _digits((u[9] * 1e7).astype(np.int64), 7), "")
    passport = pc.if_else(pa.array(people == PEOPLES.index("ROH")),
                          pa.scalar(None, pa.string()), passport)
    return Identities(ids=ids, people=people, kind=kind, sex=sex, birth=birth, family=family,
                      given=given, phone_cc=cc, phone_nsn=nsn, has_phone=has_phone,
                      passport=passport, national_id=_national_ids(people, u[10]),
                      alias=_texts(people, ALIASES, u[11]))


def identity_labels(ids: Ints) -> pa.Array:
    """Readable identity numbers for the truth files, e.g. ``KHM-M000001234``."""
    people = np.array(PEOPLES, dtype=object)[people_of(ids)]
    kind = np.array(KIND_LETTERS, dtype=object)[kind_of(ids)]
    serial = _digits(ids & ((1 << SERIAL_BITS) - 1), 9)
    return pc.binary_join_element_wise(
        pc.binary_join_element_wise(pa.array(people, pa.string()), pa.array(kind, pa.string()),
                                    "-"), serial, "")


def age_at(birth: npt.NDArray[np.datetime64], day: npt.NDArray[np.datetime64]) -> Ints:
    """Completed years of age on ``day``."""
    return ((day - birth).astype(np.int64) / DAYS_PER_YEAR).astype(np.int64)

