"""Benchmark: 1,000-replicate BCa bootstrap with stepwise selection on UKdat and Ned.

Run: ``.venv/bin/python benchmarks/mse_bootstrap.py [--replicates 1000] [--baseline 20]``.

Prints, for each six-list table, the time of the full bootstrap (selection repeated in
every resample, plus the jackknife), the estimate and interval, and the ratio against a
baseline measured in the same run: the same stepwise bootstrap with every model fitted
by statsmodels' GLM, on a few replicates, scaled up to the full count.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import statsmodels.api as sm

from crossings.estimation import CaptureTable, Estimator, loglinear
from crossings.estimation.bootstrap import resample

DATA = Path(__file__).resolve().parents[1] / "tests" / "estimation" / "data"


def statsmodels_newton(
    matrix: np.ndarray, y: np.ndarray, beta: np.ndarray | None = None,
    tol: float = 1e-10, max_iter: int = 100,
) -> tuple[np.ndarray, float, bool]:
    """Drop-in for the library's Newton fitter using statsmodels GLM (the baseline)."""
    result = sm.GLM(y, matrix, family=sm.families.Poisson()).fit(tol=tol, maxiter=max_iter)
    return np.asarray(result.params), float(result.cov_params()[0, 0]), bool(result.converged)


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Seconds taken by ``action`` and its result."""
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def baseline_per_replicate(table: CaptureTable, replicates: int) -> float:
    """Seconds per resample of stepwise selection with statsmodels fits."""
    original = loglinear.newton_poisson
    loglinear.newton_poisson = statsmodels_newton
    try:
        estimator = Estimator(bootstrap=0)
        draws = resample(table.cells.astype(float), replicates, 99)
        seconds, _ = timed(lambda: [estimator.fit(table.with_cells(d)) for d in draws])
    finally:
        loglinear.newton_poisson = original
    return seconds / replicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=20, help="replicates for the baseline")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    for name in ("UKdat", "Ned"):
        table = CaptureTable.from_csv(DATA / f"{name}.csv")
        seconds, results = timed(lambda t=table: Estimator(bootstrap=args.replicates).fit(t))
        low, high = results.interval  # type: ignore[attr-defined]
        per_rep_ours = seconds / (args.replicates + len(table.observed_patterns()) + 1)
        per_rep_base = baseline_per_replicate(table, args.baseline)
        print(f"{name}: {args.replicates} BCa replicates in {seconds:.2f} s "
              f"(target < 10 s); estimate {results.estimate:,.0f}, "  # type: ignore[attr-defined]
              f"95% BCa {low:,.0f} to {high:,.0f}; model {results.model}")  # type: ignore[attr-defined]
        print(f"  baseline (statsmodels GLM per fit, {args.baseline} replicates scaled): "
              f"{per_rep_base * 1000:.1f} ms/replicate vs ours {per_rep_ours * 1000:.2f} ms; "
              f"speed-up x{per_rep_base / per_rep_ours:.1f}")


if __name__ == "__main__":
    main()
