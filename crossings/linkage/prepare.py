"""From person lists to the table the model compares: one row per record, every key computed.

Input is the person-list layout (``PERSON_COLUMNS``; any column but ``record_id`` may be empty
or absent). Work is done once per distinct value, not per row: a million records hold far
fewer distinct names, phones and dates, so keys are computed on the distinct values and mapped
back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from crossings.linkage.dates import BadDate, best_birth
from crossings.linkage.identifiers import document_key, phone_e164
from crossings.linkage.names import name_keys

PERSON_COLUMNS = ("record_id", "source", "full_name", "full_name_original", "birth_date",
                  "birth_year", "sex", "nationality", "phone", "document_number")
OPTIONAL_COLUMNS = ("aliases",)
SEXES = frozenset({"MALE", "FEMALE", "M", "F"})
UNKNOWN_CODES = frozenset({"", "UNKNOWN", "NOT_ASKED", "NOT_KNOWN", "NONE"})

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Problem:
    """One value that cannot be read: where it is and why."""

    row: int  # 1-based data row (the header is row 0)
    column: str
    value: str
    message: str


class BadInput(ValueError):
    """Input the linkage cannot use; ``problems`` says where (file, row, column)."""

    def __init__(self, problems: Sequence[Problem], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        where = f"{source}: " if source else ""
        super().__init__(f"{where}row {first.row}, column {first.column}: {first.message}{more}")


@dataclass
class _Distinct:
    """Distinct values of some columns and, per row, the index of its value."""

    values: list[tuple[Any, ...]] = field(default_factory=list)
    index: list[int] = field(default_factory=list)


def _distinct(columns: Sequence[list[Any]]) -> _Distinct:
    seen: dict[tuple[Any, ...], int] = {}
    out = _Distinct()
    for row in zip(*columns, strict=True):
        out.index.append(seen.setdefault(row, len(seen)))
    out.values = list(seen)
    return out


def _map(columns: Sequence[list[Any]], fn: Callable[..., V]) -> list[V]:
    """``fn`` applied to each distinct row of ``columns``, spread back to every row."""
    d = _distinct(columns)
    results = [fn(*v) for v in d.values]
    return [results[i] for i in d.index]


def _column(table: pa.Table, name: str) -> list[str | None]:
    if name not in table.column_names:
        return [None] * table.num_rows
    col = pc.utf8_trim_whitespace(table[name].cast(pa.string()))
    return [v or None for v in col.to_pylist()]


def _code(value: str | None) -> str | None:
    if value is None or value.strip().upper() in UNKNOWN_CODES:
        return None
    return value.strip().upper()


def _sex(value: str | None) -> str | None:
    code = _code(value)
    return code[0] if code in SEXES else None


def _country_of_source(source: str | None, record_id: str | None) -> str | None:
    for text in (source, record_id):
        head = (text or "")[:3].upper()
        if len(head) == 3 and head.isalpha():
            return head
    return None


def _births(table: pa.Table, problems: list[Problem]) -> list[Any]:
    def read(row: int, date_text: str | None, year_text: str | None) -> Any:
        try:
            return best_birth(date_text, year_text)
        except BadDate as exc:
            column = "birth_date" if date_text else "birth_year"
            problems.append(Problem(row, column, date_text or year_text or "", str(exc)))
            return None

    dates, years = _column(table, "birth_date"), _column(table, "birth_year")
    cache: dict[tuple[str | None, str | None], Any] = {}
    out = []
    for row, pair in enumerate(zip(dates, years, strict=True), start=1):
        if pair not in cache or (cache[pair] is None and any(pair)):
            cache[pair] = read(row, *pair)
        out.append(cache[pair])
    return out


def _check_ids(ids: list[str | None], problems: list[Problem]) -> None:
    seen: set[str] = set()
    for row, rid in enumerate(ids, start=1):
        if rid is None:
            problems.append(Problem(row, "record_id", "", "record_id is empty"))
        elif rid in seen:
            problems.append(Problem(row, "record_id", rid, f"record_id {rid!r} appears twice"))
        else:
            seen.add(rid)


def _name_columns(table: pa.Table) -> dict[str, pa.Array]:
    full, original = _column(table, "full_name"), _column(table, "full_name_original")
    keys = _map([full, original], name_keys)
    aliases = _column(table, "aliases")
    alias_keys = _map([aliases], lambda a: tuple(
        k for part in (a or "").split("|") if part.strip() for k in name_keys(part).phonetic))
    strings, lists = pa.string(), pa.list_(pa.string())
    return {
        "name_native": pa.array([k.native for k in keys], strings),
        "name_roman": pa.array([k.roman for k in keys], strings),
        "name_romans": pa.array([list(k.romans) or None for k in keys], lists),
        "name_phonetic": pa.array([list(k.phonetic) or None for k in keys], lists),
        "name_tokens": pa.array([list(k.tokens) or None for k in keys], lists),
        "name_key": pa.array([k.phonetic[0] if k.phonetic else None for k in keys], strings),
        "alias_keys": pa.array([list(a) or None for a in alias_keys], lists),
    }


def prepare_persons(table: pa.Table, source_name: str = "") -> pa.Table:
    """The model's input table from person-list rows; raises :class:`BadInput` on bad values."""
    problems: list[Problem] = []
    if "record_id" not in table.column_names:
        raise BadInput([Problem(0, "record_id", "", "the column record_id is missing")],
                       source_name)
    ids = _column(table, "record_id")
    _check_ids(ids, problems)
    births = _births(table, problems)
    if problems:
        raise BadInput(problems, source_name)
    sources = _column(table, "source")
    nationality = [_code(v) for v in _column(table, "nationality")]
    home = _map([sources, ids], _country_of_source)
    phones = _map([_column(table, "phone"), nationality, home], phone_e164)
    ints = pa.int32()
    columns: dict[str, pa.Array] = {
        "unique_id": pa.array(ids, pa.string()),
        "source": pa.array(sources, pa.string()),
        **_name_columns(table),
        "birth_year": pa.array([b.year if b else None for b in births], ints),
        "birth_month": pa.array([b.month if b else None for b in births], ints),
        "birth_day": pa.array([b.day if b else None for b in births], ints),
        "birth_precision": pa.array([int(b.precision) if b else None for b in births], ints),
        "sex": pa.array([_sex(v) for v in _column(table, "sex")], pa.string()),
        "nationality": pa.array(nationality, pa.string()),
        "phone": pa.array(phones, pa.string()),
        "document": pa.array(_map([_column(table, "document_number")], document_key),
                             pa.string()),
    }
    no_year = pc.is_null(columns["birth_year"])
    columns["name_key_noyear"] = pc.if_else(no_year, columns["name_key"],
                                            pa.scalar(None, pa.string()))
    return pa.table(columns)
