"""Trends: change between periods, seasonality, and unusual spikes at crossing points.

* **Change** (:func:`compare_counts`): two counts are treated as Poisson with rates λ1, λ2 over
  exposures t1, t2 (days). Conditional on their sum n, the first is binomial
  Bin(n, t1 / (t1 + t2)) when λ1 = λ2, which gives an exact two-sided test and an exact
  (Clopper-Pearson) confidence interval for the rate ratio λ1/λ2 (the conditional binomial test,
  Przyborowski & Wilenski 1940; ``scipy.stats.binomtest``).
* **Seasonality** (:func:`seasonality`): the monthly profile (mean count per calendar month and
  its index against the mean month), seasonal indices by ratio to a centred 12-month moving
  average when there are at least 24 months, and a chi-square test that the calendar months
  share the counts equally (given how often each month occurs in the series).
* **Spikes** (:func:`spikes`): each place's count in a period is compared with its own rolling
  baseline of the ``window`` previous periods: the upper tail probability P(X >= x) under a
  Poisson with the baseline mean, or a negative binomial fitted by moments when the baseline is
  over-dispersed. The tail probabilities of all places and periods tested together are
  controlled for multiple testing by Benjamini-Hochberg (false discovery rate ``alpha``).
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from crossings.analysis.indicators import Filters, Period, compute
from crossings.analysis.store import AnalyticsStore

TEST_NAME = "conditional binomial exact test of two Poisson rates"


@dataclass(frozen=True)
class Comparison:
    """A count against a reference count, with the test of equal rates."""

    current: int
    reference: int
    rate_ratio: float | None
    change_percent: float | None
    p_value: float
    ratio_low: float | None
    ratio_high: float | None
    test: str = TEST_NAME

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ratio(share: float, exposure: float) -> float | None:
    if share >= 1:
        return None  # infinite
    return share / (1 - share) / exposure


def compare_counts(current: int, reference: int, current_exposure: float = 1.0,
                   reference_exposure: float = 1.0, confidence: float = 0.95) -> Comparison:
    """Test whether two Poisson counts have the same rate per unit of exposure."""
    n = current + reference
    exposure = current_exposure / reference_exposure
    if n == 0:
        return Comparison(current, reference, None, None, 1.0, None, None)
    p0 = current_exposure / (current_exposure + reference_exposure)
    result = stats.binomtest(current, n, p0, alternative="two-sided")
    low, high = result.proportion_ci(confidence, method="exact")
    ratio = (current / current_exposure) / (reference / reference_exposure) if reference else None
    change = None if ratio is None else 100 * (ratio - 1)
    return Comparison(current, reference, ratio, change, float(result.pvalue),
                      _ratio(low, exposure), _ratio(high, exposure))


def days(period: Period) -> int:
    """Days in a period (its exposure)."""
    return sum(calendar.monthrange(period.year, m)[1]
               for m in range(period.first_month, period.last_month + 1))


def _count(store: AnalyticsStore, indicator: str, filters: Filters, period: Period) -> int:
    table = compute(store, indicator, replace(filters, period=period))
    return int(table.frame["value"].iloc[0]) if len(table.frame) else 0


def change(store: AnalyticsStore, indicator: str, filters: Filters) -> dict[str, Any]:
    """The period's count against the previous period and the same period a year earlier."""
    if filters.period is None:
        raise ValueError("a change needs a period")
    period = filters.period
    now = _count(store, indicator, filters, period)
    out: dict[str, Any] = {"indicator": indicator, "period": period.label, "count": now}
    for name, other in (("previous", period.previous()), ("last_year", period.last_year())):
        before = _count(store, indicator, filters, other)
        out[name] = {"period": other.label,
                     **compare_counts(now, before, days(period), days(other)).to_dict()}
    return out


# -- series and seasonality ---------------------------------------------------------------------
def monthly_series(store: AnalyticsStore, indicator: str, filters: Filters,
                   by: str | None = None) -> pd.DataFrame:
    """Counts per month (``YYYY-MM``), every month from the first to the last present, zeros
    filled; one column per value of ``by`` (or one column ``value``)."""
    table = compute(store, indicator, filters, ("month",) if by is None else ("month", by))
    frame = table.frame[table.frame["month"] != "EMPTY"]
    if frame.empty:
        return pd.DataFrame()
    wide = (frame.pivot_table(index="month", columns=by, values="value", aggfunc="sum")
            if by else frame.set_index("month")[["value"]])
    months = pd.period_range(min(wide.index), max(wide.index), freq="M").strftime("%Y-%m")
    return wide.reindex(months, fill_value=0).fillna(0).astype("int64")


@dataclass
class Seasonality:
    """Monthly profile of a series, seasonal indices and the test of no seasonality."""

    profile: pd.DataFrame
    chi2: float
    p_value: float
    method: str


def seasonality(series: pd.Series) -> Seasonality:
    """Seasonal profile of a monthly count series indexed by ``YYYY-MM``."""
    index = pd.PeriodIndex(series.index, freq="M")
    values = series.to_numpy(dtype=float)
    months = index.month.to_numpy()
    occurrences = np.bincount(months, minlength=13)[1:]
    totals = np.bincount(months, weights=values, minlength=13)[1:]
    present = occurrences > 0
    mean = np.where(present, totals / np.maximum(occurrences, 1), np.nan)
    expected = occurrences / occurrences.sum() * totals.sum()
    chi2, p = stats.chisquare(totals[present], expected[present]) if totals.sum() else (0.0, 1.0)
    index_ratio, method = mean / np.nanmean(mean), "ratio to the mean month"
    if len(values) >= 24:
        trend = pd.Series(values).rolling(12, center=True).mean().rolling(2).mean().shift(-1)
        ratio = pd.Series(values) / trend.replace(0, np.nan)
        by_month = ratio.groupby(months).mean()
        index_ratio = by_month.reindex(range(1, 13)).to_numpy() / by_month.mean()
        method = "ratio to a centred 12-month moving average"
    profile = pd.DataFrame({"month": range(1, 13), "mean": mean, "index": index_ratio,
                            "years": occurrences})
    return Seasonality(profile, float(chi2), float(p), method)


# -- spikes -------------------------------------------------------------------------------------
def tail_probability(count: int, baseline: np.ndarray) -> tuple[float, float, str]:
    """P(X >= count) against a baseline window: negative binomial if over-dispersed, else
    Poisson. Returns (probability, expected, model)."""
    mean = float(baseline.mean())
    var = float(baseline.var(ddof=1)) if len(baseline) > 1 else mean
    mean_used = max(mean, 0.5 / len(baseline))  # an all-zero baseline still has some rate
    if var > mean_used * 1.05:
        size = mean_used ** 2 / (var - mean_used)
        prob = size / (size + mean_used)
        return float(stats.nbinom.sf(count - 1, size, prob)), mean, "negative binomial"
    return float(stats.poisson.sf(count - 1, mean_used)), mean, "Poisson"


def spikes(counts: pd.DataFrame, *, window: int = 12, min_baseline: int = 6,
           alpha: float = 0.05, min_count: int = 5) -> pd.DataFrame:
    """Test every (place, period) of a wide frame (rows: periods in order, columns: places).

    Returns one row per test with the count, the baseline mean, the tail probability, the
    Benjamini-Hochberg adjusted q-value and ``flag`` (q < alpha, count >= min_count, above the
    baseline).
    """
    rows = []
    for place in counts.columns:
        series = counts[place].to_numpy()
        for t in range(min_baseline, len(series)):
            baseline = series[max(0, t - window):t]
            p, expected, model = tail_probability(int(series[t]), baseline)
            rows.append((place, counts.index[t], int(series[t]), expected, p, model))
    out = pd.DataFrame(rows, columns=["place", "period", "count", "expected", "p_value",
                                      "model"])
    if out.empty:
        return out.assign(q_value=[], flag=[])
    out["q_value"] = multipletests(out["p_value"], alpha=alpha, method="fdr_bh")[1]
    out["flag"] = ((out["q_value"] < alpha) & (out["count"] >= min_count)
                   & (out["count"] > out["expected"]))
    return out


def spike_report(store: AnalyticsStore, filters: Filters, place: str = "unit",
                 **options: Any) -> pd.DataFrame:
    """Flagged spikes of incidents per month at each place (reporting unit by default)."""
    wide = monthly_series(store, "incidents", filters, by=place)
    if wide.empty:
        return pd.DataFrame()
    tested = spikes(wide, **options)
    return tested[tested["flag"]].reset_index(drop=True)
