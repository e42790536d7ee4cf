"""Indicators computed on the analytical store: counts by any breakdown, with their base.

Every figure carries ``n_incidents``: how many incidents (for aggregate returns: how many return
rows) it rests on. Selection of the incidents:

* ``country`` with ``flow="reported"`` (default): incidents reported by that country;
  ``flow="from" | "through" | "to"``: incidents of any reporter whose route starts in, passes
  through, or ends in that country (route rule: :mod:`crossings.analysis.flatten`).
* ``period``: a year, half-year, quarter or month of the detection date. Incidents dated only to
  the year are counted in yearly figures and left out of sub-year ones (the data-quality table
  says how many).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crossings.analysis.queries import (
    FEE_STATS,
    MEASURES,
    OWN,
    WIDE,
    Dimension,
    Measure,
    UnknownBreakdown,
    dimension,
)
from crossings.analysis.store import AnalyticsStore

FLOWS = ("reported", "from", "through", "to")
EMPTY = "EMPTY"
"""The code shown for a breakdown that the record left empty (distinct from UNKNOWN)."""
PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$")
COUNTRY_PATTERN = re.compile(r"^[A-Z]{3}$")


class BadRequest(ValueError):
    """An indicator request that cannot be answered (unknown name, period or breakdown)."""


@dataclass(frozen=True)
class Period:
    """A span of months within one year."""

    year: int
    first_month: int = 1
    last_month: int = 12
    label: str = ""

    @property
    def whole_year(self) -> bool:
        return (self.first_month, self.last_month) == (1, 12)

    def shifted(self, months: int) -> Period:
        """The period of the same length ``months`` later (negative: earlier)."""
        start = self.year * 12 + self.first_month - 1 + months
        length = self.last_month - self.first_month
        year, first = divmod(start, 12)
        return parse_period(_label(year, first + 1, first + 1 + length))

    def previous(self) -> Period:
        """The period just before, of the same length (2025-Q1 -> 2024-Q4)."""
        return self.shifted(-(self.last_month - self.first_month + 1))

    def last_year(self) -> Period:
        """The same period one year earlier."""
        return self.shifted(-12)


def _label(year: int, first: int, last: int) -> str:
    if (first, last) == (1, 12):
        return str(year)
    if last - first == 5:
        return f"{year}-H{(first - 1) // 6 + 1}"
    if last - first == 2:
        return f"{year}-Q{(first - 1) // 3 + 1}"
    return f"{year}-{first:02d}"


def parse_period(text: str) -> Period:
    """``2025``, ``2025-H1``, ``2025-Q3`` or ``2025-03`` as a :class:`Period`."""
    match = PERIOD_PATTERN.match(text.strip())
    if not match:
        raise BadRequest(f"'{text}' is not a period: write 2025, 2025-H1, 2025-Q3 or 2025-03")
    year, part = int(match[1]), match[2]
    if part is None:
        first, last = 1, 12
    elif part.startswith("H"):
        first = 1 + 6 * (int(part[1]) - 1)
        last = first + 5
    elif part.startswith("Q"):
        first = 1 + 3 * (int(part[1]) - 1)
        last = first + 2
    else:
        first = last = int(part)
        if not 1 <= first <= 12:
            raise BadRequest(f"'{text}': the month must be 01 to 12")
    return Period(year, first, last, _label(year, first, last))


@dataclass(frozen=True)
class Filters:
    """Which incidents an indicator counts."""

    country: str | None = None
    flow: str = "reported"
    period: Period | None = None
    where: tuple[tuple[str, str], ...] = ()
    records: str = ""
    """A SQL condition over the home table ``t`` limiting the records a reader may count
    (built by :mod:`crossings.analysis.scope`, never from user input), and its parameters."""
    records_params: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        if self.flow not in FLOWS:
            raise BadRequest(f"flow must be one of {', '.join(FLOWS)}, not '{self.flow}'")
        if self.country is not None and not COUNTRY_PATTERN.match(self.country):
            raise BadRequest(f"'{self.country}' is not an ISO 3166-1 alpha-3 country code")


@dataclass
class IndicatorTable:
    """One indicator broken down: a frame of breakdown columns, values and ``n_incidents``."""

    indicator: str
    label: str
    unit: str
    iccs: str
    by: tuple[str, ...]
    frame: pd.DataFrame
    values: tuple[str, ...]
    filters: Filters
    additive: bool
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly view."""
        return {"indicator": self.indicator, "label": self.label, "unit": self.unit,
                "by": list(self.by), "additive": self.additive, "notes": self.notes,
                "rows": self.frame.astype(object).where(self.frame.notna(), None)
                .to_dict("records")}


@dataclass
class _Sql:
    select: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # breakdown columns of the rows
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)


def flow_condition(filters: Filters) -> str:
    """The SQL condition selecting incidents of ``filters.country`` for its flow."""
    return {"reported": "t.country = ?", "from": "i.origin = ?", "to": "i.destination = ?",
            "through": "list_contains(i.transit, ?)"}[filters.flow]


def _where(measure: Measure, filters: Filters, by: tuple[str, ...], sql: _Sql,
           shortcut: bool) -> None:
    if measure.where and not shortcut:
        sql.where.append(measure.where)
    if measure.name == "fees" and "fee_unit" not in by and "fee_unit" not in dict(filters.where):
        sql.where.append("t.fee_unit = 'PER_PERSON'")
    if filters.records:
        sql.where.append(f"({filters.records})")
        sql.params += list(filters.records_params)
    if filters.country:
        sql.where.append(flow_condition(filters))
        sql.params.append(filters.country)
    if filters.period:
        sql.where.append("t.year = ?")
        sql.params.append(filters.period.year)
        if not filters.period.whole_year:
            sql.where.append("t.month BETWEEN ? AND ?")
            sql.params += [filters.period.first_month, filters.period.last_month]
    for name, value in filters.where:
        dim = dimension(measure, name)
        if dim.multi:
            sql.where.append(f"list_contains({dim.expr}, ?)")
        else:
            sql.where.append(f"{dim.expr} = ?")
        sql.params.append(value)


def _breakdowns(dims: list[Dimension], sql: _Sql) -> list[str]:
    """Breakdown columns ``d_<name>`` of the rows query; returns the list-valued ones."""
    multi = []
    for dim in dims:
        if dim.name in WIDE:
            continue
        if dim.multi:
            sql.columns.append(f'{dim.expr} AS "d_{dim.name}"')
            multi.append(dim.name)
        else:
            sql.columns.append(f"coalesce(CAST({dim.expr} AS VARCHAR), '{EMPTY}') "
                             f'AS "d_{dim.name}"')
        sql.select.append(f't."d_{dim.name}" AS "{dim.name}"')
    return multi


def _unnested(rows: str, name: str) -> str:
    """Rows with one row per code of a list column (an empty list gives one EMPTY row).

    ``unnest`` in a SELECT list is much faster in DuckDB than a lateral join; one level per
    list column gives the cross product when there are several.
    """
    column = f'"d_{name}"'
    return (f"SELECT * REPLACE (unnest(CASE WHEN len(coalesce({column}, [])) = 0 "  # noqa: S608
            f"THEN ['{EMPTY}'] ELSE {column} END) AS {column}) FROM ({rows})")


def _values(measure: Measure, shortcut: bool, sql: _Sql) -> tuple[str, ...]:
    if measure.name == "fees":
        sql.select += [f'{expr} AS "{name}"' for name, expr in FEE_STATS.items()]
        sql.select.append("count(DISTINCT t.uid) AS n_incidents")
        return tuple(FEE_STATS)
    value, n = measure.shortcut if shortcut and measure.shortcut else (measure.value,
                                                                       measure.n_incidents)
    sql.select += [f"{value} AS value", f"{n} AS n_incidents"]
    return ("value",)


def _wide_sql(wide: str, names: list[str], rows: str) -> str:
    """Sex or age: counts per incident first, then per cell (exact n_incidents per code)."""
    keys = [f'"d_{name}"' for name in names]
    columns = {**WIDE[wide]}
    rest = " - ".join(f"coalesce(t.{c}, 0)" for c in columns.values())
    per_incident = [f'sum(t.{column}) AS "c_{code}"' for code, column in columns.items()]
    per_incident.append(f'sum(greatest(t.total - {rest}, 0)) AS "c_NOT_RECORDED"')
    codes = [*columns, "NOT_RECORDED"]
    outer = [f'sum("c_{code}") AS "v_{code}", count(*) FILTER (WHERE "c_{code}" > 0) '
             f'AS "n_{code}"' for code in codes]
    group = "".join(f"{k}, " for k in keys)
    inner = (f"SELECT {group}t.uid, {', '.join(per_incident)} FROM ({rows}) t "  # noqa: S608
             f"GROUP BY {group}t.uid")
    named = "".join(f'{k} AS "{name}", ' for k, name in zip(keys, names, strict=True))
    order = f" GROUP BY {', '.join(keys)} ORDER BY {', '.join(keys)}" if keys else ""
    return f"SELECT {named}{', '.join(outer)} FROM ({inner}){order}"  # noqa: S608


def build_sql(measure: Measure, filters: Filters, by: tuple[str, ...]) -> tuple[str, list[Any],
                                                                                 tuple[str, ...]]:
    """The SQL, its parameters and the value columns of one indicator request."""
    dims = [dimension(measure, name) for name in by]
    wide = [d.name for d in dims if d.name in WIDE and d.name in measure.wide]
    if len(wide) > 1:
        raise BadRequest("sex and age cannot be crossed: the records count them separately")
    own = any(not d.on_incident and d.name in _own_names(measure) for d in dims) or bool(wide)
    own = own or any(name in _own_names(measure) for name, _ in filters.where)
    shortcut = measure.shortcut is not None and not own
    home = "incidents" if shortcut else measure.table
    sql = _Sql()
    multi = _breakdowns(dims, sql)
    values = _values(measure, shortcut, sql)
    _where(measure, filters, by, sql, shortcut)
    # Every identifier comes from the catalogue; every value is a parameter.
    rows = f"SELECT {', '.join(['t.*', *sql.columns])} FROM {home} t"  # noqa: S608
    if home != "incidents" and any("i." in part for part in (*sql.columns, *sql.where)):
        rows += " JOIN incidents i ON i.uid = t.uid"
    if sql.where:
        rows += " WHERE " + " AND ".join(sql.where)
    if home == "incidents":
        rows = re.sub(r"\bi\.", "t.", rows)
    for name in multi:
        rows = _unnested(rows, name)
    names = [d.name for d in dims if d.name not in WIDE]
    if wide:
        text = _wide_sql(wide[0], names, rows)
    else:
        text = f"SELECT {', '.join(sql.select)} FROM ({rows}) t"  # noqa: S608
        if names:
            text += " GROUP BY ALL ORDER BY ALL"
        if home == "incidents":
            text = re.sub(r"\bi\.", "t.", text)
    return text, sql.params, values


def _own_names(measure: Measure) -> set[str]:
    return set(OWN[measure.table])


def _melt(frame: pd.DataFrame, wide: str, by: tuple[str, ...]) -> pd.DataFrame:
    """Turn the per-code columns of a sex or age breakdown into rows."""
    keys = [b for b in by if b != wide]
    codes = [c[2:] for c in frame.columns if c.startswith("v_")]
    parts = []
    for code in codes:
        part = frame[keys].copy()
        part[wide] = code
        part["value"], part["n_incidents"] = frame[f"v_{code}"], frame[f"n_{code}"]
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    return long[[*list(by), "value", "n_incidents"]]


def compute(store: AnalyticsStore, indicator: str, filters: Filters | None = None,
            by: tuple[str, ...] | list[str] = ()) -> IndicatorTable:
    """One indicator for the selected incidents, broken down ``by`` the named dimensions."""
    measure = MEASURES.get(indicator)
    if measure is None:
        raise BadRequest(f"unknown indicator '{indicator}'; choose from {', '.join(MEASURES)}")
    filters, by = filters or Filters(), tuple(by)
    try:
        sql, params, values = build_sql(measure, filters, by)
    except UnknownBreakdown as exc:
        raise BadRequest(str(exc)) from None
    frame = store.query(sql, params)
    wide = next((b for b in by if b in WIDE and b in measure.wide), None)
    if wide:
        frame = _melt(frame, wide, by)
    frame = _tidy(frame, values)
    multi = [b for b in by if dimension(measure, b).multi]
    return IndicatorTable(indicator, measure.label, measure.unit, measure.iccs, by, frame, values,
                          filters, additive=measure.additive and not multi,
                          notes=_notes(measure, multi, filters, by))


def _tidy(frame: pd.DataFrame, values: tuple[str, ...]) -> pd.DataFrame:
    frame = frame.copy()
    frame["n_incidents"] = frame["n_incidents"].fillna(0).astype("int64")
    if values == ("value",):
        frame["value"] = frame["value"].fillna(0).astype("int64")
    elif "n_fees" in frame:
        frame["n_fees"] = frame["n_fees"].fillna(0).astype("int64")
    return frame


def _notes(measure: Measure, multi: list[str], filters: Filters, by: tuple[str, ...]) -> list[str]:
    notes = []
    if multi:
        notes.append(f"{', '.join(multi)}: an incident may have several codes, so the cells do "
                     "not add up to the total")
    if measure.name in ("dead", "missing"):
        notes.append("SDG 10.7.3 rules: deaths and missing in detention or after return are "
                     "excluded")
    if measure.name == "fees":
        if "fee_unit" not in by:
            notes.append("fees per person only (fee_unit = PER_PERSON)")
        notes.append("amounts converted to US dollars at the shipped yearly average rates")
    if filters.period and not filters.period.whole_year:
        notes.append("incidents dated only to the year are not in sub-year periods")
    return notes


def total(store: AnalyticsStore, indicator: str, filters: Filters | None = None) -> tuple[int, int]:
    """The indicator's overall value and its ``n_incidents`` (for non-additive tables)."""
    table = compute(store, indicator, filters)
    row = table.frame.iloc[0]
    return int(row["value"]), int(row["n_incidents"])
