"""Name pools per script and the vectorised writing of names as officers write them.

The pools come from ``names.yaml``: whole names and name parts in the native script with two to
four romanisations each. A person's identity fixes which family and given name they have; each
report then writes that name its own way: another romanisation, family name first or last,
upper-cased family name, an honorific, Vietnamese with or without diacritics, the native script
recorded or not.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import yaml

HERE = Path(__file__).parent
MAX_VARIANTS = 4
SEXES = ("F", "M")
"""Sex codes used internally: 0 = female, 1 = male."""
P_COMMON_VARIANT = 0.55
P_SWAP_ORDER = 0.15
P_HONORIFIC = 0.08
CASE_STYLE_P = (0.68, 0.22, 0.10)  # Title case, FAMILY name upper, ALL UPPER

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Parts:
    """One list of names (family or given) flattened for vectorised look-up."""

    native: npt.NDArray[np.object_]
    variants: npt.NDArray[np.object_]
    offset: Ints
    count: Ints
    by_sex: tuple[Ints, Ints]

    def __len__(self) -> int:
        return len(self.native)


@dataclass(frozen=True)
class Script:
    """A writing system with its name pools and customs."""

    name: str
    people: str
    family_first: bool
    honorifics: dict[str, tuple[str, ...]]
    family: Parts | None
    given: Parts
    join_roman: str
    join_native: str
    aligned: bool
    latin_only: bool


def _entries(raw: list[list[str]]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(str(e[0]), str(e[1]), tuple(dict.fromkeys(str(v) for v in e[2:]))) for e in raw]


def _compose(lists: list[list[tuple[str, str, tuple[str, ...]]]], join_native: str,
             join_roman: str, *, aligned: bool) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every sex-compatible combination of one entry of each list, with its variants."""
    out = []
    for combo in itertools.product(*lists):
        sexes = {sex for _, sex, _ in combo} - {"U"}
        if len(sexes) > 1:
            continue
        sex = sexes.pop() if sexes else "U"
        native = join_native.join(n for n, _, _ in combo)
        if aligned:
            width = max(len(v) for _, _, v in combo)
            variants = [join_roman.join(v[min(j, len(v) - 1)] for _, _, v in combo)
                        for j in range(width)]
        else:
            picks = sorted(itertools.product(*(range(len(v)) for _, _, v in combo)), key=sum)
            variants = [join_roman.join(v[i] for (_, _, v), i in zip(combo, pick, strict=True))
                        for pick in picks]
        out.append((native, sex, tuple(dict.fromkeys(variants))[:MAX_VARIANTS]))
    return out


def _burmese(parts: list[tuple[str, str, tuple[str, ...]]], spec: dict[str, Any],
             join_roman: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """All two-syllable names and a fixed sample of three-syllable ones."""
    names = _compose([parts, parts], "", join_roman, aligned=False)
    picks = np.random.default_rng(7).integers(0, len(parts), (spec["three_syllable_names"], 3))
    for a, b, c in picks.tolist():
        names += _compose([[parts[a]], [parts[b]], [parts[c]]], "", join_roman, aligned=False)
    return names


def _parts(entries: list[tuple[str, str, tuple[str, ...]]]) -> Parts:
    counts = np.array([len(v) for _, _, v in entries], dtype=np.int64)
    offset = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    sex = np.array([s for _, s, _ in entries])
    variants = np.array([v for _, _, vs in entries for v in vs], dtype=object)
    by_sex = tuple(np.flatnonzero((sex == code) | (sex == "U")).astype(np.int64)
                   for code in SEXES)
    return Parts(native=np.array([n for n, _, _ in entries], dtype=object),
                 variants=variants, offset=offset, count=counts,
                 by_sex=(by_sex[0], by_sex[1]))


def _script(name: str, spec: dict[str, Any]) -> Script:
    join_native, join_roman = spec.get("join_native", ""), spec.get("join_roman", "")
    aligned = bool(spec.get("strip_diacritics", False))
    given = _entries(spec.get("given", []))
    if "given_parts" in spec:
        lists = [_entries(p) for p in spec["given_parts"]]
        if "syllables" in spec:
            given += _burmese(lists[0], spec["syllables"], join_roman)
        else:
            given += _compose(lists, join_native, join_roman, aligned=aligned)
    family = _entries(spec.get("family", []))
    if "family_parts" in spec:
        family += _compose([_entries(p) for p in spec["family_parts"]], join_native, join_roman,
                           aligned=aligned)
    return Script(name=name, people=spec["people"], family_first=bool(spec["family_first"]),
                  honorifics={k: tuple(v) for k, v in spec["honorifics"].items()},
                  family=_parts(family) if family else None, given=_parts(given),
                  join_roman=join_roman, join_native=join_native, aligned=aligned,
                  latin_only=spec["people"] == "ROH")


@cache
def load_scripts() -> dict[str, Script]:
    """Every script's pools, keyed by the people code (KHM, THA, LAO, MMR, VNM, ROH)."""
    raw = yaml.safe_load((HERE / "names.yaml").read_text(encoding="utf-8"))
    scripts = (_script(name, spec) for name, spec in raw.items())
    return {s.people: s for s in scripts}


def pick_entries(parts: Parts, sex: Ints, u: Floats) -> Ints:
    """Entry indices for persons of the given sex (0/1), from uniform numbers ``u``."""
    out = np.empty(len(sex), dtype=np.int64)
    for code in (0, 1):
        mask = sex == code
        pool = parts.by_sex[code]
        out[mask] = pool[(u[mask] * len(pool)).astype(np.int64)]
    return out


def _variant(parts: Parts, entry: Ints, u: Floats) -> Ints:
    """Index into ``parts.variants``: the common spelling often, another one otherwise."""
    count = parts.count[entry]
    other = 1 + ((u - P_COMMON_VARIANT) / (1 - P_COMMON_VARIANT) * (count - 1)).astype(np.int64)
    k = np.where(u < P_COMMON_VARIANT, 0, np.minimum(other, count - 1))
    return parts.offset[entry] + k


def _strings(values: npt.NDArray[np.object_]) -> pa.Array:
    return pa.array(values, type=pa.string())


@dataclass(frozen=True)
class Rendered:
    """Names of a batch of persons as written in their reports."""

    full_name: pa.Array
    original: pa.Array


def render(script: Script, family: Ints, given: Ints, sex: Ints, *, rng: np.random.Generator,
           p_original: Floats) -> Rendered:
    """Write the names of persons (entry indices ``family``/``given``) as one report would.

    Args:
        script: The pools the entries index.
        family: Family-name entry per person (ignored when the script has none).
        given: Given-name entry per person.
        sex: 0 female, 1 male: picks honorifics.
        rng: Random stream of this batch.
        p_original: Per person, the chance the report also gives the native spelling.
    """
    n = len(given)
    u = rng.random((6, n))
    if script.aligned:
        u[1] = u[0]  # one decision per report: diacritics kept or dropped for the whole name
    giv = _strings(script.given.variants[_variant(script.given, given, u[1])])
    style = np.searchsorted(np.cumsum(CASE_STYLE_P), u[2], side="right")
    giv = pc.if_else(pa.array(style == 2), pc.utf8_upper(giv), giv)
    if script.family is not None:
        fam = _strings(script.family.variants[_variant(script.family, family, u[0])])
        fam = pc.if_else(pa.array(style >= 1), pc.utf8_upper(fam), fam)
        first = pa.array(np.where(u[3] < P_SWAP_ORDER, not script.family_first,
                                  script.family_first))
        name = pc.if_else(first, pc.binary_join_element_wise(fam, giv, " "),
                          pc.binary_join_element_wise(giv, fam, " "))
    else:
        name = giv
    name = _honorific(script, name, sex, u[4])
    return Rendered(full_name=name, original=_original(script, family, given, u[5] < p_original))


def _honorific(script: Script, name: pa.Array, sex: Ints, u: Floats) -> pa.Array:
    pick = np.where(u < P_HONORIFIC, (u / P_HONORIFIC * 1000).astype(np.int64), -1)
    words = np.full(len(sex), None, dtype=object)
    for code, key in enumerate(SEXES):
        titles = np.array(script.honorifics[key], dtype=object)
        mask = (sex == code) & (pick >= 0)
        words[mask] = titles[pick[mask] % len(titles)]
    with_title = pc.binary_join_element_wise(_strings(words), name, " ")
    return pc.if_else(pa.array(pick >= 0), with_title, name)


def _original(script: Script, family: Ints, given: Ints, keep: npt.NDArray[np.bool_]) -> pa.Array:
    if script.latin_only:
        return pa.nulls(len(given), pa.string())
    giv = script.given.native[given]
    if script.family is not None:
        fam = _strings(script.family.native[family])
        pair = (fam, _strings(giv)) if script.family_first else (_strings(giv), fam)
        joined = pc.binary_join_element_wise(*pair, " ")
    else:
        joined = _strings(giv)
    return pc.if_else(pa.array(keep), joined, pa.scalar(None, pa.string()))
