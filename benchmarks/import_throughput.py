"""Import throughput: Crossings' full import against a bare pandas + executemany insert.

For each backend (SQLite file, PostgreSQL if its binaries are installed) a fresh store is made;
the same generated files are inserted (1) bare: ``pandas.read_csv`` of every file and
``executemany`` into one plain text table per file, and (2) through ``crossings`` import with full
validation, versions and provenance. Both run in the same process against the same database.
Then a 1,000,000-row incident file is imported in a child process whose peak memory is read.

    .venv/bin/python benchmarks/import_throughput.py [--incidents 100000] [--million-rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--million-rows", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(Path(args.data))
        return
    data = generated(args.incidents)
    for backend in args.backends.split(","):
        run_backend(backend, data)
    if args.million_rows:
        million(args.million_rows, data)


def generated(incidents: int) -> Path:
    from crossings.synthetic import generate

    data = ROOT / "var" / "bench" / f"generated-{incidents}-{SEED}"
    if not data.exists():
        started = time.perf_counter()
        generate(data, incidents=incidents, seed=SEED)
        print(f"generated {incidents:,} incidents in {time.perf_counter() - started:.1f} s")
    return data


def run_backend(backend: str, data: Path) -> None:
    env = {**os.environ, "CROSSINGS_ENV": "test", "PYTHONPATH": str(ROOT)}
    scratch = Path(tempfile.mkdtemp(prefix="crossings-bench-"))
    scratch.chmod(0o755)  # the PostgreSQL cluster below belongs to the postgres user
    try:
        if backend == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
        else:
            pg = subprocess.run([str(ROOT / "scripts/postgres.sh"), "start", str(scratch / "pg")],
                                capture_output=True, text=True, check=False)
            if pg.returncode:
                print(f"postgres: skipped ({pg.stderr.strip()})")
                return
            env["DATABASE_URL"] = pg.stdout.strip()
        print(f"== {backend}", flush=True)
        subprocess.run([sys.executable, __file__, "--worker", backend, "--data", str(data)],
                       env=env, check=True)
    finally:
        if backend != "sqlite":
            subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop", str(scratch / "pg")],
                           check=False)
        shutil.rmtree(scratch, ignore_errors=True)


def worker(data: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossings.web.settings")
    django.setup()
    from crossings.web.setup import initialise

    initialise()
    countries = sorted(p for p in data.iterdir() if p.is_dir() and len(p.name) == 3)
    rows, bare = bare_insert(countries)
    ours = crossings_import(countries)
    print(f"rows: {rows:,}")
    print(f"bare pandas.read_csv + executemany: {bare:8.2f} s  ({rows / bare:,.0f} rows/s)")
    print(f"crossings import (full validation): {ours:8.2f} s  ({rows / ours:,.0f} rows/s)")
    print(f"ratio crossings / bare: {ours / bare:.2f}x  (target <= 2x)", flush=True)


def bare_insert(countries: list[Path]) -> tuple[int, float]:
    import pandas as pd
    from django.db import connection, transaction

    rows = 0
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for country in countries:
            for path in sorted(country.glob("*.csv")):
                frame = pd.read_csv(path, dtype=str, keep_default_na=False)
                table = f"bare_{country.name}_{path.stem}".lower()
                columns = ", ".join(f'"{c}" TEXT' for c in frame.columns)
                cursor.execute(f'CREATE TABLE "{table}" ({columns})')
                marks = ", ".join(["%s"] * len(frame.columns))
                cursor.executemany(f'INSERT INTO "{table}" VALUES ({marks})',
                                   list(frame.itertuples(index=False, name=None)))
                rows += len(frame)
    return rows, time.perf_counter() - started


def crossings_import(countries: list[Path]) -> float:
    from crossings.web.accounts.models import Unit
    from crossings.web.reporting.actions import import_files

    started = time.perf_counter()
    for country in countries:
        unit = Unit.objects.get(country__code=country.name, kind="NFP")
        result = import_files(sorted(country.glob("*.csv")), unit.code)
        if not result.ok:
            raise SystemExit(f"{country.name}: {result.problems[:3]}")
    return time.perf_counter() - started


def million(rows: int, data: Path) -> None:
    source = max((p for p in data.iterdir() if (p / "incidents.csv").exists()),
                 key=lambda p: (p / "incidents.csv").stat().st_size)
    scratch = Path(tempfile.mkdtemp(prefix="crossings-million-"))
    big = scratch / "incidents.csv"
    with (source / "incidents.csv").open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        template = list(reader)
    ref = header.index("incident_ref")
    with big.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(rows):
            row = list(template[i % len(template)])
            row[ref] = f"BIG-{i}"
            writer.writerow(row)
    env = {**os.environ, "CROSSINGS_ENV": "test",
           "DATABASE_URL": f"sqlite:///{scratch / 'million.sqlite3'}"}
    crossings = str(Path(sys.executable).with_name("crossings"))
    subprocess.run([crossings, "init"], env=env, check=True, capture_output=True)
    unit = _nfp_unit(env, source.name, crossings)
    started = time.perf_counter()
    result = subprocess.run([crossings, "import", str(big), "--unit", unit, "--json"], env=env,
                            capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"== 1,000,000-row file: {rows:,} incident rows, exit {result.returncode}, "
          f"{elapsed:.1f} s, peak memory {peak_mb:,.0f} MB (target < 1,024 MB)")
    shutil.rmtree(scratch, ignore_errors=True)


def _nfp_unit(env: dict[str, str], country: str, crossings: str) -> str:
    listing = subprocess.run([crossings, "units", "--country", country], env=env, check=True,
                             capture_output=True, text=True).stdout
    return next(line.split()[0] for line in listing.splitlines() if "-NFP-" in line)


if __name__ == "__main__":
    main()
