"""Dates of birth with their precision, phones in E.164, plates, IMO and MMSI numbers."""

from __future__ import annotations

import pytest

from crossings.linkage.dates import BadDate, BirthDate, Precision, best_birth, parse_birth
from crossings.linkage.identifiers import (
    document_key,
    imo_key,
    mmsi_key,
    phone_e164,
    plate_key,
    text_key,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("1974-01-25", BirthDate(1974, 1, 25, Precision.DAY)),
    ("1974-01", BirthDate(1974, 1, None, Precision.MONTH)),
    ("1974", BirthDate(1974)),
    ("25/01/1974", BirthDate(1974, 1, 25, Precision.DAY)),
    ("19740125", BirthDate(1974, 1, 25, Precision.DAY)),
    ("2517-01-25", BirthDate(1974, 1, 25, Precision.DAY)),  # Thai Buddhist era
    ("2517", BirthDate(1974)),
])
def test_partial_dates_keep_their_precision(text, expected):
    assert parse_birth(text) == expected


def test_a_year_alone_and_an_empty_date():
    assert best_birth("", "2519") == BirthDate(1976)
    assert best_birth(None, None) is None
    assert BirthDate(1974, 1).iso() == "1974-01"


@pytest.mark.parametrize("bad", ["1974-13-01", "31/02/1990", "soon", "1200"])
def test_impossible_dates_are_refused(bad):
    with pytest.raises(BadDate):
        parse_birth(bad)


@pytest.mark.parametrize(("raw", "countries", "e164"), [
    ("077576080", ("KHM",), "+85577576080"),
    ("+855 99 212 975", (), "+85599212975"),
    ("0066619301536", ("LAO",), "+66619301536"),
    ("080-6548452", ("THA",), "+66806548452"),
    ("02095473620", ("THA",), "+8562095473620"),  # a Lao number written the Lao way
])
def test_phones_become_e164(raw, countries, e164):
    assert phone_e164(raw, *countries) == e164


def test_no_phone_from_letters():
    assert phone_e164("none", "KHM") is None and phone_e164(None) is None


def test_imo_numbers_are_checked():
    assert imo_key("IMO 9310616") == "9310616"
    assert imo_key("9310617") is None  # wrong check digit


def test_mmsi_needs_a_ship_mid():
    assert mmsi_key("574945819") == "574945819"
    assert mmsi_key("111945819") is None and mmsi_key("57494581") is None


def test_plates_lose_separators_but_keep_thai_vowels():
    assert plate_key("ผล 0653 กรุงเทพมหานคร") == "ผล0653กรุงเทพมหานคร"
    assert plate_key("SR 3H-9503") == plate_key("sr3h9503") == "SR3H9503"


def test_text_keys():
    assert text_key("Bình An 6") == "BINHAN6"
    assert document_key("n 769-6862") == "N7696862"
