"""Dates of birth as they are reported: partial, in the Buddhist era, or only an age.

One report gives 1974-01-25, another 1974-01, a third only "2517" (Thai Buddhist era, CE + 543)
or an age at detection. :func:`parse_birth` keeps what is known and how precisely, so that
linkage can say "agree as far as both know" rather than "differ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

BUDDHIST_ERA_OFFSET = 543
BE_MIN_YEAR = 2400  # a Gregorian year of birth is never this large; a Buddhist-era one is
MIN_YEAR, MAX_YEAR = 1880, 2100

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")


class Precision(IntEnum):
    """How much of a date of birth is known."""

    AGE = 0  # derived from an age: the year is +-1
    YEAR = 1
    MONTH = 2
    DAY = 3


@dataclass(frozen=True)
class BirthDate:
    """A (partial) date of birth: year always, month and day when known."""

    year: int
    month: int | None = None
    day: int | None = None
    precision: Precision = Precision.YEAR

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the precision that is known)."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


class BadDate(ValueError):
    """A date of birth that cannot be read."""


def gregorian_year(year: int) -> int:
    """A year in the Common Era: Thai Buddhist-era years (2400 and later) lose 543."""
    return year - BUDDHIST_ERA_OFFSET if year >= BE_MIN_YEAR else year


def _checked(year: int, month: int | None, day: int | None) -> BirthDate:
    year = gregorian_year(year)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadDate(f"year {year} is out of range")
    if month is not None and day is not None:
        try:
            date(year, month, day)
        except ValueError as exc:
            raise BadDate(str(exc)) from None
        return BirthDate(year, month, day, Precision.DAY)
    if month is not None:
        if not 1 <= month <= 12:
            raise BadDate(f"month {month} is out of range")
        return BirthDate(year, month, None, Precision.MONTH)
    return BirthDate(year)


def parse_birth(text: str | None) -> BirthDate | None:
    """Read ``YYYY[-MM[-DD]]``, ``YYYYMMDD``, ``DD/MM/YYYY`` or ``MM/YYYY`` (BE years accepted).

    Returns ``None`` for an empty value; raises :class:`BadDate` for one that cannot be read.
    """
    text = (text or "").strip()
    if not text:
        return None
    if m := _ISO.match(text):
        y, mo, d = m.groups()
        return _checked(int(y), int(mo) if mo else None, int(d) if d else None)
    if m := _COMPACT.match(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(text):
        return _checked(int(m[3]), int(m[2]), int(m[1]))
    if m := _MY.match(text):
        return _checked(int(m[2]), int(m[1]), None)
    raise BadDate(f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def birth_from_age(age: int, on: date) -> BirthDate:
    """The year of birth implied by an age at a date (precision AGE: plus or minus one)."""
    return BirthDate(on.year - age, precision=Precision.AGE)


def best_birth(birth_date: str | None, birth_year: str | None = None) -> BirthDate | None:
    """The most precise of a reported date of birth and a separately reported year."""
    parsed = parse_birth(birth_date)
    if parsed is not None:
        return parsed
    year = (birth_year or "").strip()
    if not year:
        return None
    if not year.isdigit():
        raise BadDate(f"{year!r} is not a year")
    return _checked(int(year), None, None)
