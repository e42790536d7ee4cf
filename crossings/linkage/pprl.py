"""Privacy-preserving record linkage across borders: CLK Bloom-filter encodings.

Two countries link their persons without exchanging names. Each encodes every person into a
cryptographic long-term key (CLK; Schnell, Bachteler & Reiher 2009, as in clkhash): the
romanised name's bigrams, its phonetic keys, the year / month / day of birth and the sex are
each hashed into a 1024-bit Bloom filter with HMAC-SHA256 under a secret the two countries
share (and nobody else, the hub included). The hub, or the other country, compares filters by
their Dice coefficient and pairs them one-to-one, strongest first.

**What leaves the country:** for each person, an opaque id (an HMAC of the record id under the
same secret, so the sender can map answers back and the receiver learns nothing from it) and
the filter, base64. Never a name, a date, a document or a phone number; :func:`encode` takes
prepared keys, never raw rows, and the test-suite checks no name appears in its output.

Hardening: keyed hashing, so nobody without the secret can test guessed names against the
filters; several romanisations per name, so no one spelling dominates the bits. Plain CLKs
remain open to frequency attacks by a party holding many filters: agree a secret per exchange
and rotate it, and send encodings of persons of interest rather than whole registers.
clkhash/anonlink were checked (linkage.md) but pin
numpy<2 and cryptography<41, which this project cannot take; this module is the ~100 lines
of the same scheme on numpy.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

BITS = 1024
NAME_HASHES = 20
DATE_HASHES = 30
SEX_HASHES = 10


@dataclass(frozen=True)
class PersonFeatures:
    """What is encoded of one person (already normalised; see :func:`features_of`)."""

    record_id: str
    romans: tuple[str, ...]
    phonetic: tuple[str, ...]
    birth: tuple[int | None, int | None, int | None]
    sex: str | None


@dataclass(frozen=True)
class Encoding:
    """The filter of one person and its opaque id: all that crosses the border."""

    pseudonym: str
    clk: bytes

    def to_row(self) -> dict[str, str]:
        """The exchange form: ``{"pseudonym": ..., "clk": base64}``."""
        return {"pseudonym": self.pseudonym, "clk": base64.b64encode(self.clk).decode()}

    @classmethod
    def from_row(cls, row: dict[str, str]) -> Encoding:
        """Read back :meth:`to_row`."""
        return cls(row["pseudonym"], base64.b64decode(row["clk"]))


def features_of(prepared: pa.Table) -> list[PersonFeatures]:
    """What :func:`encode` needs, from the model's prepared table (see :mod:`.prepare`)."""
    out = []
    for row in prepared.select(["unique_id", "name_romans", "name_phonetic", "birth_year",
                                "birth_month", "birth_day", "sex"]).to_pylist():
        out.append(PersonFeatures(
            row["unique_id"], tuple(row["name_romans"] or ()), tuple(row["name_phonetic"] or ()),
            (row["birth_year"], row["birth_month"], row["birth_day"]), row["sex"]))
    return out


def bigrams(text: str) -> list[str]:
    """Character bigrams of a padded string: ``'sok'`` -> ``['_s', 'so', 'ok', 'k_']``."""
    padded = f"_{text}_"
    return [padded[i:i + 2] for i in range(len(padded) - 1)]


def _positions(secret: bytes, token: str, k: int) -> list[int]:
    """k bit positions for a token by keyed double hashing."""
    digest = hmac.new(secret, token.encode(), hashlib.sha256).digest()
    h1 = int.from_bytes(digest[:8], "big")
    h2 = int.from_bytes(digest[8:16], "big") | 1
    return [(h1 + i * h2) % BITS for i in range(k)]


def _tokens(person: PersonFeatures) -> Iterable[tuple[str, int]]:
    for roman in person.romans:
        for word in roman.split():
            yield from ((f"n:{g}", NAME_HASHES) for g in bigrams(word))
    for key in person.phonetic:
        yield f"p:{key}", NAME_HASHES
    year, month, day = person.birth
    if year is not None:
        yield f"y:{year}", DATE_HASHES
        if month is not None:
            yield f"m:{month}", DATE_HASHES // 2
            if day is not None:
                yield f"d:{day}", DATE_HASHES // 2
    if person.sex:
        yield f"s:{person.sex}", SEX_HASHES


def pseudonym(record_id: str, secret: bytes) -> str:
    """An opaque, stable id for a record under a secret (HMAC-SHA256, 24 hex digits)."""
    return hmac.new(secret, b"id:" + record_id.encode(), hashlib.sha256).hexdigest()[:24]


def encode(people: Iterable[PersonFeatures], secret: bytes) -> list[Encoding]:
    """CLK encodings of people under ``secret`` (at least 16 bytes)."""
    if len(secret) < 16:
        raise ValueError("the shared secret must be at least 16 bytes")
    out = []
    for person in people:
        bits = np.zeros(BITS, dtype=np.uint8)
        for token, k in _tokens(person):
            bits[_positions(secret, token, k)] = 1
        out.append(Encoding(pseudonym(person.record_id, secret), np.packbits(bits).tobytes()))
    return out


def _matrix(encodings: Sequence[Encoding]) -> npt.NDArray[np.uint64]:
    raw = b"".join(e.clk for e in encodings)
    return np.frombuffer(raw, dtype=np.uint64).reshape(len(encodings), BITS // 64)


def dice_matrix(left: Sequence[Encoding], right: Sequence[Encoding]) -> npt.NDArray[np.float64]:
    """Dice coefficients of every left filter with every right one."""
    a, b = _matrix(left), _matrix(right)
    count_a = np.bitwise_count(a).sum(axis=1).astype(np.float64)
    count_b = np.bitwise_count(b).sum(axis=1).astype(np.float64)
    out = np.empty((len(left), len(right)), dtype=np.float64)
    for start in range(0, len(left), 256):
        block = a[start:start + 256, None, :] & b[None, :, :]
        common = np.bitwise_count(block).sum(axis=2).astype(np.float64)
        out[start:start + 256] = 2 * common / (count_a[start:start + 256, None] + count_b[None])
    return out


def match_encodings(left: Sequence[Encoding], right: Sequence[Encoding],
                    threshold: float = 0.8) -> list[tuple[str, str, float]]:
    """One-to-one pairs ``(left pseudonym, right pseudonym, dice)`` at or above threshold.

    Greedy: the strongest pair first, each filter used once (as anonlink's greedy solver).
    """
    if not left or not right:
        return []
    dice = dice_matrix(left, right)
    rows, cols = np.nonzero(dice >= threshold)
    order = np.argsort(-dice[rows, cols], kind="stable")
    used_l: set[int] = set()
    used_r: set[int] = set()
    pairs = []
    for i, j in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if i not in used_l and j not in used_r:
            used_l.add(i)
            used_r.add(j)
            pairs.append((left[i].pseudonym, right[j].pseudonym, round(float(dice[i, j]), 4)))
    return pairs
