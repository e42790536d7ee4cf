"""Small vectorised helpers: codes with realistic gaps, partial dates, phones, numbers.

Every function takes and returns whole columns (numpy or pyarrow arrays), never single values.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Days = npt.NDArray[np.datetime64]
NULL = pa.scalar(None, pa.string())
GAPS = (0.04, 0.03, 0.04)
"""Default shares of UNKNOWN, NOT_ASKED and empty on optional coded fields (11 % in all)."""


def codes(names: Sequence[str], index: Ints) -> pa.Array:
    """The code names at ``index`` as a string column."""
    return pa.array(np.array(names, dtype=object)[index], pa.string())


def weighted(rng: np.random.Generator, weights: dict[str, float], n: int) -> pa.Array:
    """``n`` codes drawn with the given weights."""
    names = list(weights)
    p = np.array(list(weights.values()), dtype=float)
    return codes(names, rng.choice(len(names), size=n, p=p / p.sum()))


def gaps(rng: np.random.Generator, column: pa.Array,
         shares: tuple[float, float, float] = GAPS) -> pa.Array:
    """Replace some values by UNKNOWN, NOT_ASKED or nothing, so completeness can be measured."""
    u = rng.random(len(column))
    unknown, asked, empty = np.cumsum(shares)
    out = pc.if_else(pa.array(u < unknown), "UNKNOWN", column)
    out = pc.if_else(pa.array((u >= unknown) & (u < asked)), "NOT_ASKED", out)
    return pc.if_else(pa.array((u >= asked) & (u < empty)), NULL, out)


def blank(column: pa.Array, mask: Bools) -> pa.Array:
    """Empty the cells where ``mask`` is true."""
    return pc.if_else(pa.array(mask), pa.scalar(None, column.type), column)


def text(column: pa.Array | npt.NDArray[np.generic]) -> pa.Array:
    """Any column as text (numbers in their shortest form)."""
    arr = column if isinstance(column, pa.Array) else pa.array(column)
    return arr if arr.type == pa.string() else pc.cast(arr, pa.string())


def join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    """Element-wise concatenation; a null part makes the result null."""
    return pc.binary_join_element_wise(*parts, sep)


def join_codes(columns: Sequence[pa.Array]) -> pa.Array:
    """Several optional code columns as one ``A|B`` cell; empty when all are empty."""
    if not columns:
        raise ValueError("no columns")
    # null_handling="skip" drops all-null rows in pyarrow 26, so replace and tidy instead.
    joined = pc.binary_join_element_wise(*columns, "|", null_handling="replace")
    joined = pc.utf8_trim(pc.replace_substring_regex(joined, r"\|{2,}", "|"), "|")
    return pc.if_else(pc.equal(joined, ""), NULL, joined)


def optional_codes(rng: np.random.Generator, names: Sequence[str], p: Floats) -> list[pa.Array]:
    """For each code a column holding it where a draw with probability ``p[:, k]`` succeeds."""
    present = rng.random(p.shape) < p
    return [pc.if_else(pa.array(present[:, k]), name, NULL) for k, name in enumerate(names)]


def dates(days: Days) -> pa.Array:
    """Days as YYYY-MM-DD text."""
    return pc.cast(pa.array(days.astype("datetime64[D]")), pa.string())


def partial_dates(rng: np.random.Generator, days: Days, shares: tuple[float, float]) -> pa.Array:
    """Days written as YYYY-MM-DD, or YYYY-MM / YYYY with the given shares."""
    full = dates(days)
    u = rng.random(len(days))
    out = pc.if_else(pa.array(u < shares[0]), pc.utf8_slice_codeunits(full, 0, 7), full)
    return pc.if_else(pa.array(u >= 1 - shares[1]), pc.utf8_slice_codeunits(full, 0, 4), out)


def digits(values: Ints, width: int) -> pa.Array:
    """Numbers as zero-padded text of ``width`` digits."""
    return pc.utf8_lpad(pc.cast(pa.array(values), pa.string()), width, padding="0")


def phones(rng: np.random.Generator, cc: pa.Array, nsn: pa.Array) -> pa.Array:
    """Phone numbers written the ways officers write them: E.164, local, spaced, 00-prefixed."""
    u = rng.random(len(cc))
    e164 = join("+", cc, nsn)
    local = join("0", nsn)
    spaced = join("+", cc, " ", pc.utf8_slice_codeunits(nsn, 0, 2), " ",
                  pc.utf8_slice_codeunits(nsn, 2, 5), " ", pc.utf8_slice_codeunits(nsn, 5, 20))
    local_dash = join("0", pc.utf8_slice_codeunits(nsn, 0, 2), "-",
                      pc.utf8_slice_codeunits(nsn, 2, 20))
    out = pc.if_else(pa.array(u < 0.5), e164, local)
    out = pc.if_else(pa.array((u >= 0.8) & (u < 0.9)), spaced, out)
    out = pc.if_else(pa.array((u >= 0.9) & (u < 0.95)), join("00", cc, nsn), out)
    return pc.if_else(pa.array(u >= 0.95), local_dash, out)


def rank_within(group: Ints) -> Ints:
    """0, 1, 2 ... within runs of equal values of a sorted ``group`` column."""
    if len(group) == 0:
        return np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    return np.arange(len(group), dtype=np.int64) - first


def repeat_index(counts: Ints) -> Ints:
    """For counts per parent, the parent index of every child row."""
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def round_price(amount: Floats) -> Floats:
    """Round to two significant digits, as prices are quoted (7,342 -> 7,300)."""
    scale = 10.0 ** (np.floor(np.log10(np.maximum(amount, 1.0))) - 1)
    return np.maximum(np.round(amount / scale) * scale, 1.0)


def imo_numbers(base: Ints) -> pa.Array:
    """IMO ship numbers: six digits (from ``base``) and their check digit."""
    six = 900000 + base % 100000
    check = np.zeros(len(six), dtype=np.int64)
    for pos, weight in enumerate(range(7, 1, -1)):
        check += (six // 10 ** (5 - pos)) % 10 * weight
    return digits(six * 10 + check % 10, 7)
