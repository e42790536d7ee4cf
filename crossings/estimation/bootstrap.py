"""BCa bootstrap intervals with the whole model selection repeated in each resample.

As in Chan, Silverman & Vincent (2021, section 3.3): the observed people are resampled
``B`` times from a multinomial distribution over the observed capture patterns; the
estimator (selection and all) is rerun on each resample. The bias correction ``z0`` is
the normal quantile of the share of replicates below the estimate; the acceleration
``a`` comes from a delete-one-person jackknife, each pattern's residual counted as many
times as people have that pattern. Limits are type-8 quantiles (as R's
``quantile(type = 8)``) of the replicates at the BCa-adjusted levels. This is line for
line SparseMSE's ``estimatepopulation`` and ``bcaconfvalues``; given the same resamples
(``resamples=``) it gives R's replicates and limits exactly.

With sparse tables the bias correction is large (a fifth or less of the replicates fall
below the estimate), and the adjusted level of the lower limit can fall below
``1 / (B + 1)``: the lower limit is then the smallest replicate, and moves by tens of
per cent from one random stream to the next (in R as here). :meth:`BootstrapResult.levels`
shows the adjusted levels; :meth:`BootstrapResult.tail_limited` flags such limits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
EstimateFn = Callable[[FloatArray], float]
"""Maps the counts of patterns ``1 .. 2**m - 1`` to a population estimate."""

DEFAULT_REPLICATES = 1000
DEFAULT_SEED = 1234


@dataclass(frozen=True)
class BootstrapResult:
    """Replicates and jackknife of one estimator on one table.

    Attributes:
        estimate: The estimate from the original counts.
        replicates: Estimates from the resamples that gave a finite estimate.
        failed: Number of resamples with no usable estimate (left out).
        jackknife: Estimate with one person removed, per observed pattern.
        jackknife_counts: People with each of those patterns (the jackknife weights).
        seed: Seed of the random stream.
    """

    estimate: float
    replicates: FloatArray
    failed: int
    jackknife: FloatArray
    jackknife_counts: FloatArray
    seed: int | None

    @property
    def acceleration(self) -> float:
        """BCa acceleration from the delete-one jackknife."""
        return jackknife_acceleration(self.jackknife, self.jackknife_counts)

    def levels(self, alpha: float = 0.05) -> tuple[float, float]:
        """BCa-adjusted lower-tail levels at which the two limits are read."""
        low, high = bca_levels(
            self.replicates, self.estimate, self.acceleration, [alpha / 2, 1 - alpha / 2]
        )
        return low, high

    def tail_limited(self, alpha: float = 0.05) -> bool:
        """True when a limit is read beyond the extreme replicates (level outside
        ``[1 / (B + 1), B / (B + 1)]``): it is then the smallest or largest replicate
        and depends strongly on the random stream."""
        count = len(self.replicates)
        if count == 0:
            return False
        low, high = self.levels(alpha)
        return low < 1 / (count + 1) or high > count / (count + 1)

    def interval(self, alpha: float = 0.05) -> tuple[float, float]:
        """Two-sided BCa interval with coverage ``1 - alpha``."""
        low, high = bca_limits(
            self.replicates, self.estimate, self.acceleration, [alpha / 2, 1 - alpha / 2]
        )
        return low, high


def jackknife_acceleration(jackknife: FloatArray, counts: FloatArray) -> float:
    """Acceleration ``sum(w d^3) / (6 (sum(w d^2))^1.5)``, ``d`` the jackknife residuals."""
    total = counts.sum()
    if total == 0:
        return 0.0
    residual = (counts * jackknife).sum() / total - jackknife
    denom = (counts * residual**2).sum()
    if not np.isfinite(denom) or denom <= 0:
        return 0.0
    return float((counts * residual**3).sum() / (6.0 * denom**1.5))


def bca_limits(
    replicates: FloatArray, estimate: float, acceleration: float, levels: list[float]
) -> list[float]:
    """BCa limits of the bootstrap ``replicates`` at the given lower-tail ``levels``.

    The share of replicates below the estimate is kept within ``[1/(2B), 1 - 1/(2B)]``
    so that a replicate set lying wholly on one side still gives finite limits.
    """
    if len(replicates) == 0:
        return [math.nan for _ in levels]
    adjusted = bca_levels(replicates, estimate, acceleration, levels)
    return [float(v) for v in np.quantile(replicates, adjusted, method="median_unbiased")]


def bca_levels(
    replicates: FloatArray, estimate: float, acceleration: float, levels: list[float]
) -> list[float]:
    """BCa-adjusted levels ``Phi(z0 + (z0 + z) / (1 - a (z0 + z)))``, ``z0`` from the
    share of replicates strictly below the estimate (kept within
    ``[1/(2B), 1 - 1/(2B)]``)."""
    count = len(replicates)
    if count == 0:
        return [math.nan for _ in levels]
    share = float(np.mean(replicates < estimate))
    share = min(max(share, 0.5 / count), 1 - 0.5 / count)
    z0 = stats.norm.ppf(share)
    z = stats.norm.ppf(levels) + z0
    return [float(v) for v in stats.norm.cdf(z0 + z / (1 - acceleration * z))]


def resample(counts: FloatArray, replicates: int, seed: int | None) -> IntArray:
    """``replicates`` multinomial resamples of the observed people over their patterns."""
    rng = np.random.default_rng(seed)
    total = int(counts.sum())
    return rng.multinomial(total, counts / total, size=replicates).astype(np.int64)


def check_resamples(resamples: npt.ArrayLike, counts: FloatArray) -> IntArray:
    """Validate externally drawn resamples: non-negative integers, one column per
    pattern, each row totalling the people observed, nobody on an unobserved pattern."""
    draws = np.asarray(resamples)
    if draws.ndim != 2 or draws.shape[1] != len(counts) or len(draws) == 0:
        raise ValueError(f"resamples must be a (replicates, {len(counts)}) array of counts")
    if not np.array_equal(draws, np.round(draws)) or (draws < 0).any():
        raise ValueError("resamples must hold non-negative whole counts")
    if not np.allclose(draws.sum(axis=1), counts.sum()):
        raise ValueError("every resample must total the number of people observed")
    if (draws[:, counts == 0] > 0).any():
        raise ValueError("resamples put people on patterns nobody has")
    return draws.astype(np.int64)


def jackknife(estimate_fn: EstimateFn, counts: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Delete-one-person estimates, one per observed pattern, with the pattern counts."""
    observed = np.flatnonzero(counts)
    values = np.empty(len(observed))
    for k, cell in enumerate(observed):
        reduced = counts.copy()
        reduced[cell] -= 1
        values[k] = estimate_fn(reduced)
    return values, counts[observed]


def run_bootstrap(
    estimate_fn: EstimateFn,
    counts: FloatArray,
    replicates: int = DEFAULT_REPLICATES,
    seed: int | None = DEFAULT_SEED,
    resamples: IntArray | None = None,
) -> BootstrapResult:
    """Bootstrap and jackknife an estimator.

    Args:
        estimate_fn: The whole estimator, selection included; may return NaN when a
            resample has no usable model (such resamples are counted and left out).
        counts: Counts of patterns ``1 .. 2**m - 1``.
        replicates: Number of resamples.
        seed: Seed for :func:`numpy.random.default_rng`; the same seed gives the same
            interval.
        resamples: Resampled counts to use instead of drawing them (one row per
            resample, same patterns as ``counts``), e.g. to replay another program's
            random stream; ``replicates`` and ``seed`` are then ignored.
    """
    estimate = estimate_fn(counts)
    if resamples is None:
        draws = resample(counts, replicates, seed)
    else:
        draws = check_resamples(resamples, counts)
        seed = None
    values = np.array([estimate_fn(row.astype(np.float64)) for row in draws])
    finite = np.isfinite(values)
    jack, weights = jackknife(estimate_fn, counts)
    jack_ok = np.isfinite(jack)
    return BootstrapResult(
        estimate=estimate,
        replicates=values[finite],
        failed=int((~finite).sum()),
        jackknife=jack[jack_ok],
        jackknife_counts=weights[jack_ok],
        seed=seed,
    )
