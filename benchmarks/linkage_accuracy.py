"""Linkage accuracy on generated multi-script data, against Splink with default comparisons.

    .venv/bin/python benchmarks/linkage_accuracy.py [--incidents 3000] [--seed 7]

Generates a seeded data set (names in Khmer, Thai, Lao, Burmese and Vietnamese, written and
romanised differently in each report), links its person list, and prints pairwise precision,
recall and F1 and cluster-level scores against the generator's truth:

- ours: the Crossings model (all name keys);
- the ablation: reported romanisation only, + native script, + romanisations of the native
  form, + phonetic keys (= ours), each trained from scratch;
- baseline: Splink's own comparisons (NameComparison, DateOfBirthComparison, ExactMatch) on
  the raw columns, trained the same unsupervised way.
"""

from __future__ import annotations

import argparse
import csv
import logging
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

from crossings.linkage.cli import read_person_lists
from crossings.linkage.cluster import cluster
from crossings.linkage.comparisons import NameKeyOptions
from crossings.linkage.evaluate import Scores, score
from crossings.linkage.model import LinkageSettings, PersonModel
from crossings.linkage.pipeline import link_persons, links_of
from crossings.synthetic import generate

ABLATION = {
    "reported romanisation only": NameKeyOptions(native=False, romanise=False, phonetic=False),
    "+ native script": NameKeyOptions(native=True, romanise=False, phonetic=False),
    "+ romanised native": NameKeyOptions(native=True, romanise=True, phonetic=False),
    "+ phonetic keys (ours)": NameKeyOptions(),
}
PEOPLES = ("KHM", "THA", "LAO", "MMR", "VNM", "ROH")


def load(out: Path) -> tuple[pa.Table, dict[str, str]]:
    table, _ = read_person_lists([out / "linkage" / "persons.csv"])
    with (out / "truth" / "person_identities.csv").open(encoding="utf-8") as handle:
        truth = {f"{r['reporting_country']}:{r['person_ref']}": r["identity_id"]
                 for r in csv.DictReader(handle)}
    return table, truth


def ours(table: pa.Table, options: NameKeyOptions) -> tuple[dict[str, str], float]:
    start = time.perf_counter()
    result = link_persons(table, PersonModel(LinkageSettings(name_keys=options)))
    return result.identities, time.perf_counter() - start


def splink_defaults(table: pa.Table, threshold: float) -> tuple[dict[str, str], float]:
    """Splink out of the box: its name, date and exact comparisons on the raw columns."""
    start = time.perf_counter()
    raw = table.rename_columns(["unique_id" if c == "record_id" else c
                                for c in table.column_names])
    raw = raw.set_column(raw.column_names.index("full_name"), "full_name",
                         pc.utf8_lower(raw["full_name"]))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.NameComparison("full_name"),
                     cl.DateOfBirthComparison("birth_date", input_is_string=True),
                     cl.ExactMatch("sex"), cl.ExactMatch("nationality"), cl.ExactMatch("phone"),
                     cl.ExactMatch("document_number")],
        blocking_rules_to_generate_predictions=[
            block_on("full_name"), block_on("birth_date"), block_on("phone"),
            block_on("document_number")])
    linker = Linker(DuckDBAPI().register(raw), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("full_name", "birth_date")], 0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    for rule in (block_on("full_name"), block_on("birth_date")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=1.0)
    pairs = linker.inference.predict(threshold_match_probability=0.05).as_pyarrow_table()
    reps = cluster(raw["unique_id"].to_pylist(), links_of(pairs), threshold)
    return reps, time.perf_counter() - start


def by_people(found: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    out = {}
    for people in PEOPLES:
        keep = [r for r, t in truth.items() if t.startswith(people + "-")]
        if keep:
            out[people] = score({r: found[r] for r in keep}, {r: truth[r] for r in keep}).f1
    return out


def row(name: str, s: Scores, seconds: float) -> str:
    return (f"| {name} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} | "
            f"{s.exact_clusters:.4f} | {s.identities_found} / {s.identities_true} | "
            f"{seconds:.1f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), incidents=args.incidents, seed=args.seed)
        table, truth = load(Path(tmp))
    print(f"{table.num_rows} person records, {len(set(truth.values()))} true identities "
          f"(incidents={args.incidents}, seed={args.seed})\n")
    print("| model | precision | recall | F1 | exact clusters | identities | time |")
    print("|---|---|---|---|---|---|---|")
    results = {}
    for name, options in ABLATION.items():
        found, seconds = ours(table, options)
        results[name] = score(found, truth)
        print(row(name, results[name], seconds), flush=True)
    base, seconds = splink_defaults(table, LinkageSettings().match_threshold)
    baseline = score(base, truth)
    print(row("Splink default comparisons", baseline, seconds))
    full = results["+ phonetic keys (ours)"]
    print(f"\nF1 ours {full.f1:.4f} vs Splink defaults {baseline.f1:.4f} "
          f"(ratio {full.f1 / baseline.f1:.3f}); target F1 >= 0.95: "
          f"{'met' if full.f1 >= 0.95 else 'NOT met'}")
    found, _ = ours(table, NameKeyOptions())
    print("F1 by people:", {k: round(v, 4) for k, v in by_people(found, truth).items()})


if __name__ == "__main__":
    main()
