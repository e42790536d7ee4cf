"""Parsing one cell into a typed value, one function per value type of the standard.

Cells arrive as text (CSV), as native values (XLSX, JSON) or as nothing. Each parser returns the
clean value or raises :class:`BadValue` naming the rule broken. Digits in Khmer, Thai, Lao and
Burmese script are read as digits; dates may be Excel serial numbers or Thai Buddhist-era years
when the caller says the file uses them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crossings.standard.model import MISSING_VALUES, MULTI_SEPARATOR, CodeList, Field
from crossings.standard.problems import rule

BUDDHIST_ERA_OFFSET = 543
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (3000, 80000)  # 1908 .. 2119: anything else is not a serial date

R_REQUIRED = rule("REQUIRED_MISSING", "{label} is required but empty.",
                  "Fill it in; write UNKNOWN if it is not known or NOT_ASKED if nobody asked.")
R_INTEGER = rule("NOT_A_WHOLE_NUMBER", "{label} must be a whole number; found '{value}'.",
                 "Write digits only, e.g. 12.")
R_DECIMAL = rule("NOT_A_NUMBER", "{label} must be a number; found '{value}'.",
                 "Write digits with . as decimal mark, e.g. 1500.50.")
R_MIN = rule("BELOW_MINIMUM", "{label} must be at least {minimum}; found {value}.",
             "Check the number; counts cannot be negative.")
R_MAX = rule("ABOVE_MAXIMUM", "{label} must be at most {maximum}; found {value}.",
             "Check the number for a typing error.")
R_LONG = rule("TOO_LONG", "{label} is longer than {max_length} characters.",
              "Shorten it, or put the details in the narrative.")
R_TEXT = rule("INVALID_TEXT", "{label} contains control characters.",
              "Remove invisible characters (copy the text again from its source).")
R_DATE = rule("INVALID_DATE", "{label} is not a valid date: '{value}'.",
              "Write YYYY-MM-DD (e.g. 2025-03-31){partial}.")
R_BE = rule("DATE_LOOKS_BUDDHIST_ERA",
            "{label} has year {year}, which looks like a Thai Buddhist-era year (CE {ce}).",
            "Write the CE year, or set `buddhist_era: true` in the mapping file.")
R_FUTURE = rule("DATE_IN_FUTURE", "{label} ({value}) is in the future.",
                "Check the year and the order of day and month.")
R_PERIOD = rule("INVALID_PERIOD", "{label} must be a month YYYY-MM; found '{value}'.",
                "Write e.g. 2025-06.")
R_CODE = rule("UNKNOWN_CODE", "'{value}' is not a code of the list '{codelist}' for {label}.",
              "Use one of: {choices}.")
R_COUNTRY = rule("UNKNOWN_COUNTRY",
                 "'{value}' is not an ISO 3166-1 alpha-3 country code ({label}).",
                 "Use three letters, e.g. KHM for Cambodia{suggestion}; or map your codes in the "
                 "mapping file.")
R_CURRENCY = rule("UNKNOWN_CURRENCY", "'{value}' is not an ISO 4217 currency code ({label}).",
                  "Use three letters, e.g. THB, KHR, USD.")
R_REFERENCE = rule("INVALID_REFERENCE", "{label} '{value}' is not a valid reference.",
                   "Use letters, digits and - _ . / : only, at most 64 characters.")
R_UNIT = rule("INVALID_UNIT_CODE", "{label} '{value}' is not a unit code.",
              "Unit codes look like KHM-BLO-POIPET (country-kind-place).")
R_PHONE = rule("INVALID_PHONE", "{label} '{value}' is not a phone number.",
               "Write 6 to 15 digits, best in international form: +855 12 345 678.")
R_IMO = rule("INVALID_IMO", "{label} '{value}' is not a valid IMO number.",
             "An IMO number has 7 digits and its last digit is a check digit; copy it again.")
R_MMSI = rule("INVALID_MMSI", "{label} '{value}' is not a valid MMSI.", "An MMSI has 9 digits.")

_DIGIT_BLOCKS = (0x0E50, 0x0ED0, 0x17E0, 0x1040, 0x1090, 0xFF10, 0x0660, 0x06F0, 0x0966)
DIGITS = str.maketrans({chr(base + i): str(i) for base in _DIGIT_BLOCKS for i in range(10)})
REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/\-]{0,63}$")
UNIT_RE = re.compile(r"^[A-Z]{3}-[A-Z]{2,4}-[A-Z0-9_]{2,40}$")
PHONE_STRIP_RE = re.compile(r"[\s\-().]")
PHONE_RE = re.compile(r"^\+?\d{6,15}$")
THOUSANDS_RE = re.compile(r"^-?\d{1,3}(,\d{3})+$")
# Control characters (but tab and newline), surrogates and private-use code points.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")
NEUTRALISED_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class ParseOptions:
    """How to read the cells of one file; set by its mapping."""

    buddhist_era: bool = False
    date_format: str | None = None
    today: dt.date | None = None
    latest_date: dt.date = dt.date.min

    def __post_init__(self) -> None:
        # Dates after this day are in the future; fixed once per file, not looked up per cell.
        object.__setattr__(self, "latest_date", self.today or dt.date.today())


class BadValue(Exception):
    """A cell broke a rule; ``params`` fill the rule's message."""

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(code)


Parser = Callable[[Any, Field, ParseOptions, "CodeList | None"], Any]


def is_empty(raw: Any) -> bool:
    """None, NaN and blank text are empty; 0 and UNKNOWN are values."""
    if raw is None:
        return True
    if isinstance(raw, float):
        return math.isnan(raw)
    return isinstance(raw, str) and not raw.strip()


def ascii_digits(text: str) -> str:
    """Khmer, Thai, Lao, Burmese (and full-width) digits as ASCII digits."""
    return text if text.isascii() else text.translate(DIGITS)


def parse_integer(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> int:
    if raw.__class__ is str and raw.isdigit() and raw.isascii():  # the common case, fast
        value = int(raw)
        _check_range(value, fld)
        return value
    if isinstance(raw, bool):
        raise BadValue(R_INTEGER.code)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise BadValue(R_INTEGER.code)
        value = int(raw)
    else:
        text = ascii_digits(str(raw).strip())
        if THOUSANDS_RE.match(text):
            text = text.replace(",", "")
        if text.endswith(".0"):
            text = text[:-2]
        try:
            value = int(text)
        except ValueError:
            raise BadValue(R_INTEGER.code) from None
    _check_range(value, fld)
    return value


def parse_decimal(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> float:
    if isinstance(raw, bool):
        raise BadValue(R_DECIMAL.code)
    text = raw if isinstance(raw, int | float) else ascii_digits(str(raw).strip())
    if isinstance(text, str) and THOUSANDS_RE.match(text.split(".")[0]):
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        raise BadValue(R_DECIMAL.code) from None
    if not math.isfinite(value):
        raise BadValue(R_DECIMAL.code)
    _check_range(value, fld)
    return value


def _check_range(value: float, fld: Field) -> None:
    minimum, maximum = fld.minimum, fld.maximum
    if minimum is not None and value < minimum:
        raise BadValue(R_MIN.code, minimum=minimum)
    if maximum is not None and value > maximum:
        raise BadValue(R_MAX.code, maximum=maximum)


def parse_text(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    text = str(raw).strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if text[:1] == "'" and text[1:2] in NEUTRALISED_STARTS:
        text = text[1:]  # the apostrophe Crossings' own exports put before formula-like text
    if CONTROL_RE.search(text):
        raise BadValue(R_TEXT.code)
    if fld.max_length is not None and len(text) > fld.max_length:
        raise BadValue(R_LONG.code, max_length=fld.max_length)
    return text


def parse_texts(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> list[str]:
    return [parse_text(part, fld, opts, cl) for part in _split(raw)]


def _split(raw: Any) -> list[Any]:
    parts = raw if isinstance(raw, list | tuple) else str(raw).split(MULTI_SEPARATOR)
    return [p for p in parts if not is_empty(p)]


def parse_code(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    assert cl is not None
    code = str(raw).strip()
    if code in cl.codes:
        return code
    upper = code.upper().replace(" ", "_").replace("-", "_")
    if upper in cl.codes:
        return upper
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # Codes such as ICCS 08051 lose their leading zero in spreadsheets.
        padded = [c for c in cl.codes if c.lstrip("0") == str(int(raw))]
        if len(padded) == 1:
            return padded[0]
    choices = ", ".join(list(cl.codes)[:12]) + (" ..." if len(cl.codes) > 12 else "")
    raise BadValue(R_CODE.code, codelist=cl.name, choices=choices)


def parse_codes(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> list[str]:
    return list(dict.fromkeys(parse_code(part, fld, opts, cl) for part in _split(raw)))


def parse_country(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    assert cl is not None
    code = str(raw).strip().upper()
    if code in cl.codes:
        return code
    raise BadValue(R_COUNTRY.code, suggestion=_country_suggestion(code))


def _country_suggestion(code: str) -> str:
    import pycountry  # noqa: PLC0415 - only on the error path

    found = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if found is None:
        try:
            found = pycountry.countries.lookup(code)
        except LookupError:
            return ""
    return f" ('{code}' is {found.name}: {found.alpha_3})"


def parse_currency(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    assert cl is not None
    code = str(raw).strip().upper()
    if code in cl.codes:
        return code
    raise BadValue(R_CURRENCY.code)


def parse_reference(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
    text = ascii_digits(text)
    if not REFERENCE_RE.match(text):
        raise BadValue(R_REFERENCE.code)
    return text


def parse_unit(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    text = str(raw).strip().upper()
    if not UNIT_RE.match(text):
        raise BadValue(R_UNIT.code)
    return text


def parse_phone(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = PHONE_STRIP_RE.sub("", ascii_digits(str(raw).strip()))
    if text.startswith("00"):
        text = "+" + text[2:]
    if not PHONE_RE.match(text):
        raise BadValue(R_PHONE.code)
    return text


def parse_phones(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> list[str]:
    return list(dict.fromkeys(parse_phone(part, fld, opts, cl) for part in _split(raw)))


def parse_imo(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    text = ascii_digits(str(int(raw) if isinstance(raw, float) else raw).strip().upper())
    text = text.removeprefix("IMO").strip()
    if not (len(text) == 7 and text.isascii() and text.isdigit()):
        raise BadValue(R_IMO.code)
    check = sum(int(d) * w for d, w in zip(text[:6], range(7, 1, -1), strict=True)) % 10
    if check != int(text[6]):
        raise BadValue(R_IMO.code)
    return text


def parse_mmsi(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    text = ascii_digits(str(int(raw) if isinstance(raw, float) else raw).strip())
    if not (len(text) == 9 and text.isascii() and text.isdigit()):
        raise BadValue(R_MMSI.code)
    return text


def parse_date(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    return _date(raw, opts, partial=False)


def parse_partial_date(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    return _date(raw, opts, partial=True)


def parse_period(raw: Any, fld: Field, opts: ParseOptions, cl: CodeList | None) -> str:
    if isinstance(raw, dt.date):
        year, month = raw.year, raw.month
    else:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", ascii_digits(str(raw).strip()))
        if not match:
            raise BadValue(R_PERIOD.code)
        year, month = int(match[1]), int(match[2])
    year = _era(year, opts)
    if not 1 <= month <= 12:
        raise BadValue(R_PERIOD.code)
    latest = opts.latest_date
    if (year, month) > (latest.year, latest.month):
        raise BadValue(R_FUTURE.code)
    return f"{year:04d}-{month:02d}"


def _era(year: int, opts: ParseOptions) -> int:
    if opts.buddhist_era:
        return year - BUDDHIST_ERA_OFFSET
    if year > opts.latest_date.year + 400:
        raise BadValue(R_BE.code, year=year, ce=year - BUDDHIST_ERA_OFFSET)
    return year


def _date(raw: Any, opts: ParseOptions, *, partial: bool) -> str:
    hint = ", or YYYY-MM / YYYY when only that is known" if partial else ""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return _finish(_era(raw.year, opts), raw.month, raw.day, opts, hint)
    text = ascii_digits(str(raw).strip())
    if re.fullmatch(r"\d{4,5}(\.0+)?", text) and not (partial and len(text) == 4):
        serial = int(float(text))
        if EXCEL_SERIAL_RANGE[0] <= serial <= EXCEL_SERIAL_RANGE[1]:
            serial_day = EXCEL_EPOCH + dt.timedelta(days=serial)
            return _finish(serial_day.year, serial_day.month, serial_day.day, opts, hint)
    if opts.date_format:
        try:
            parsed = dt.datetime.strptime(text, opts.date_format).date()
        except ValueError:
            raise BadValue(R_DATE.code, partial=hint) from None
        return _finish(_era(parsed.year, opts), parsed.month, parsed.day, opts, hint)
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+Z?)?", text)
    if not match or (not partial and match[3] is None):
        raise BadValue(R_DATE.code, partial=hint)
    month = int(match[2]) if match[2] else None
    day = int(match[3]) if match[3] else None
    return _finish(_era(int(match[1]), opts), month, day, opts, hint)


def _finish(year: int, month: int | None, day: int | None, opts: ParseOptions, hint: str) -> str:
    try:
        first = dt.date(year, month or 1, day or 1)
    except ValueError:
        raise BadValue(R_DATE.code, partial=hint) from None
    if first > opts.latest_date:
        raise BadValue(R_FUTURE.code)
    if day is not None:
        return first.isoformat()
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


PARSERS: dict[str, Parser] = {
    "integer": parse_integer, "decimal": parse_decimal, "text": parse_text,
    "texts": parse_texts, "code": parse_code, "codes": parse_codes, "country": parse_country,
    "currency": parse_currency, "reference": parse_reference, "unit": parse_unit,
    "phone": parse_phone, "phones": parse_phones, "imo": parse_imo, "mmsi": parse_mmsi,
    "date": parse_date, "partial_date": parse_partial_date, "period": parse_period,
}
"""One parser per value type of the standard; a test checks none is missing."""


def is_missing_code(value: Any) -> bool:
    """UNKNOWN and NOT_ASKED: values that say a fact is not known."""
    return value in MISSING_VALUES
