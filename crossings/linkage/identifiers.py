"""Identifiers written many ways: phones (E.164), plates, IMO and MMSI numbers, documents.

Phones use Google's libphonenumber (``phonenumbers``): it knows each country's trunk prefix
("077 576 080" in Cambodia is +85577576080) and international prefixes ("0066...", "001...").
A local number is read in the region of the person's nationality, then of the reporting
country. Vessel numbers carry their own checks: an IMO number has a check digit, an MMSI a
Maritime Identification Digit (201-775 for ships).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers
import pycountry
from anyascii import anyascii

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_DIGITS = re.compile(r"\D+")
MMSI_MID_RANGE = (201, 775)
# Tried, after the countries given, for numbers written without a country code: a foreign
# phone is often written the way its owner's country writes it ("020 9547 3620" in Laos).
REGION = ("KH", "TH", "LA", "MM", "VN", "MY", "ID", "BD", "PH", "SG", "CN")


@lru_cache(maxsize=4096)
def alpha2(country: str | None) -> str | None:
    """ISO alpha-2 of an ISO alpha-3 code (``'KHM'`` -> ``'KH'``), ``None`` when unknown."""
    if not country:
        return None
    code = country.strip().upper()
    if len(code) == 2:
        return code
    found = pycountry.countries.get(alpha_3=code)
    return str(found.alpha_2) if found else None


@lru_cache(maxsize=500_000)
def _e164(raw: str, region: str | None, strict: bool) -> str | None:
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    ok = phonenumbers.is_valid_number if strict else phonenumbers.is_possible_number
    if not ok(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def phone_e164(raw: str | None, *countries: str | None) -> str | None:
    """A phone number in E.164 (``+85577576080``), or ``None`` if it cannot be one.

    ``countries`` (alpha-3 or alpha-2) are tried in order for numbers written without a
    country code, then the countries of the region (``REGION``): the first region in which
    the number is valid wins; failing that, the first given region in which it is possible
    (numbering plans change faster than libphonenumber's metadata).
    """
    if not raw or not _DIGITS.sub("", raw):
        return None
    given = [r for r in (alpha2(c) for c in countries) if r]
    for region in dict.fromkeys([*given, *REGION]):
        if (found := _e164(raw, region, True)) is not None:
            return found
    fallback: list[str | None] = list(given) or [None]
    for loose in fallback:
        if (found := _e164(raw, loose, False)) is not None:
            return found
    return None


def plate_key(raw: str | None) -> str | None:
    """A vehicle plate without spaces, dashes, dots or slashes, upper-case (scripts kept)."""
    if not raw:
        return None
    # Drop separators only (categories P, Z, S, C): Thai and Lao vowel signs are marks (Mn)
    # and part of the plate; a \\W-style regex would delete them.
    key = "".join(c for c in unicodedata.normalize("NFC", raw)
                  if unicodedata.category(c)[0] not in "PZSC").upper()
    return key or None


def text_key(raw: str | None) -> str | None:
    """A name-like value (vessel name, account) in upper-case ASCII letters and digits only."""
    if not raw:
        return None
    key = _NOT_ALNUM.sub("", anyascii(raw)).upper()
    return key or None


def imo_valid(number: str) -> bool:
    """Whether seven digits form an IMO ship number (weights 7..2, last digit checks)."""
    if len(number) != 7 or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(number[6])


def imo_key(raw: str | None) -> str | None:
    """The seven digits of a valid IMO number (``'IMO 9310616'`` -> ``'9310616'``), else None."""
    if not raw:
        return None
    digits = _DIGITS.sub("", raw)
    return digits if imo_valid(digits) else None


def mmsi_key(raw: str | None) -> str | None:
    """Nine MMSI digits whose first three are a ship's Maritime Identification Digits."""
    if not raw:
        return None
    digits = _DIGITS.sub("", raw)
    if len(digits) != 9 or not MMSI_MID_RANGE[0] <= int(digits[:3]) <= MMSI_MID_RANGE[1]:
        return None
    return digits


def document_key(raw: str | None) -> str | None:
    """A document number without separators, upper-case: ``'n 769-6862'`` -> ``'N7696862'``."""
    return text_key(raw)
