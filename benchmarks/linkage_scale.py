"""Linkage at scale: a million generated persons on one machine, against a baseline.

    .venv/bin/python benchmarks/linkage_scale.py [--persons 1000000] [--seed 7] [--keep DIR]

Generates the data in a child process (not timed, not in the memory figure), then links the
person list with the full pipeline (prepare keys, train, predict, cluster) and, as the
baseline in the same run, deterministic linkage on exact keys (phone, document, phonetic name
with full date of birth). Prints time per stage, peak resident memory of this process, the
ratio full / baseline, and both scores against the generator's truth.
Target: 1,000,000 persons in <= 10 minutes with peak memory < 8 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pv

from crossings.linkage.backends import DuckDBBackend
from crossings.linkage.cluster import Link, cluster, stable_ids
from crossings.linkage.evaluate import score
from crossings.linkage.model import PersonModel
from crossings.linkage.pipeline import links_of
from crossings.linkage.prepare import PERSON_COLUMNS, prepare_persons


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def read(out: Path) -> tuple[pa.Table, dict[str, str]]:
    options = pv.ConvertOptions(column_types={c: pa.string() for c in PERSON_COLUMNS})
    table = pv.read_csv(out / "linkage" / "persons.csv", convert_options=options)
    with (out / "truth" / "person_identities.csv").open(encoding="utf-8") as handle:
        truth = {f"{r['reporting_country']}:{r['person_ref']}": r["identity_id"]
                 for r in csv.DictReader(handle)}
    return table, truth


def baseline(prepared: pa.Table) -> dict[str, str]:
    """Deterministic linkage: records sharing a phone, a document or name + full birth date."""
    holders: dict[str, list[str]] = {}
    cols = prepared.select(["unique_id", "phone", "document", "name_key", "birth_year",
                            "birth_month", "birth_day"]).to_pylist()
    for r in cols:
        keys = [f"p:{r['phone']}" if r["phone"] else None,
                f"d:{r['document']}" if r["document"] else None,
                f"n:{r['name_key']}|{r['birth_year']}-{r['birth_month']}-{r['birth_day']}"
                if r["name_key"] and r["birth_day"] else None]
        for key in filter(None, keys):
            holders.setdefault(key, []).append(r["unique_id"])
    links = [Link(g[0], o, 1.0) for g in holders.values() for o in g[1:]]
    return stable_ids(cluster(prepared["unique_id"].to_pylist(), links, 0.5))


def stage(name: str, start: float, timings: dict[str, float]) -> float:
    now = time.perf_counter()
    timings[name] = now - start
    print(f"  {name:<10} {timings[name]:7.1f} s   peak RSS {peak_rss_gb():.2f} GB", flush=True)
    return now


def run(out: Path) -> None:
    table, truth = read(out)
    print(f"{table.num_rows:,} person records, {len(set(truth.values())):,} true identities")
    timings: dict[str, float] = {}
    t = start = time.perf_counter()
    prepared = prepare_persons(table)
    t = stage("prepare", t, timings)
    backend = DuckDBBackend(threads=2, memory_limit="6GB", temp_directory=str(out / "spill"))
    model = PersonModel().train(prepared, backend)
    t = stage("train", t, timings)
    pairs = model.predict(prepared, backend)
    t = stage("predict", t, timings)
    links = links_of(pairs)
    reps = cluster(prepared["unique_id"].to_pylist(), links, model.settings.match_threshold)
    ids = stable_ids(reps)
    t = stage("cluster", t, timings)
    full = t - start
    base_start = time.perf_counter()
    base = baseline(prepared)
    base_time = time.perf_counter() - base_start
    ours, det = score(ids, truth), score(base, truth)
    print(f"\npairs scored: {pairs.num_rows:,}")
    print(f"full pipeline: {full:.1f} s ({full / 60:.1f} min); peak RSS {peak_rss_gb():.2f} GB")
    print(f"baseline (deterministic keys, same prepared table): {base_time:.1f} s; "
          f"ratio full/baseline {full / base_time:.1f}x (prepare included in full only)")
    for name, s in (("ours", ours), ("baseline", det)):
        print(f"{name:>9}: precision {s.precision:.4f} recall {s.recall:.4f} F1 {s.f1:.4f} "
              f"identities {s.identities_found:,} / {s.identities_true:,}")
    verdict = "met" if full <= 600 and peak_rss_gb() < 8 else "NOT met"
    print(f"target (<= 600 s, < 8 GB): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="Generate into (or reuse) this directory.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        if not (out / "linkage" / "persons.csv").is_file():
            start = time.perf_counter()
            command = str(Path(sys.executable).with_name("crossings"))
            subprocess.run([command, "generate", "--persons",
                            str(args.persons), "--seed", str(args.seed), str(out)], check=True,
                           stdout=subprocess.DEVNULL)
            print(f"generated in {time.perf_counter() - start:.0f} s (not timed below)")
        run(out)


if __name__ == "__main__":
    main()
