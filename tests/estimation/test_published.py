"""Point estimates, selected models and checks against the published results."""

from __future__ import annotations

import numpy as np
import pytest

from crossings.estimation import Estimator, Prior
from crossings.estimation.bayes import posterior
from crossings.estimation.loglinear import CellData, LoglinearFitter, parse_model
from tests.estimation.conftest import load
from tests.estimation.results import published


@pytest.mark.parametrize("ref", published.STEPWISE, ids=lambda r: r.data)
def test_stepwise_point_estimate_and_model(ref: published.Published) -> None:
    results = Estimator(method="stepwise", bootstrap=0).fit(load(ref.data))
    assert results.model == ref.model
    assert results.estimate == pytest.approx(ref.estimate, abs=1)


def test_main_effects_new_orleans_with_model_conditional_interval() -> None:
    ref = published.MAIN_EFFECTS
    results = Estimator(method="main", bootstrap=0).fit(load(ref.data))
    assert results.interval_kind == "model"
    assert results.estimate == pytest.approx(ref.estimate, abs=1)
    low, high = results.conf_int()
    assert low == pytest.approx(ref.lower, abs=1)
    assert high == pytest.approx(ref.upper, abs=1)


@pytest.mark.parametrize("terms", list(published.ARTIFICIAL_3), ids=" + ".join)
def test_artificial_3_identifiability_and_existence(terms: tuple[str, ...]) -> None:
    table = load("Artificial_3")
    fitter = LoglinearFitter(table.lists)
    exists, identifiable = fitter.check(
        CellData(table.cells.astype(float), 3), parse_model(list(terms), table.lists)
    )
    want_exists, want_identifiable = published.ARTIFICIAL_3[terms]
    assert identifiable is want_identifiable
    if want_exists is not None:
        assert exists is want_exists


def test_artificial_3_no_mle_found_by_linear_programme() -> None:
    # A:B alone: the rank shortcut cannot decide, so the LP must run and say "no MLE".
    table = load("Artificial_3")
    fitter = LoglinearFitter(table.lists)
    data = CellData(table.cells.astype(float), 3)
    assert fitter.check(data, parse_model(["A:B"], table.lists)) == (False, True)
    assert fitter.lp_solves == 1


def test_madigan_york_3_as_in_dga_example() -> None:
    ref = published.MADIGAN_YORK_3
    table = load("MadiganYork_3")
    first, last = ref["missing_grid"]
    post = posterior(
        table.cells.astype(float), 3, Prior("negbin", ref["a"], ref["b"]), ref["delta"],
        np.arange(float(first), float(last) + 1),
    )
    assert post.model_probabilities.max() == pytest.approx(ref["top_model_probability"], abs=0.005)
    assert post.quantile(0.5) == pytest.approx(ref["estimate"], abs=1)


def test_madigan_york_3_through_the_estimator_states_its_prior() -> None:
    ref = published.MADIGAN_YORK_3
    prior = Prior("negbin", ref["a"], ref["b"])
    results = Estimator(method="bayes", prior=prior, delta=ref["delta"]).fit(load("MadiganYork_3"))
    assert results.model == "L1:L2"
    assert results.candidates[0].to_dict()["posterior_probability"] == pytest.approx(0.37, abs=0.005)
    assert results.estimate == pytest.approx(ref["estimate"], abs=1)
    assert "a = 13.14" in results.to_dict()["prior"]["prior"]
    assert "negative binomial" in results.summary()


def test_uk_2013_stepwise_in_home_office_range() -> None:
    low, high = published.UKDAT_RANGE
    assert low <= Estimator(bootstrap=0).fit(load("UKdat")).estimate <= high
