"""Which records of the analytical store a reader may count, and how the figures are released.

The web app derives a :class:`Reader` from the one visibility rule
(``crossings.web.reporting.visibility``; see ``crossings.web.dashboards.scope``); this module
turns it into SQL conditions over the store's ``country``, ``unit``, ``sharing_scope`` and
``partners`` columns and computes figures with them:

* **own** records (the reader's country; an officer's unit) are counted exactly;
* **other** records are those shared with the reader: BILATERAL naming the reader's country,
  REGIONAL_CONTRIBUTORS when the reader may see them (give to get, or the hub's analysts), and
  PUBLIC_AGGREGATES_ONLY for anybody. Their part of every figure goes through disclosure
  control (:func:`crossings.analysis.release.release`, partner rules) *on its own*, before it is
  added to the own part: a reader who knows their own records exactly could otherwise recover a
  small count of a partner's by subtracting.

A cell whose partner part is suppressed is released with status ``C``, no ``value``, and its
``own_value``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from crossings.analysis.disclosure import TOTAL, Rules
from crossings.analysis.indicators import Filters, IndicatorTable, compute
from crossings.analysis.release import release
from crossings.analysis.store import AnalyticsStore

NATIONAL_ONLY = "NATIONAL_ONLY"
BILATERAL = "BILATERAL"
REGIONAL = "REGIONAL_CONTRIBUTORS"
PUBLIC = "PUBLIC_AGGREGATES_ONLY"
NOTHING = "FALSE"


@dataclass(frozen=True)
class Reader:
    """What a reader may count, as plain facts (no Django)."""

    country: str | None = None  # every analysable record of this country, exactly
    unit: str | None = None  # instead: only this unit's records (a data-entry officer)
    bilateral: bool = False  # BILATERAL records naming ``country`` as a partner
    regional: bool = False  # REGIONAL_CONTRIBUTORS records (contributes, or the hub)
    public: bool = True  # PUBLIC_AGGREGATES_ONLY records (anybody)
    release: str = "national"  # partner or public: own records are disclosure-controlled too

    def own(self) -> tuple[str, tuple[Any, ...]]:
        """The SQL condition (over ``t``) of the reader's own records, and its parameters."""
        if self.unit:
            return "t.unit = ?", (self.unit,)
        if self.country:
            return "t.country = ?", (self.country,)
        return NOTHING, ()

    def other(self) -> tuple[str, tuple[Any, ...]]:
        """The SQL condition of the records shared with the reader, and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.bilateral and self.country:
            parts.append(f"(t.sharing_scope = '{BILATERAL}' AND list_contains(t.partners, ?))")
            params.append(self.country)
        if self.regional:
            parts.append(f"t.sharing_scope = '{REGIONAL}'")
        if self.public:
            parts.append(f"t.sharing_scope = '{PUBLIC}'")
        if not parts:
            return NOTHING, ()
        own, own_params = self.own()
        return (f"NOT ({own}) AND ({' OR '.join(parts)})", (*own_params, *params))

    def any(self) -> tuple[str, tuple[Any, ...]]:
        """Own or shared: every record the reader may count."""
        (own, p1), (other, p2) = self.own(), self.other()
        return f"({own}) OR ({other})", (*p1, *p2)


def limited(filters: Filters, condition: tuple[str, tuple[Any, ...]]) -> Filters:
    """The filters restricted to the records of a condition."""
    return replace(filters, records=condition[0], records_params=condition[1])


@dataclass
class Figures:
    """An indicator as a reader may see it: the combined frame and what went into it."""

    table: IndicatorTable  # frame: breakdowns, value (or fee statistics), n_incidents, status
    shared: bool  # records of other countries contributed (so disclosure control applied)
    notes: list[str]

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame


def figures(store: AnalyticsStore, reader: Reader, indicator: str, filters: Filters,
            by: tuple[str, ...] = (), *, rules: Rules | None = None) -> Figures:
    """One indicator over the records ``reader`` may count (see the module's rules)."""
    if reader.release != "national":  # a release beyond the country: everything protected
        both = compute(store, indicator, limited(filters, reader.any()), by)
        out = release(both, "partner", rules)
        frame = out.table.frame
        if by:
            frame = frame[~frame[list(by)].astype(str).eq(TOTAL).any(axis=1)]
        return Figures(replace(out.table, frame=frame.reset_index(drop=True)), True,
                       [*both.notes, *out.notes])
    own = compute(store, indicator, limited(filters, reader.own()), by)
    other = compute(store, indicator, limited(filters, reader.other()), by)
    if not _contributes(other):
        frame = own.frame.assign(status="")
        if own.values == ("value",):
            frame = frame.assign(own_value=frame["value"])
        return Figures(replace(own, frame=frame), False, list(own.notes))
    if own.values != ("value",):  # fee statistics do not add up: the union, released
        both = compute(store, indicator, limited(filters, reader.any()), by)
        out = release(both, "partner", rules)
        return Figures(out.table, True, [*both.notes, *out.notes])
    released = release(other, "partner", rules)
    frame = _combine(own, released.table.frame, by)
    notes = [*own.notes, "records shared by other countries: " + "; ".join(released.notes)]
    return Figures(replace(own, frame=frame), True, notes)


def _contributes(table: IndicatorTable) -> bool:
    frame = table.frame
    return bool(len(frame)) and bool((frame["n_incidents"] > 0).any())


def _combine(own: IndicatorTable, partner: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """Own exact values plus partners' released ones, cell by cell (margins dropped)."""
    keys = list(by)
    if keys:
        partner = partner[~partner[keys].astype(str).eq(TOTAL).any(axis=1)]
    mine = own.frame.rename(columns={"value": "own_value", "n_incidents": "own_n"})
    theirs = partner.rename(columns={"value": "partner_value", "n_incidents": "partner_n",
                                     "status": "partner_status"})
    if keys:
        mine[keys] = mine[keys].astype(str)
        theirs = theirs.assign(**{k: theirs[k].astype(str) for k in keys})
        merged = mine.merge(theirs, on=keys, how="outer")
    else:
        merged = pd.concat([mine.reset_index(drop=True), theirs.reset_index(drop=True)], axis=1)
    merged["own_value"] = merged["own_value"].fillna(0).astype("int64")
    merged["own_n"] = merged["own_n"].fillna(0).astype("int64")
    merged["partner_status"] = merged["partner_status"].fillna("")
    hidden = merged["partner_status"] == "C"
    partner_value = merged["partner_value"].astype("Float64").fillna(0)
    partner_n = merged["partner_n"].astype("Float64").fillna(0)
    merged["value"] = (merged["own_value"] + partner_value).astype("Int64").mask(hidden)
    merged["n_incidents"] = (merged["own_n"] + partner_n).astype("Int64").mask(hidden)
    merged["status"] = hidden.map({True: "C", False: ""})
    columns = [*keys, "value", "n_incidents", "status", "own_value", "partner_value"]
    out = merged[columns]
    return out.sort_values(keys).reset_index(drop=True) if keys else out
