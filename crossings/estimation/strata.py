"""Estimates by stratum (year, citizenship, sex) and their combination.

The population total is the sum of the stratum estimates. Its interval is combined
according to how the stratum intervals were made, strata being independent samples:

* **BCa bootstrap** -- replicate ``b`` of the total is the sum of replicate ``b`` of
  every stratum (each stratum resampled with its own seed from one seed sequence); the
  bias correction compares these sums with the summed estimate, and the acceleration
  comes from the jackknife of the total, i.e. every stratum's delete-one estimates
  set beside the other strata's full estimates.
* **Model-conditional** -- each dark figure is lognormal; a lognormal with the mean and
  variance of their sum (moment matching) gives the interval of the total.
* **Bayesian** -- the posteriors of the stratum sizes are convolved; the credible
  interval is read from the posterior of the total.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from crossings.estimation.bootstrap import bca_limits, jackknife_acceleration
from crossings.estimation.estimator import Estimator
from crossings.estimation.results import (
    EstimationResults,
    lognormal_interval,
    lognormal_moments,
)
from crossings.estimation.table import CaptureTable, Problem, TableError, parse_frame


def split_frame(
    frame: pd.DataFrame, by: str, count_column: str | None = None, source: str = "table"
) -> dict[str, CaptureTable]:
    """One capture table per value of column ``by``; every problem reported at once.

    Raises:
        TableError: If ``by`` is missing or any stratum's rows are faulty.
    """
    if by not in [str(c) for c in frame.columns]:
        raise TableError([Problem("stratum column not found", column=by)], source)
    lists, _, patterns, counts = parse_frame(frame, count_column, [by], source)
    labels = frame[by].astype(str).str.strip().to_numpy()
    blank = np.flatnonzero(labels == "")
    if len(blank):
        raise TableError([Problem("stratum is empty", int(r) + 2, by) for r in blank], source)
    tables = {}
    for label in sorted(set(labels.tolist())):
        rows = labels == label
        if counts[rows].sum() > 0:
            tables[label] = CaptureTable.from_patterns(lists, patterns[rows], counts[rows])
    return tables


@dataclass(frozen=True, eq=False)
class StratifiedResults:
    """Results per stratum and for their total.

    Attributes:
        by: Name of the stratum column.
        strata: Results of each stratum, by label.
        alpha: One minus the interval coverage.
    """

    by: str
    strata: Mapping[str, EstimationResults]
    alpha: float = 0.05

    @property
    def observed(self) -> int:
        """People observed over all strata."""
        return sum(r.observed for r in self.strata.values())

    @cached_property
    def estimate(self) -> float:
        """Sum of the stratum estimates."""
        return float(sum(r.estimate for r in self.strata.values()))

    @property
    def method(self) -> str:
        """Method used in every stratum."""
        return next(iter(self.strata.values())).method

    @property
    def interval_kind(self) -> str:
        """How the stratum intervals were made (and so how they are combined)."""
        return next(iter(self.strata.values())).interval_kind

    def conf_int(self, alpha: float | None = None) -> tuple[float, float]:
        """Interval of the total, combined as described in the module docstring."""
        level = self.alpha if alpha is None else alpha
        results = list(self.strata.values())
        if self.interval_kind == "bca":
            return _combine_bca(results, self.estimate, level)
        if self.interval_kind == "posterior":
            return _combine_posterior(results, level)
        return _combine_lognormal(results, level)

    @cached_property
    def interval(self) -> tuple[float, float]:
        """The default interval, ``conf_int()``."""
        return self.conf_int()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready results: the total first, then each stratum."""
        low, high = self.interval
        finite = [v if math.isfinite(v) else None for v in (self.estimate, low, high)]
        return {
            "method": self.method,
            "by": self.by,
            "observed": self.observed,
            "estimate": finite[0],
            "interval": finite[1:],
            "interval_kind": self.interval_kind,
            "level": 1 - self.alpha,
            "model": "by stratum",
            "combination": COMBINATION[self.interval_kind],
            "strata": {label: r.to_dict() for label, r in self.strata.items()},
        }

    def summary(self) -> str:
        """Plain-language account: total, how it was combined, then each stratum."""
        low, high = self.interval
        parts = [
            f"Estimates by {self.by}; total of {len(self.strata)} strata",
            f"People observed: {self.observed:,}",
            f"Estimated population: {self.estimate:,.0f}; "
            f"{100 * (1 - self.alpha):g}% interval {low:,.0f} to {high:,.0f}",
            f"Combination: {COMBINATION[self.interval_kind]}",
        ]
        for label, result in self.strata.items():
            parts += ["", f"== {self.by} = {label} ==", result.summary()]
        return "\n".join(parts)


COMBINATION = {
    "bca": "BCa on the sum of the strata's bootstrap replicates, acceleration from the "
    "jackknife of the total",
    "model": "lognormal matched to the mean and variance of the summed dark figures",
    "posterior": "posterior of the total by convolving the strata's posteriors",
}


def fit_strata(
    estimator: Estimator, tables: Mapping[str, CaptureTable], by: str
) -> StratifiedResults:
    """Fit ``estimator`` to each stratum, each with its own seed from one sequence."""
    seeds = np.random.SeedSequence(estimator.seed).spawn(len(tables))
    results = {}
    for (label, table), seq in zip(tables.items(), seeds, strict=True):
        seed = int(seq.generate_state(1)[0])
        results[label] = replace(estimator, seed=seed).fit(table)
    return StratifiedResults(by, results, estimator.alpha)


def _combine_bca(
    results: list[EstimationResults], estimate: float, alpha: float
) -> tuple[float, float]:
    boots = [r.bootstrap for r in results if r.bootstrap is not None]
    size = min(len(b.replicates) for b in boots)
    total = np.sum([b.replicates[:size] for b in boots], axis=0)
    jack = np.concatenate([b.jackknife - b.estimate + estimate for b in boots])
    weights = np.concatenate([b.jackknife_counts for b in boots])
    accel = jackknife_acceleration(jack, weights)
    low, high = bca_limits(total, estimate, accel, [alpha / 2, 1 - alpha / 2])
    return low, high


def _combine_lognormal(results: list[EstimationResults], alpha: float) -> tuple[float, float]:
    moments = [lognormal_moments(r.fit) for r in results if r.fit is not None]
    mean = sum(m for m, _ in moments)
    variance = sum(v for _, v in moments)
    observed = sum(r.observed for r in results)
    if not (math.isfinite(mean) and math.isfinite(variance)) or mean <= 0:
        return math.nan, math.nan
    low, high = lognormal_interval(mean, variance, alpha)
    return observed + low, observed + high


def _combine_posterior(results: list[EstimationResults], alpha: float) -> tuple[float, float]:
    pmf = np.array([1.0])
    start = 0.0
    for r in results:
        post = r.posterior
        if post is None:
            return math.nan, math.nan
        pmf = np.convolve(pmf, post.size_probabilities)
        start += float(post.totals[0])
    cdf = np.cumsum(pmf) / pmf.sum()
    low = start + int(np.searchsorted(cdf, alpha / 2))
    high = start + int(np.searchsorted(cdf, 1 - alpha / 2))
    return float(low), float(high)
