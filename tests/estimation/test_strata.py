"""Estimates by stratum and their combined total."""

from __future__ import annotations

import pandas as pd
import pytest

from crossings.estimation import Estimator, TableError, fit_strata, split_frame
from tests.estimation.conftest import load


def two_years() -> pd.DataFrame:
    first = load("NewOrl_5").to_frame().assign(year="2019")
    names = dict(zip("ABCDE", ["A", "BEFG", "C", "D", "H"], strict=True))
    second = load("Western").to_frame().rename(columns=names)
    return pd.concat([first, second.assign(year="2020")], ignore_index=True)


def test_split_frame_gives_one_table_per_stratum() -> None:
    tables = split_frame(two_years(), "year")
    assert list(tables) == ["2019", "2020"]
    assert tables["2019"].observed == 185
    assert tables["2020"].observed == 345


def test_total_is_sum_and_model_interval_combines_by_lognormal() -> None:
    results = fit_strata(Estimator(method="main", bootstrap=0), split_frame(two_years(), "year"),
                         "year")
    parts = list(results.strata.values())
    assert results.estimate == pytest.approx(sum(r.estimate for r in parts))
    low, high = results.interval
    assert low < results.estimate < high
    assert high - low > max(r.interval[1] - r.interval[0] for r in parts)
    assert high - low < sum(r.interval[1] - r.interval[0] for r in parts)


def test_bootstrap_interval_of_total_contains_total() -> None:
    results = fit_strata(Estimator(bootstrap=200, seed=3), split_frame(two_years(), "year"),
                         "year")
    low, high = results.interval
    assert low < results.estimate < high
    assert results.to_dict()["interval_kind"] == "bca"


def test_bayes_strata_convolve_posteriors() -> None:
    frame = load("MadiganYork_3").to_frame()
    frame = pd.concat([frame.assign(sex="f"), frame.assign(sex="m")], ignore_index=True)
    results = fit_strata(Estimator(method="bayes"), split_frame(frame, "sex"), "sex")
    one = results.strata["f"]
    low, high = results.interval
    assert low < results.estimate < high
    # two identical independent strata: the total is narrower than twice one stratum
    assert high - low < 2 * (one.interval[1] - one.interval[0])


def test_missing_stratum_column_is_reported() -> None:
    with pytest.raises(TableError, match="stratum column not found"):
        split_frame(two_years(), "citizenship")
