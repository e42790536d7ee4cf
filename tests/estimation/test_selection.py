"""Model searches: stepwise by p-value and AIC, hierarchical BIC enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from crossings.estimation import Estimator
from crossings.estimation.selection import count_hierarchical_models, hierarchical_models
from tests.estimation.conftest import load


def test_six_lists_pairwise_models_number_2_to_the_15() -> None:
    # SparseMSE documents 32,768 six-list hierarchical models of order at most 2.
    assert count_hierarchical_models(6, 2, 100_000) == 32_768


@pytest.mark.parametrize(("lists", "order"), [(3, 2), (4, 3), (5, 3)])
def test_enumerated_models_are_hierarchical_and_distinct(lists: int, order: int) -> None:
    models = list(hierarchical_models(lists, order))
    assert len(set(models)) == len(models)
    for model in models:
        for term in model:
            assert term.bit_count() <= order
            for size in range(2, term.bit_count()):
                bits = [1 << j for j in range(lists) if term >> j & 1]
                assert all(sum(s) in model for s in itertools.combinations(bits, size))


def test_three_lists_order_two_has_eight_models() -> None:
    assert count_hierarchical_models(3, 2, 100) == 8


def test_bic_ranks_usable_models_and_lists_excluded_ones() -> None:
    results = Estimator(method="bic", bootstrap=0).fit(load("Artificial_3"))
    cands = [c.to_dict() for c in results.candidates]
    usable = [c for c in cands if c["mle_exists"] and c["identifiable"]]
    assert [c["bic"] for c in usable] == sorted(c["bic"] for c in usable)
    assert results.model == usable[0]["model"]
    excluded = {c["model"] for c in cands if not (c["mle_exists"] and c["identifiable"])}
    assert {"A:B", "A:B + A:C + B:C"} <= excluded
    assert any("excluded" in w for w in results.warnings)


def test_bic_with_bootstrap_reselects_among_top_models() -> None:
    results = Estimator(method="bic", bootstrap=200, seed=5).fit(load("Korea"))
    low, high = results.interval
    assert low < results.estimate < high


def test_aic_stepwise_never_worse_aic_than_main_effects() -> None:
    results = Estimator(method="aic", bootstrap=0).fit(load("Western"))
    main = results.candidates[0].to_dict()
    assert main["model"] == "main effects"
    assert results.fit is not None
    assert results.fit.aic <= main["aic"]


# Two of R's bootstrap resamples of New Orleans (SparseMSE, seed 1234: replicates 17 and
# 134), counts in the row order of NewOrl.csv; R's selected model and estimate.
R_RESAMPLES = {
    "warm start": (
        [33, 0, 2, 1, 0, 0, 8, 1, 81, 1, 3, 0, 22, 0, 6, 2, 2, 3, 20],
        "B:F + C:E + E:H", 2967.2459575409,
    ),
    "empty list B": (
        [25, 1, 2, 1, 0, 0, 0, 0, 71, 2, 0, 2, 37, 3, 7, 2, 4, 7, 21],
        "main effects", 1110.46091042596,
    ),
}


@pytest.mark.parametrize("case", list(R_RESAMPLES))
def test_stepwise_agrees_with_sparsemse_on_awkward_resamples(case: str) -> None:
    """``warm start``: B:F joins with one person on both lists, and Newton's method
    started from the previous model's coefficients did not converge; the fit must be
    restarted as glm starts. ``empty list B``: SparseMSE's existence check fails for
    every interaction, so the search stops at main effects."""
    counts, model, estimate = R_RESAMPLES[case]
    original = load("NewOrl")
    masks = [int(m) for m in np.flatnonzero(original.cells) + 1]
    # NewOrl.csv lists its patterns in this order (mask of the lists on each row).
    csv_masks = [1, 5, 9, 17, 69, 25, 2, 34, 4, 12, 20, 68, 8, 24, 16, 144, 32, 64, 128]
    assert sorted(csv_masks) == masks
    cells = np.zeros_like(original.cells)
    cells[np.array(csv_masks) - 1] = counts
    results = Estimator(bootstrap=0).fit(original.with_cells(cells))
    assert results.model == model
    assert results.estimate == pytest.approx(estimate, rel=1e-8)
