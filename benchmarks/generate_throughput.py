"""Throughput of the synthetic generator against a plain pandas CSV write of the same size.

Run: ``.venv/bin/python benchmarks/generate_throughput.py [--persons 1000000]``. Prints persons per
second and the ratio of generator time to the time pandas needs just to write a random frame with
as many rows and columns as persons.csv (the baseline is measured in the same run).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from crossings.synthetic import generate


def baseline(rows: int, out: Path) -> float:
    """Seconds pandas needs to write a random 14-column text/number frame of ``rows`` rows."""
    rng = np.random.default_rng(0)
    words = np.array(["Sok Chantha", "Nguyen Van Hung", "Aung Kyaw Min", "Somchai Jaidee"])
    frame = pd.DataFrame({f"c{i}": (words[rng.integers(0, 4, rows)] if i % 2 else
                                    rng.integers(0, 10**9, rows)) for i in range(14)})
    start = time.perf_counter()
    frame.to_csv(out, index=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = generate(Path(tmp) / "out", persons=args.persons, seed=args.seed)
        took = time.perf_counter() - start
        base = baseline(summary.persons, Path(tmp) / "baseline.csv")
    total_rows = sum(summary.rows.values())
    print(f"generated {summary.persons:,} persons, {summary.incidents:,} incidents, "
          f"{total_rows:,} rows in all, in {took:.1f} s")
    print(f"persons per second: {summary.persons / took:,.0f}")
    print(f"baseline pandas to_csv of {summary.persons:,} x 14 random cells: {base:.1f} s")
    print(f"ratio generator / baseline: {took / base:.2f}")


if __name__ == "__main__":
    main()
