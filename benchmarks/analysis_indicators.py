"""Dashboard indicators on the analytical store (DuckDB) against the record store (Django ORM).

1. Generate ``--incidents`` incidents (about 5 persons each) and build the analytical store from
   them (records read through the validating reader, as approved). Time each dashboard
   indicator (median of ``--repeat`` runs, a fresh read-only connection per run, as the web app
   does) and the refresh after one approval (one record revised).
2. In a child process with its own SQLite record store, load ``--orm-incidents`` incidents of a
   second generated set as approved ``Record`` rows (JSON documents, the bulk insert the import
   uses) and time four indicators written for the ORM (an ORM aggregate, SQL over the JSON
   documents, and Python over ``values_list``). The same records also go into a DuckDB store in
   that process, so the first ratio is like for like. The ORM times are then scaled linearly to
   the full size (each of these queries reads every matching document) for the second ratio.

    .venv/bin/python benchmarks/analysis_indicators.py [--incidents 2000000]
        [--orm-incidents 200000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = 7
COUNTRY = "THA"
PERIOD = "2025"
TARGET_MS, TARGET_RATIO, REFRESH_TARGET_S = 300, 20, 2.0
DASHBOARD = [
    ("incidents", ["month"], "reported"), ("migrants", ["month"], "reported"),
    ("migrants", ["sex"], "reported"), ("migrants", ["age"], "reported"),
    ("migrants", ["citizenship"], "reported"), ("children", ["quarter"], "reported"),
    ("unaccompanied_children", ["citizenship"], "reported"),
    ("incidents", ["border_section", "quarter"], "reported"),
    ("incidents", ["location_type"], "reported"), ("incidents", ["transport_mode"], "reported"),
    ("incidents", ["concealment"], "reported"), ("incidents", ["detection_method"], "reported"),
    ("incidents", ["conduct"], "reported"), ("migrants", ["route"], "to"),
    ("migrants", ["route"], "through"), ("migrants", ["origin"], "from"),
    ("facilitators_detected", ["role"], "reported"),
    ("facilitators_arrested", ["citizenship"], "reported"),
    ("fees", ["currency"], "reported"), ("dead", ["cause_of_death"], "reported"),
    ("missing", ["month"], "reported"),
    ("fraudulent_documents", ["document_type", "fraud_type"], "reported"),
]
COMPARED = {"incidents by month": ("incidents", ["month"], "reported"),
            "migrants by sex": ("migrants", ["sex"], "reported"),
            "fees by currency": ("fees", ["currency"], "reported"),
            "migrants through by route": ("migrants", ["route"], "through")}


def median_ms(action: Callable[[], Any], repeat: int) -> float:
    action()  # warm: the process's DuckDB instance, caches of the operating system
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def generated(incidents: int) -> Path:
    from crossings.synthetic.generate import generate

    data = ROOT / "var" / "bench" / f"generated-{incidents}-{SEED}"
    if not (data / "truth").exists():
        started = time.perf_counter()
        summary = generate(data, incidents=incidents, seed=SEED)
        print(f"generated {incidents:,} incidents, {summary.persons:,} persons in "
              f"{time.perf_counter() - started:.0f} s")
    return data


def build_store(data: Path, path: Path) -> Any:
    from crossings.analysis.sample import generated_records
    from crossings.analysis.store import AnalyticsStore

    store = AnalyticsStore(path)
    started = time.perf_counter()
    count = store.rebuild(generated_records(data))
    print(f"analytical store: {count:,} records in {time.perf_counter() - started:.0f} s "
          f"({path.stat().st_size / 1e9:.2f} GB)")
    return store


def time_indicators(store: Any, items: list[tuple[str, list[str], str]],
                    repeat: int) -> dict[str, float]:
    from crossings.analysis.indicators import Filters, compute, parse_period

    out = {}
    for indicator, by, flow in items:
        filters = Filters(COUNTRY, flow, parse_period(PERIOD))
        out[f"{indicator} by {'+'.join(by)} ({flow})"] = median_ms(
            lambda i=indicator, f=filters, b=by: compute(store, i, f, b), repeat)
    return out


def time_refresh(store: Any, data: Path, repeat: int) -> float:
    from crossings.analysis.sample import generated_records

    record = next(r for r in generated_records(data, [COUNTRY]) if "incident_ref" in r.data)
    times = []
    for version in range(2, 2 + repeat):
        groups = [{**g, "total": g["total"] + 1} for g in record.data.get("migrant_groups", [])]
        revised = record._replace(version=version, data={**record.data, "migrant_groups": groups})
        times.append(store.refresh([revised]).seconds)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=2_000_000)
    parser.add_argument("--orm-incidents", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--orm-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.orm_worker:
        orm_worker(Path(args.orm_worker), args.repeat)
        return
    scratch = Path(tempfile.mkdtemp(prefix="crossings-bench-analysis-"))
    store = build_store(generated(args.incidents), scratch / "analytics.duckdb")
    duck = time_indicators(store, DASHBOARD, args.repeat)
    refresh = time_refresh(store, generated(args.incidents), args.repeat)
    orm = run_orm_worker(generated(args.orm_incidents), scratch, args.repeat)
    report(args, duck, refresh, orm, store.counts()["incidents"])


def run_orm_worker(data: Path, scratch: Path, repeat: int) -> dict[str, Any]:
    env = {**os.environ, "CROSSINGS_ENV": "test", "CROSSINGS_VAR_DIR": str(scratch / "orm"),
           "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    output = subprocess.run([sys.executable, __file__, "--orm-worker", str(data),
                             "--repeat", str(repeat)], env=env, check=True,
                            capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def report(args: argparse.Namespace, duck: dict[str, float], refresh: float,
           orm: dict[str, Any], incidents: int) -> None:
    print(f"\n{len(duck)} dashboard indicators, {COUNTRY} {PERIOD}, {incidents:,} incidents "
          f"(median of {args.repeat}):")
    for name, ms in duck.items():
        print(f"  {name:<55} {ms:8.1f} ms  {'ok' if ms <= TARGET_MS else 'SLOW'}")
    print(f"  slowest {max(duck.values()):.1f} ms, median {statistics.median(duck.values()):.1f}"
          f" ms (target <= {TARGET_MS} ms each)")
    print(f"refresh after one approval: {refresh:.3f} s (target <= {REFRESH_TARGET_S} s)")
    scale = incidents / orm["incidents"]
    print(f"\nORM on the record store (SQLite, {orm['incidents']:,} incidents loaded; "
          f"scaled x{scale:.1f} to {incidents:,}):")
    for name, key in COMPARED.items():
        label = f"{key[0]} by {'+'.join(key[1])} ({key[2]})"
        orm_ms, small_duck = orm["orm"][name], orm["duck"][name]
        full_ratio = orm_ms * scale / duck[label]
        print(f"  {name:<28} ORM {orm_ms:9.1f} ms vs DuckDB {small_duck:6.1f} ms at "
              f"{orm['incidents']:,}: x{orm_ms / small_duck:6.1f};  at full size "
              f"~{orm_ms * scale / 1000:6.1f} s vs {duck[label]:6.1f} ms: x{full_ratio:7.1f} "
              f"{'ok' if full_ratio >= TARGET_RATIO else 'BELOW'}")


# -- the ORM side, in its own process and record store --------------------------------------------
def orm_worker(data: Path, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossings.web.settings")
    django.setup()
    from crossings.analysis.sample import generated_records
    from crossings.analysis.store import AnalyticsStore
    from crossings.web.setup import initialise

    initialise()
    records = list(generated_records(data))
    load_records(records)
    store = AnalyticsStore(Path(os.environ["CROSSINGS_VAR_DIR"]) / "small.duckdb")
    store.rebuild(records)
    orm = {name: median_ms(query, max(3, repeat // 2)) for name, query in orm_queries().items()}
    duck = time_indicators(store, list(COMPARED.values()), repeat)
    print(json.dumps({"incidents": sum("incident_ref" in r.data for r in records), "orm": orm,
                      "duck": dict(zip(COMPARED, duck.values(), strict=True))}))


def load_records(records: list[Any]) -> None:
    import datetime as dt

    from django.db import transaction

    from crossings.web.accounts.models import Country, Unit
    from crossings.web.reporting.actions import RECORD_COLUMNS, canonical_json, event_date_of
    from crossings.web.reporting.bulk import insert_rows, json_value
    from crossings.web.reporting.models import Record

    countries = dict(Country.objects.values_list("code", "pk"))
    units = dict(Unit.objects.values_list("code", "pk"))
    now = dt.datetime.now(dt.UTC)
    rows = ((r.uid, "incident" if "incident_ref" in r.data else "aggregate_return",
             countries[r.country], units[r.unit],
             r.data.get("incident_ref") or r.data["return_ref"],
             "", event_date_of(r.data), json_value(canonical_json(r.data)), "-", "1.0.0", 1,
             "APPROVED", None, now, now) for r in records)
    with transaction.atomic():
        insert_rows(Record, RECORD_COLUMNS, rows, prepared=frozenset({"data"}))


def orm_queries() -> dict[str, Callable[[], Any]]:
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from crossings.analysis.flatten import route_columns
    from crossings.analysis.fx import load_rates
    from crossings.web.reporting.models import Record

    def approved() -> Any:
        return Record.objects.filter(record_type="incident", country__code=COUNTRY,
                                     status__in=("APPROVED", "SHARED"), deleted_at__isnull=True,
                                     event_date__year=int(PERIOD))

    def by_month() -> Any:
        return list(approved().annotate(month=TruncMonth("event_date")).values("month")
                    .annotate(n=Count("id")).order_by("month"))

    def by_sex() -> Any:
        sql = ("SELECT sum(json_extract(g.value, '$.female')), sum(json_extract(g.value, "
               "'$.male')), sum(json_extract(g.value, '$.sex_unknown')), count(DISTINCT r.id) "
               "FROM reporting_record r JOIN accounts_country c ON c.id = r.country_id, "
               "json_each(r.data, '$.migrant_groups') g WHERE r.record_type = 'incident' AND "
               "c.code = %s AND r.status IN ('APPROVED', 'SHARED') AND r.deleted_at IS NULL "
               "AND r.event_date BETWEEN %s AND %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [COUNTRY, f"{PERIOD}-01-01", f"{PERIOD}-12-31"])
            return cursor.fetchall()

    def fees() -> Any:
        rates, amounts = load_rates(), {}
        for data in approved().values_list("data", flat=True).iterator(chunk_size=2000):
            for fee in data.get("fee_observations", []):
                usd, _ = rates.to_usd(fee.get("amount"), fee.get("currency"), int(PERIOD))
                if usd is not None and fee.get("unit") == "PER_PERSON":
                    amounts.setdefault(fee["currency"], []).append(usd)
        return {c: statistics.median(v) for c, v in amounts.items()}

    def through() -> Any:
        routes: dict[str, int] = {}
        rows = Record.objects.filter(record_type="incident", status__in=("APPROVED", "SHARED"),
                                     deleted_at__isnull=True, event_date__year=int(PERIOD))
        for data in rows.values_list("data", flat=True).iterator(chunk_size=2000):
            found = route_columns(data.get("route_legs", []), data.get("migrant_groups", []))
            if COUNTRY in found["transit"]:
                total = sum(g.get("total", 0) for g in data.get("migrant_groups", []))
                routes[found["route"]] = routes.get(found["route"], 0) + total
        return routes

    return {"incidents by month": by_month, "migrants by sex": by_sex,
            "fees by currency": fees, "migrants through by route": through}


if __name__ == "__main__":
    main()
