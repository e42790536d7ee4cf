"""The tables behind every chart of the dashboards and the situation report.

Each function takes the store, a :class:`~crossings.analysis.scope.Reader` (what the reader may
count) and a :class:`View` (country, period, flow, filters) and returns a DataFrame: the page
draws it, its CSV download is the same frame, and the PDF report prints it, so a chart and its
data cannot disagree. Every figure goes through :func:`crossings.analysis.scope.figures`
(records of other countries disclosure-controlled) and carries ``n_incidents``, the number of
incidents it rests on.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from crossings.analysis import trends
from crossings.analysis.disclosure import round_to
from crossings.analysis.flatten import ROUTE_SEPARATOR
from crossings.analysis.indicators import EMPTY, Filters, Period, parse_period
from crossings.analysis.queries import MEASURES
from crossings.analysis.scope import Figures, Reader, figures, limited
from crossings.analysis.store import AnalyticsStore

FLOWS = ("from", "through", "to")
HEADLINE = ("incidents", "migrants", "children", "unaccompanied_children", "dead", "missing",
            "facilitators_detected")
SERIES_MONTHS = 36
"""The monthly series shows up to this many months, ending with the chosen period."""


@dataclass(frozen=True)
class View:
    """What the reader asked to see."""

    country: str
    period: Period
    flow: str = "from"  # routes, crossing points and trends: from, through or to the country
    direction: str | None = None  # movement direction of the incident (ENTRY, EXIT, ...)
    border_section: str | None = None  # e.g. KHM-THA

    def filters(self, flow: str | None = None, period: Period | None = None) -> Filters:
        where = [("direction", self.direction)] if self.direction else []
        if self.border_section:
            where.append(("border_section", self.border_section))
        return Filters(self.country, flow or self.flow, period or self.period, tuple(where))

    def query(self) -> dict[str, str]:
        """As URL parameters."""
        out = {"country": self.country, "period": self.period.label, "flow": self.flow}
        out |= {"direction": self.direction or "", "border_section": self.border_section or ""}
        return {k: v for k, v in out.items() if v}


def _row(found: Figures) -> dict[str, Any]:
    row = found.frame.iloc[0]
    return {"value": _int(row.get("value")), "n_incidents": _int(row.get("n_incidents")),
            "status": row.get("status", ""), "shared": found.shared}


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def headline(store: AnalyticsStore, reader: Reader, view: View) -> pd.DataFrame:
    """Headline counts from, through and to the country, each with its base."""
    rows = []
    for flow in FLOWS:
        for name in HEADLINE:
            found = figures(store, reader, name, view.filters(flow))
            rows.append({"flow": flow, "indicator": name, "label": MEASURES[name].label,
                         **_row(found)})
    return pd.DataFrame(rows)


def routes(store: AnalyticsStore, reader: Reader, view: View) -> pd.DataFrame:
    """Smuggled migrants and incidents by route (origin > transit > destination)."""
    migrants = figures(store, reader, "migrants", view.filters(), ("route",)).frame
    incidents = figures(store, reader, "incidents", view.filters(), ("route",)).frame
    frame = migrants.merge(incidents[["route", "value", "status"]], on="route", how="outer",
                           suffixes=("", "_incidents"))
    frame = frame[frame["route"] != EMPTY]
    out = pd.DataFrame({
        "route": frame["route"], "migrants": frame["value"],
        "incidents": frame["value_incidents"], "n_incidents": frame["n_incidents"],
        "status": frame["status"].where(frame["status"] != "", frame["status_incidents"])})
    out = out.sort_values("migrants", ascending=False, na_position="last")
    return out.reset_index(drop=True)


def route_legs(route: str) -> list[tuple[str, str]]:
    """Consecutive country pairs of a route label."""
    countries = route.split(ROUTE_SEPARATOR)
    return list(itertools.pairwise(countries))


@dataclass(frozen=True)
class Place:
    """A reporting unit with coordinates (from the organisation hierarchy)."""

    code: str
    name: str
    country: str
    latitude: float
    longitude: float


def crossing_points(store: AnalyticsStore, reader: Reader, view: View,
                    places: dict[str, Place]) -> pd.DataFrame:
    """Incidents by reporting unit, with the unit's coordinates, for the map."""
    found = figures(store, reader, "incidents", view.filters(), ("unit",)).frame
    rows = []
    for record in found.to_dict("records"):
        place = places.get(str(record["unit"]))
        if place is None:
            continue
        rows.append({"unit": place.code, "name": place.name, "country": place.country,
                     "latitude": place.latitude, "longitude": place.longitude,
                     "incidents": _int(record["value"]),
                     "n_incidents": _int(record["n_incidents"]), "status": record["status"]})
    columns = ["unit", "name", "country", "latitude", "longitude", "incidents", "n_incidents",
               "status"]
    return pd.DataFrame(rows, columns=columns)


def fees(store: AnalyticsStore, reader: Reader, view: View) -> pd.DataFrame:
    """Fees per person in US dollars (quartiles) from, through and to the country."""
    rows = []
    for flow in FLOWS:
        frame = figures(store, reader, "fees", view.filters(flow)).frame
        record = frame.iloc[0].to_dict()
        rows.append({"flow": flow, **{k: record.get(k) for k in (
            "fee_q1_usd", "fee_median_usd", "fee_q3_usd", "n_fees", "n_incidents")},
            "status": record.get("status", "")})
    return pd.DataFrame(rows)


# -- trends ---------------------------------------------------------------------------------------
def _count(store: AnalyticsStore, reader: Reader, view: View, name: str,
           period: Period) -> int | None:
    value: int | None = _row(figures(store, reader, name, view.filters(period=period)))["value"]
    return value


def change(store: AnalyticsStore, reader: Reader, view: View) -> pd.DataFrame:
    """Incidents and migrants in the period against the previous period and the same period a
    year earlier, with the exact test of equal Poisson rates per day."""
    rows = []
    period = view.period
    for name in ("incidents", "migrants"):
        now = _count(store, reader, view, name, period)
        for label, other in (("previous period", period.previous()),
                             ("same period last year", period.last_year())):
            before = _count(store, reader, view, name, other)
            row: dict[str, Any] = {"indicator": name, "against": label,
                                   "period": period.label, "reference_period": other.label,
                                   "count": now, "reference": before}
            if now is not None and before is not None:
                result = trends.compare_counts(now, before, trends.days(period),
                                               trends.days(other))
                row |= {"rate_ratio": result.rate_ratio, "change_percent": result.change_percent,
                        "ratio_low": result.ratio_low, "ratio_high": result.ratio_high,
                        "p_value": result.p_value, "test": result.test}
            rows.append(row)
    return pd.DataFrame(rows)


def _series_periods(view: View) -> list[Period]:
    end = view.period.year
    return [parse_period(str(year)) for year in range(end - SERIES_MONTHS // 12 + 1, end + 1)]


def monthly(store: AnalyticsStore, reader: Reader, view: View) -> pd.DataFrame:
    """Incidents per month up to the end of the period (zeros filled), each with its base:
    ``own`` (the reader's own records, exact), ``shared`` (other countries' records, released;
    empty where confidential) and ``incidents`` (their sum, empty where confidential)."""
    parts = [figures(store, reader, "incidents", view.filters(period=year), ("month",)).frame
             for year in _series_periods(view)]
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["month"] != EMPTY]
    last = f"{view.period.year:04d}-{view.period.last_month:02d}"
    frame = frame[frame["month"] <= last]
    columns = ["month", "incidents", "own", "shared", "n_incidents", "status"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    months = pd.period_range(frame["month"].min(), last, freq="M").strftime("%Y-%m")
    full = pd.DataFrame({"month": months}).merge(frame, on="month", how="left")
    full["status"] = full["status"].fillna("")
    hidden = full["status"] == "C"
    full["incidents"] = full["value"].astype("Int64").fillna(0).mask(hidden)
    if "own_value" in full:  # the reader's own records, exact
        full["own"] = full["own_value"].astype("Int64").fillna(0)
    else:  # a release beyond the country: every figure protected
        full["own"] = full["value"].astype("Int64").fillna(0).mask(hidden)
    shared = full["partner_value"] if "partner_value" in full else pd.Series(0, full.index)
    full["shared"] = shared.astype("Int64").fillna(0).mask(hidden)
    full["n_incidents"] = full["n_incidents"].astype("Int64").fillna(0).mask(hidden)
    return full[columns]


def seasonal(store: AnalyticsStore, reader: Reader, view: View) -> pd.DataFrame:
    """The monthly profile of the series (calendar month, mean, index) and the chi-square test
    of no seasonality in ``attrs``."""
    series = monthly(store, reader, view)
    if len(series) < 12:
        return pd.DataFrame(columns=["month", "mean", "index", "years"])
    confidential = bool((series["status"] == "C").any())
    if confidential and series["own"].isna().any():  # nothing exact to fall back on
        return pd.DataFrame(columns=["month", "mean", "index", "years"])
    column = "own" if confidential else "incidents"
    result = trends.seasonality(series.set_index("month")[column].astype("int64"))
    profile = result.profile.copy()
    profile.attrs = {"chi2": result.chi2, "p_value": result.p_value, "method": result.method,
                     "series": "own records only (some months of shared records are "
                               "confidential)" if confidential else "all records counted"}
    return profile


def spikes(store: AnalyticsStore, reader: Reader, view: View,
           places: dict[str, Place]) -> pd.DataFrame:
    """Months with unusually many incidents at a crossing point (Benjamini-Hochberg over all
    places and months tested). Flags at another country's units are shown only for counts of
    at least 10, rounded to 5 (threshold and rounding of the partner rules)."""
    filters = limited(replace(view.filters(), period=None), reader.any())
    wide = trends.monthly_series(store, "incidents", filters, by="unit")
    columns = ["unit", "name", "month", "count", "expected", "p_value", "q_value", "model"]
    if wide.empty:
        return pd.DataFrame(columns=columns)
    last = f"{view.period.year:04d}-{view.period.last_month:02d}"
    tested = trends.spikes(wide[wide.index <= last])
    flagged = tested[tested["flag"]].copy()
    own = reader.own()[1]
    rows = []
    for record in flagged.to_dict("records"):
        place = places.get(str(record["place"]))
        mine = reader.release == "national" and place is not None and (
            place.country in own or place.code in own)
        if not mine:
            if record["count"] < 10:
                continue
            record["count"] = round_to(int(record["count"]), 5)
            record["expected"] = round(float(record["expected"]))
        rows.append({"unit": record["place"], "name": place.name if place else "",
                     "month": record["period"], "count": int(record["count"]),
                     "expected": round(float(record["expected"]), 1),
                     "p_value": record["p_value"], "q_value": record["q_value"],
                     "model": record["model"]})
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["month", "unit"], ascending=[False, True])


Chart = Callable[..., pd.DataFrame]
CHARTS: dict[str, Chart] = {
    "headline": headline, "routes": routes, "crossing_points": crossing_points, "fees": fees,
    "change": change, "monthly": monthly, "seasonal": seasonal, "spikes": spikes}
NEEDS_PLACES = frozenset({"crossing_points", "spikes"})


def chart(name: str, store: AnalyticsStore, reader: Reader, view: View,
          places: dict[str, Place]) -> pd.DataFrame:
    """The table of one chart by name."""
    function = CHARTS[name]
    if name in NEEDS_PLACES:
        return function(store, reader, view, places)
    return function(store, reader, view)
