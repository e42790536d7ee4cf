"""Data quality: completeness of each field, and timeliness of reporting.

* **Completeness**: for each field, the share of records where it states a fact, says UNKNOWN,
  says NOT_ASKED, or is empty (for lists: an empty list). The standard keeps the three apart
  precisely so that they can be measured. Sex and age of migrants are person-weighted: the share
  of migrants whose sex (age band) is recorded.
* **Timeliness**: days from detection to report (``report_date - detection_date``), for
  incidents whose detection date is known to the day; median, 90th percentile, share reported
  within 30 days; a report dated before the detection is counted as inconsistent.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from crossings.analysis.indicators import Filters, flow_condition
from crossings.analysis.schema import CODED_INCIDENT_FIELDS, MULTI_INCIDENT_FIELDS
from crossings.analysis.store import AnalyticsStore

GROUP_FIELDS: Final = ("citizenship", "nationality_basis", "status_after_detection",
                       "origin_country", "intended_destination")
WITHIN_DAYS = 30


def _where(filters: Filters) -> tuple[str, list[object]]:
    """Conditions on the incident ``t`` (also joined to migrant groups ``g``)."""
    parts: list[str] = ["TRUE"]
    params: list[object] = []
    if filters.country:
        parts.append(flow_condition(filters).replace("i.", "t."))
        params.append(filters.country)
    if filters.period:
        parts.append("t.year = ?")
        params.append(filters.period.year)
        if not filters.period.whole_year:
            parts.append("t.month BETWEEN ? AND ?")
            params += [filters.period.first_month, filters.period.last_month]
    return " AND ".join(parts), params


def _coded(field: str, table: str) -> str:
    return (f"SELECT '{table}' AS record, '{field}' AS field, count(*) AS records, "
            f"count(*) FILTER (WHERE {field} NOT IN ('UNKNOWN', 'NOT_ASKED')) AS known, "
            f"count(*) FILTER (WHERE {field} = 'UNKNOWN') AS unknown, "
            f"count(*) FILTER (WHERE {field} = 'NOT_ASKED') AS not_asked, "
            f"count(*) FILTER (WHERE {field} IS NULL) AS empty")


def _listed(field: str) -> str:
    return (f"SELECT 'incident' AS record, '{field}' AS field, count(*) AS records, "
            f"count(*) FILTER (WHERE len(list_filter({field}, lambda x: x NOT IN ('UNKNOWN', "
            f"'NOT_ASKED'))) > 0) AS known, "
            f"count(*) FILTER (WHERE list_contains({field}, 'UNKNOWN')) AS unknown, "
            f"count(*) FILTER (WHERE list_contains({field}, 'NOT_ASKED')) AS not_asked, "
            f"count(*) FILTER (WHERE len(coalesce({field}, [])) = 0) AS empty")


def completeness(store: AnalyticsStore, filters: Filters | None = None) -> pd.DataFrame:
    """One row per field: records, known, unknown, not asked, empty, and their shares."""
    filters = filters or Filters()
    where, params = _where(filters)
    incident_parts = [_coded(f, "incident") for f in CODED_INCIDENT_FIELDS]
    incident_parts += [_listed(f) for f in MULTI_INCIDENT_FIELDS]
    incident_parts.append(
        "SELECT 'incident', 'detection_date (to the day)', count(*), "
        "count(*) FILTER (WHERE date_precision = 'DAY'), 0, 0, 0")
    incident_parts.append(
        "SELECT 'incident', 'report_date', count(*), count(report_date), 0, 0, "
        "count(*) FILTER (WHERE report_date IS NULL)")
    sql = " UNION ALL ".join(f"{part} FROM incidents t WHERE {where}" for part in incident_parts)
    group_where, group_params = where, params
    join = "migrant_groups g JOIN incidents t ON t.uid = g.uid"
    group_parts = [_coded(f"g.{f}", "migrant_group").replace("'g.", "'") for f in GROUP_FIELDS]
    group_parts.append(_persons("sex", "coalesce(g.female, 0) + coalesce(g.male, 0)"))
    group_parts.append(_persons("age band", " + ".join(
        f"coalesce(g.{c}, 0)" for c in ("age_0_4", "age_5_11", "age_12_17", "age_18_24",
                                        "age_25_59", "age_60_plus"))))
    sql += " UNION ALL " + " UNION ALL ".join(f"{part} FROM {join} WHERE {group_where}"
                                              for part in group_parts)
    all_params = params * len(incident_parts) + group_params * len(group_parts)
    frame = store.query(sql, all_params)
    counts = ["records", "known", "unknown", "not_asked", "empty"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    for column in ("known", "unknown", "not_asked", "empty"):
        frame[f"share_{column}"] = (frame[column] / frame["records"].where(frame["records"] > 0)
                                    ).round(4)
    return frame


def _persons(label: str, known: str) -> str:
    return (f"SELECT 'migrant (persons)' AS record, '{label}' AS field, "
            f"coalesce(sum(g.total), 0) AS records, coalesce(sum(least({known}, g.total)), 0) "
            f"AS known, coalesce(sum(g.{'sex_unknown' if label == 'sex' else 'age_unknown'}), "
            f"0) AS unknown, 0 AS not_asked, coalesce(sum(greatest(g.total - ({known}) - "
            f"coalesce(g.{'sex_unknown' if label == 'sex' else 'age_unknown'}, 0), 0)), 0) "
            f"AS empty")


def timeliness(store: AnalyticsStore, filters: Filters | None = None,
               by: str = "country") -> pd.DataFrame:
    """Days from detection to report, by reporting country (or ``unit``)."""
    if by not in ("country", "unit"):
        raise ValueError("timeliness is by country or unit")
    where, params = _where(filters or Filters())
    delay = "date_diff('day', t.detection_date, t.report_date)"
    sql = (f"SELECT t.{by}, count(*) AS n_incidents, "  # noqa: S608
           f"median({delay}) FILTER (WHERE {delay} >= 0) AS median_days, "
           f"quantile_cont({delay}, 0.9) FILTER (WHERE {delay} >= 0) AS p90_days, "
           f"round(avg(CASE WHEN {delay} BETWEEN 0 AND {WITHIN_DAYS} THEN 1.0 ELSE 0.0 END), 4)"
           f" AS share_within_{WITHIN_DAYS}_days, "
           f"count(*) FILTER (WHERE {delay} < 0) AS inconsistent "
           f"FROM incidents t WHERE {where} AND t.date_precision = 'DAY' "
           f"AND t.report_date IS NOT NULL GROUP BY ALL ORDER BY ALL")
    return store.query(sql, params)
