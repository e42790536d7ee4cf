"""Incident documents and aggregate returns flattened into the rows of the analytical store.

The input is plain: :class:`SourceRecord` ``(uid, country, unit, version, data)``, where ``data``
is the record's document as the record store keeps it (an incident with its nested lists, or an
aggregate return). Persons and objects (the restricted nominal layer) are never flattened.

The route of an incident (the "from / through / to" rule, see ``docs/analysis.md``):

* the route is the first leg's ``from_country`` followed by every leg's ``to_country``, legs in
  ``leg_no`` order; if the intended destination of the incident's largest migrant group is known
  and differs from the last country, it is appended (legs describe the journey up to detection,
  the intended destination says where it was going);
* without legs, the route is the largest group's ``origin_country`` then its
  ``intended_destination``;
* origin = the route's first country, destination = its last, transit = the other countries of
  the route that are neither origin nor destination (each once, in order of passage).
  Unknown values (empty, UNKNOWN, NOT_ASKED) are left out; an unknown end is ``UNKNOWN``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple

from crossings.analysis.fx import RateTable, load_rates
from crossings.analysis.schema import (
    CHILD_TABLES,
    CODED_INCIDENT_FIELDS,
    MIGRANT_COUNTS,
    MULTI_INCIDENT_FIELDS,
    PERIOD,
    TABLES,
    columns,
)
from crossings.standard.model import MISSING_VALUES, UNKNOWN

NATIONAL_ONLY = "NATIONAL_ONLY"
UNDER_18 = ("age_0_4", "age_5_11", "age_12_17")
ROUTE_SEPARATOR = " > "
Row = dict[str, Any]


class SourceRecord(NamedTuple):
    """One approved record as the analytical store receives it, with its sharing: the scope
    (NATIONAL_ONLY unless the record is shared) and the partner countries of a BILATERAL one."""

    uid: uuid.UUID | str
    country: str
    unit: str
    version: int
    data: dict[str, Any]
    sharing_scope: str = NATIONAL_ONLY
    partners: tuple[str, ...] = ()


def record_type(data: dict[str, Any]) -> str:
    """The record type of a document: incident, aggregate_return, or a nominal type."""
    if "person_ref" in data:
        return "person"
    if "object_ref" in data:
        return "object"
    if "return_ref" in data:
        return "aggregate_return"
    return "incident"


class Columns:
    """Rows of every table gathered column by column, ready for a bulk insert."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, list[Any]]] = {
            table: {name: [] for name in columns(table)} for table in TABLES}

    def add(self, table: str, row: Row) -> None:
        """Append one row (missing columns are NULL)."""
        for name, values in self.data[table].items():
            values.append(row.get(name))

    def size(self, table: str) -> int:
        """Number of rows gathered for a table."""
        return len(self.data[table]["uid"])


def period_of(value: Any) -> dict[str, Any]:
    """The period columns of a partial date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if not value:
        return {}
    parts = [int(p) for p in str(value)[:10].split("-")]
    year = parts[0]
    out: dict[str, Any] = {"year": year, "date_precision": ("YEAR", "MONTH", "DAY")[len(parts) - 1]}
    out["detection_date"] = dt.date(year, *([*parts[1:], 1, 1])[:2])
    if len(parts) > 1:
        month = parts[1]
        quarter = (month - 1) // 3 + 1
        out |= {"month": month, "quarter": quarter, "period_month": f"{year:04d}-{month:02d}",
                "period_quarter": f"{year:04d}-Q{quarter}"}
    return out


def known(value: Any) -> bool:
    """A value that states a fact (not empty, UNKNOWN or NOT_ASKED)."""
    return value not in (None, "", *MISSING_VALUES)


def total(rows: list[Row], name: str) -> int | None:
    """Sum of a count over rows; None when no row states it."""
    values = [row[name] for row in rows if row.get(name) is not None]
    return sum(values) if values else None


def children_of(group: Row) -> int | None:
    """Children in a group: the ``children`` count, else the sum of the under-18 age bands."""
    if group.get("children") is not None:
        return int(group["children"])
    bands = [group[name] for name in UNDER_18 if group.get(name) is not None]
    return sum(bands) if bands else None


def route_of(legs: list[Row], groups: list[Row]) -> list[str]:
    """The countries of the route, origin first (see the module's rule)."""
    largest = max(groups, key=lambda g: g.get("total") or 0, default={})
    ordered = sorted(legs, key=lambda leg: leg.get("leg_no") or 0)
    if ordered:
        raw = [ordered[0].get("from_country")] + [leg.get("to_country") for leg in ordered]
    else:
        raw = [largest.get("origin_country")]
    route: list[str] = [str(c) if known(c) else UNKNOWN for c in raw]
    intended = largest.get("intended_destination")
    if known(intended) and intended != route[-1]:
        route.append(str(intended))
    elif not ordered:
        route.append(UNKNOWN)
    return route


def route_columns(legs: list[Row], groups: list[Row]) -> Row:
    """Origin, destination, transit countries and the route's label."""
    route = route_of(legs, groups)
    origin, destination = route[0], route[-1]
    transit: list[str] = []
    for country in route[1:-1]:
        if country not in (origin, destination, UNKNOWN) and country not in transit:
            transit.append(country)
    label = None
    if (origin, destination) != (UNKNOWN, UNKNOWN):
        label = ROUTE_SEPARATOR.join([origin, *transit, destination])
    return {"origin": origin, "destination": destination, "transit": transit, "route": label,
            "n_legs": len(legs)}


def harm_totals(harms: list[Row]) -> Row:
    """Dead and missing counted for SDG 10.7.3, and those excluded (in detention, after return)."""
    if not harms:
        return {}
    kept = [h for h in harms if h.get("in_detention_or_after_return") != "YES"]
    excluded = [h for h in harms if h.get("in_detention_or_after_return") == "YES"]
    return {"dead": total(kept, "dead"), "missing": total(kept, "missing"),
            "dead_excluded": total(excluded, "dead"),
            "missing_excluded": total(excluded, "missing")}


def incident_row(base: Row, data: dict[str, Any]) -> Row:
    """The incidents row of one document."""
    groups = data.get("migrant_groups") or []
    facilitators = data.get("facilitator_groups") or []
    row = base | {name: data.get(name) for name in CODED_INCIDENT_FIELDS}
    row |= {name: data.get(name) or [] for name in MULTI_INCIDENT_FIELDS}
    row |= {"incident_ref": data.get("incident_ref"), "latitude": data.get("latitude"),
            "longitude": data.get("longitude"), "location_name": data.get("location_name"),
            "report_date": dt.date.fromisoformat(data["report_date"])
            if data.get("report_date") else None}
    border = data.get("border_country")
    row["border_section"] = f"{base['country']}-{border}" if known(border) else None
    row |= route_columns(data.get("route_legs") or [], groups)
    child_counts = [children_of(g) for g in groups]
    row |= {"migrants": total(groups, "total"),
            "children": sum(c for c in child_counts if c is not None)
            if any(c is not None for c in child_counts) else None,
            "unaccompanied_children": total(groups, "unaccompanied_children"),
            "facilitators_detected": total(facilitators, "detected"),
            "facilitators_arrested": total(facilitators, "arrested")}
    return row | harm_totals(data.get("harm_observations") or [])


def child_rows(table: str, base: Row, data: dict[str, Any], rates: RateTable) -> list[Row]:
    """The rows of one child table of an incident, with the period columns of the incident."""
    rows = []
    for child in data.get(CHILD_TABLES[table]) or []:
        row = base | child
        if table == "migrant_groups":
            row["children"] = children_of(child)
        elif table == "fee_observations":
            row["fee_unit"] = child.get("unit")
            usd, fx_year = rates.to_usd(child.get("amount"), child.get("currency"), base["year"])
            row |= {"amount_usd": usd, "fx_year": fx_year}
        rows.append(row)
    return rows


def flatten(records: Iterable[SourceRecord], out: Columns | None = None,
            rates: RateTable | None = None) -> Columns:
    """Rows of every analytical table for the records (nominal records are skipped)."""
    out = out or Columns()
    rates = rates or load_rates()
    for record in records:
        kind = record_type(record.data)
        uid = record.uid if isinstance(record.uid, uuid.UUID) else uuid.UUID(str(record.uid))
        base: Row = {"uid": uid, "country": record.country, "unit": record.unit,
                     "sharing_scope": record.sharing_scope or NATIONAL_ONLY,
                     "partners": sorted(record.partners)}
        if kind == "aggregate_return":
            period = period_of(record.data.get("period"))
            out.add("aggregate_returns", base | period | record.data | {"version": record.version})
        elif kind == "incident":
            base |= period_of(record.data.get("detection_date"))
            out.add("incidents", incident_row(base | {"version": record.version}, record.data))
            child_base = {k: base.get(k) for k in columns("route_legs")[:len(PERIOD)]}
            for table in CHILD_TABLES:
                for row in child_rows(table, child_base, record.data, rates):
                    out.add(table, row)
    return out


__all__ = ["MIGRANT_COUNTS", "Columns", "SourceRecord", "flatten", "record_type"]
