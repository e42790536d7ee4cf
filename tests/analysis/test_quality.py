"""Completeness and timeliness, against counts made directly from the documents."""

from __future__ import annotations

import datetime as dt
import statistics

from crossings.analysis.indicators import Filters, parse_period
from crossings.analysis.quality import completeness, timeliness

FILTERS = Filters("KHM", period=parse_period("2025"))


def chosen(records):
    return [r for r in records if r.country == "KHM" and "incident_ref" in r.data
            and r.data["detection_date"].startswith("2025")]


def test_unknown_not_asked_and_empty_are_counted_apart(records, store):
    docs = chosen(records)
    values = [r.data.get("transport_mode") for r in docs]
    row = completeness(store, FILTERS).set_index("field").loc["transport_mode"]
    assert row["records"] == len(docs)
    assert row["unknown"] == values.count("UNKNOWN")
    assert row["not_asked"] == values.count("NOT_ASKED")
    assert row["empty"] == values.count(None)
    assert row["known"] == len(docs) - row["unknown"] - row["not_asked"] - row["empty"]
    assert abs(row["share_known"] - row["known"] / len(docs)) < 1e-4


def test_sex_completeness_is_weighted_by_persons(records, store):
    groups = [g for r in chosen(records) for g in r.data.get("migrant_groups", [])]
    known = sum(min((g.get("female") or 0) + (g.get("male") or 0), g["total"]) for g in groups)
    frame = completeness(store, FILTERS)
    row = frame[(frame["record"] == "migrant (persons)") & (frame["field"] == "sex")].iloc[0]
    assert (row["records"], row["known"]) == (sum(g["total"] for g in groups), known)


def test_timeliness_is_the_delay_from_detection_to_report(records, store):
    delays = [(dt.date.fromisoformat(r.data["report_date"])
               - dt.date.fromisoformat(r.data["detection_date"])).days
              for r in chosen(records)
              if len(r.data["detection_date"]) == 10 and r.data.get("report_date")]
    row = timeliness(store, FILTERS).iloc[0]
    assert row["country"] == "KHM" and row["n_incidents"] == len(delays)
    assert row["median_days"] == statistics.median(d for d in delays if d >= 0)
    assert row["inconsistent"] == sum(d < 0 for d in delays)
