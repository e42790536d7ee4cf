"""Model searches: stepwise by p-value and AIC, hierarchical BIC enumeration."""

from __future__ import annotations

import itertools

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
