"""The Poisson fitter against statsmodels, the sparse-data rules and the MLE checks."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from crossings.estimation.loglinear import (
    CellData,
    LoglinearFitter,
    lp_mle_exists,
    parse_model,
    superset_sums,
)
from crossings.estimation.selection import pairs
from tests.estimation.conftest import load


def test_fit_matches_statsmodels_glm() -> None:
    table = load("Western")
    fitter = LoglinearFitter(table.lists)
    model = parse_model(["A:E", "B:C"], table.lists)
    fit = fitter.fit(CellData(table.cells.astype(float), 5), model)
    masks = np.arange(1, 32)
    cols = [np.ones(31)] + [((masks >> j) & 1).astype(float) for j in range(5)]
    cols += [((masks & t) == t).astype(float) for t in sorted(model)]
    glm = sm.GLM(table.cells.astype(float), np.column_stack(cols),
                 family=sm.families.Poisson()).fit()
    assert fit.deviance == pytest.approx(glm.deviance, rel=1e-8)
    assert fit.log_dark == pytest.approx(glm.params[0], rel=1e-8)
    assert fit.se_log_dark == pytest.approx(glm.bse[0], rel=1e-6)
    assert fit.aic == pytest.approx(glm.aic, rel=1e-8)


def test_superset_sums_count_people_on_all_lists_of_a_term() -> None:
    table = load("Western")
    sums = superset_sums(table.cells.astype(float), 5)
    assert sums[0] == table.observed
    assert sums[0b10001] == table.overlap(0, 4)
    assert sums[0b00001] == table.list_totals()["A"]


def test_non_overlapping_pair_is_set_to_minus_infinity() -> None:
    table = load("NewOrl")
    fitter = LoglinearFitter(table.lists)
    data = CellData(table.cells.astype(float), 8)
    assert table.overlap(0, 1) == 0
    fit = fitter.fit(data, parse_model(["A:B"], table.lists))
    assert fit.neg_inf == (0b11,)
    assert fit.n_cells_used == 255 - 64  # the 2**6 cells holding both A and B are dropped
    assert fit.aic > fitter.fit(data, frozenset()).aic  # same fit, one more parameter counted


def test_rank_shortcut_agrees_with_linear_programme_on_resamples() -> None:
    table = load("NewOrl_5")
    fitter = LoglinearFitter(table.lists)
    rng = np.random.default_rng(3)
    draws = rng.multinomial(table.observed, table.cells / table.observed, size=20)
    for row in draws:
        data = CellData(row.astype(float), 5)
        for term in pairs(5):
            design = fitter._design(data, frozenset({term}))
            y = data.y[design.keep]
            assert fitter.check(data, frozenset({term}))[0] == lp_mle_exists(design.matrix, y)
