"""BCa bootstrap: reproducibility, and agreement with the published limits."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from crossings.estimation import Estimator
from crossings.estimation.bootstrap import bca_limits, jackknife_acceleration
from tests.estimation.conftest import load
from tests.estimation.results import published

SEEDS = (1234, 1, 2, 3, 4, 5)


def test_same_seed_same_interval_other_seed_other_interval() -> None:
    table = load("NewOrl_5")
    first = Estimator(bootstrap=200, seed=7).fit(table).interval
    again = Estimator(bootstrap=200, seed=7).fit(table).interval
    other = Estimator(bootstrap=200, seed=8).fit(table).interval
    assert first == again
    assert first != other


def test_bca_reduces_to_percentile_without_bias_or_acceleration() -> None:
    reps = np.arange(1.0, 1002.0)
    low, high = bca_limits(reps, float(np.median(reps)), 0.0, [0.025, 0.975])
    assert low == pytest.approx(np.quantile(reps, 0.025, method="median_unbiased"), rel=1e-2)
    assert high == pytest.approx(np.quantile(reps, 0.975, method="median_unbiased"), rel=1e-2)


def test_acceleration_is_zero_for_symmetric_jackknife() -> None:
    assert jackknife_acceleration(np.array([1.0, 3.0]), np.array([5.0, 5.0])) == 0.0
    assert jackknife_acceleration(np.array([1.0, 1.0, 4.0]), np.ones(3)) < 0


@functools.cache
def seed_envelope(name: str) -> np.ndarray:
    """Our BCa limits for six seeds, one row per seed (computed once per table)."""
    table = load(name)
    return np.array([Estimator(seed=s).fit(table).interval for s in SEEDS])


# Limits whose published value lies outside our six-seed envelope (widened by 2 %): our
# lower limits run about 10 % below R's. The point estimates, models and jackknife are
# deterministic and agree; the difference is in the bootstrap replicates and is not yet
# explained. Strict: these tests fail as soon as the limits start to agree.
NOT_REPRODUCED = {("NewOrl", "lower"), ("Western", "lower")}

CASES = [
    pytest.param(
        ref, side,
        id=f"{ref.data}-{side}",
        marks=[pytest.mark.xfail(strict=True, reason="BCa limit below published; see report")]
        if (ref.data, side) in NOT_REPRODUCED else [],
    )
    for ref in published.STEPWISE
    for side in ("lower", "upper")
]


@pytest.mark.slow
@pytest.mark.parametrize(("ref", "side"), CASES)
def test_published_bca_limit_within_seed_envelope(ref: published.Published, side: str) -> None:
    """The published limits come from R's random stream, which we cannot replay.

    With these sparse tables the BCa limits move by up to 20 % from seed to seed (the
    bias correction puts the lower limit deep in the tail of 1,000 replicates), so the
    test asks that each published limit lies within the range of our limits over six
    seeds, widened by the reference's 2 %.
    """
    column = 0 if side == "lower" else 1
    ours = seed_envelope(ref.data)[:, column]
    target = ref.lower if side == "lower" else ref.upper
    assert ours.min() * 0.98 <= target <= ours.max() * 1.02, (target, ours)
