"""BCa bootstrap: reproducibility, and agreement with the published limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crossings.estimation import Estimator
from crossings.estimation.bootstrap import bca_limits, jackknife_acceleration
from tests.estimation.conftest import DATA, load
from tests.estimation.results import published


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


def r_resamples(name: str) -> tuple[np.ndarray, np.ndarray]:
    """R's 1,000 resamples (seed 1234) as our cells, and R's estimate for each.

    Recorded by running SparseMSE 2.0.2's ``estimatepopulation(zdat, nboot = 1000,
    iseed = 1234)`` in R 4.2.2 on the table's CSV, keeping each ``rmultinom`` draw (one
    column per row of the CSV, named by its capture pattern) and ``bootreps``; see
    ../data/SOURCES.md.
    """
    table = load(name)
    frame = pd.read_csv(DATA / "r_bootstrap" / f"{name}_seed1234.csv.gz", dtype={"r_estimate": float})
    patterns = [c for c in frame.columns if c != "r_estimate"]
    masks = [sum(1 << j for j, bit in enumerate(p) if bit == "1") for p in patterns]
    cells = np.zeros((len(frame), len(table.cells)), dtype=np.int64)
    cells[:, np.array(masks) - 1] = frame[patterns].to_numpy()
    return cells, frame["r_estimate"].to_numpy()


@pytest.mark.slow
@pytest.mark.parametrize("ref", published.STEPWISE, ids=lambda r: r.data)
def test_published_bca_limits_reproduced_on_r_resamples(ref: published.Published) -> None:
    """Given R's resamples, every replicate and both published limits are reproduced.

    The method (stepwise selection in each resample, jackknife acceleration, z0 from the
    share below the estimate, type-8 quantiles) is SparseMSE's; the published limits
    differ from ours at another seed only through the random stream.
    """
    cells, r_estimates = r_resamples(ref.data)
    results = Estimator(method="stepwise").fit(load(ref.data), resamples=cells)
    boot = results.bootstrap
    assert boot is not None and boot.failed == 0
    np.testing.assert_allclose(boot.replicates, r_estimates, rtol=1e-6)
    low, high = results.interval
    assert low == pytest.approx(ref.lower, rel=0.02)
    assert high == pytest.approx(ref.upper, rel=0.02)


@pytest.mark.slow
def test_lower_limit_is_the_smallest_replicate_on_sparse_tables() -> None:
    """Why the lower limits move so much between seeds (in R as in ours).

    Fewer than a quarter of the replicates fall below the New Orleans estimate, so
    z0 is about -1 and the BCa level of the 2.5 % limit is about 1e-5, below
    1 / (B + 1): the limit is the minimum of the 1,000 replicates.
    """
    results = Estimator(seed=1234).fit(load("NewOrl"))
    boot = results.bootstrap
    assert boot is not None
    low_level, _ = boot.levels()
    assert low_level < 1 / (len(boot.replicates) + 1)
    assert boot.tail_limited()
    assert results.interval[0] == pytest.approx(boot.replicates.min())
    assert any("most extreme bootstrap replicate" in w for w in results.warnings)


def test_resamples_are_checked() -> None:
    table = load("Korea")
    good = np.tile(table.cells, (3, 1))
    assert len(Estimator().fit(table, resamples=good).bootstrap.replicates) == 3  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="total"):
        Estimator().fit(table, resamples=good + 1)
    with pytest.raises(ValueError, match="array of counts"):
        Estimator().fit(table, resamples=good[:, :-1])
