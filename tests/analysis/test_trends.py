"""Trend tests on known numbers and on synthetic series with planted effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from crossings.analysis.indicators import Filters, compute, parse_period
from crossings.analysis.trends import (
    change,
    compare_counts,
    days,
    monthly_series,
    seasonality,
    spikes,
)


def test_the_rate_comparison_matches_the_exact_conditional_binomial_test():
    # R: poisson.test(c(30, 10)) gives rate ratio 3, p = 0.002221, 95% CI 1.427408 6.879302
    found = compare_counts(30, 10)
    assert found.rate_ratio == 3 and found.change_percent == pytest.approx(200)
    assert found.p_value == pytest.approx(0.002221, abs=1e-6)
    assert (found.ratio_low, found.ratio_high) == (pytest.approx(1.427408, abs=1e-5),
                                                   pytest.approx(6.879302, abs=1e-5))
    # the same p-value summed by hand: P(X <= 10) + P(X >= 30) for X ~ Bin(40, 1/2)
    by_hand = stats.binom.cdf(10, 40, 0.5) + stats.binom.sf(29, 40, 0.5)
    assert found.p_value == pytest.approx(by_hand)


def test_exposure_is_taken_into_account():
    same_rate = compare_counts(31, 28, current_exposure=31, reference_exposure=28)
    assert same_rate.rate_ratio == pytest.approx(1) and same_rate.p_value > 0.9


def test_no_counts_is_no_evidence():
    assert compare_counts(0, 0).p_value == 1.0 and compare_counts(0, 0).rate_ratio is None


def test_change_compares_with_the_previous_period_and_last_year(store):
    filters = Filters("THA", period=parse_period("2025-Q2"))
    result = change(store, "incidents", filters)
    now = compute(store, "incidents", filters).frame["value"][0]
    before = compute(store, "incidents", Filters("THA", period=parse_period("2025-Q1")))
    assert result["count"] == now and result["previous"]["reference"] == before.frame["value"][0]
    assert result["last_year"]["period"] == "2024-Q2" and 0 <= result["previous"]["p_value"] <= 1
    assert days(parse_period("2024-Q1")) == 91


def poisson_panel(rng, places=40, months=36, mean=6.0):
    index = pd.period_range("2023-01", periods=months, freq="M").strftime("%Y-%m")
    return pd.DataFrame(rng.poisson(mean, (months, places)), index=index,
                        columns=[f"BLO-{i}" for i in range(places)])


def test_a_planted_spike_is_flagged_where_it_was_planted():
    rng = np.random.default_rng(5)
    panel = poisson_panel(rng)
    panel.loc["2025-02", "BLO-17"] = 25
    flagged = spikes(panel)
    flags = flagged[flagged["flag"]]
    assert ("BLO-17", "2025-02") in set(zip(flags["place"], flags["period"], strict=True))
    assert len(flags) <= 2


def test_pure_noise_raises_almost_no_flags():
    total = 0
    for seed in range(5):
        flagged = spikes(poisson_panel(np.random.default_rng(seed)))
        total += int(flagged["flag"].sum())
    assert total <= 2  # false discovery rate control over 5 x 40 x 30 tests


def test_an_over_dispersed_place_is_judged_against_its_own_variance():
    rng = np.random.default_rng(9)
    index = pd.period_range("2023-01", periods=30, freq="M").strftime("%Y-%m")
    wild = rng.negative_binomial(1.0, 1 / 7, 30)  # mean 6, variance 42
    wild[-1] = 22
    panel = pd.DataFrame({"wild": wild}, index=index)
    last = spikes(panel).iloc[-1]
    assert last["model"] == "negative binomial"
    assert last["p_value"] > stats.poisson.sf(21, last["expected"])


def test_a_planted_seasonal_pattern_is_found_and_a_flat_one_is_not():
    rng = np.random.default_rng(3)
    months = pd.period_range("2022-01", periods=48, freq="M")
    wave = 20 * (1 + 0.5 * np.sin(2 * np.pi * (months.month.to_numpy() - 1) / 12))
    seasonal = seasonality(pd.Series(rng.poisson(wave), index=months.strftime("%Y-%m")))
    flat = seasonality(pd.Series(rng.poisson(20, 48), index=months.strftime("%Y-%m")))
    assert seasonal.p_value < 1e-4 and flat.p_value > 0.01
    peak = int(seasonal.profile.loc[seasonal.profile["index"].idxmax(), "month"])
    assert peak in (3, 4, 5)  # the sine peaks in April
    assert seasonal.method.startswith("ratio to a centred")


def test_monthly_series_fill_missing_months_with_zeros(store):
    series = monthly_series(store, "incidents", Filters("LAO"))
    months = pd.PeriodIndex(series.index, freq="M")
    assert len(months) == (months.max() - months.min()).n + 1
