"""Results of an estimation: the number, its interval, the model and what to beware of."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from scipy import stats

from crossings.estimation.bayes import Posterior
from crossings.estimation.bootstrap import BootstrapResult
from crossings.estimation.loglinear import ModelFit, sort_terms, term_name
from crossings.estimation.table import CaptureTable

METHOD_TITLES = {
    "stepwise": "forward stepwise, Poisson p-values (Chan, Silverman & Vincent 2021)",
    "aic": "forward stepwise by AIC (Bales, Hesketh & Silverman 2015)",
    "bic": "hierarchical models ranked by BIC (Silverman, Chan & Vincent 2024)",
    "main": "main effects only (lists independent)",
    "fixed": "a model fixed in advance",
    "bayes": "Bayesian model averaging over decomposable graphs (Madigan & York 1997)",
}

INTERVAL_TITLES = {
    "bca": "BCa bootstrap",
    "model": "model-conditional (lognormal)",
    "posterior": "posterior credible",
}


class Candidate(Protocol):
    """Anything listed as a candidate model: a name and a JSON form."""

    @property
    def name(self) -> str:
        """Model name."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description."""


@dataclass(frozen=True)
class GraphCandidate:
    """A decomposable graph with its posterior probability (Bayesian method)."""

    name: str
    probability: float
    estimate: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description."""
        return {"model": self.name, "posterior_probability": self.probability,
                "estimate": self.estimate}


@dataclass(frozen=True, eq=False)
class EstimationResults:
    """What :meth:`Estimator.fit` returns.

    Attributes:
        method: Method key (``stepwise``, ``aic``, ``bic``, ``main``, ``fixed``, ``bayes``).
        table: The capture-history table.
        fit: Fit of the selected model (frequentist methods).
        candidates: Every candidate model met, with its fit or posterior probability.
        alpha: One minus the coverage of the default interval.
        bootstrap: Bootstrap replicates and jackknife, when a BCa interval was made.
        posterior: The joint posterior (Bayesian method).
        settings: Options used, for the record.
        warnings: Plain-language cautions about these data and this fit.
    """

    method: str
    table: CaptureTable
    fit: ModelFit | None
    candidates: tuple[Candidate, ...]
    alpha: float = 0.05
    bootstrap: BootstrapResult | None = None
    posterior: Posterior | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def observed(self) -> int:
        """People seen on at least one list."""
        return self.table.observed

    @cached_property
    def estimate(self) -> float:
        """Estimated population, observed plus unobserved (Bayes: posterior median)."""
        if self.posterior is not None:
            return self.posterior.quantile(0.5)
        return self.fit.estimate if self.fit is not None else math.nan

    @property
    def dark_figure(self) -> float:
        """Estimated number of people on no list."""
        return self.estimate - self.observed

    @property
    def interval_kind(self) -> str:
        """``bca``, ``model`` or ``posterior``."""
        if self.posterior is not None:
            return "posterior"
        return "bca" if self.bootstrap is not None else "model"

    def conf_int(self, alpha: float | None = None) -> tuple[float, float]:
        """Interval with coverage ``1 - alpha`` (default: the estimator's alpha)."""
        level = self.alpha if alpha is None else alpha
        if self.posterior is not None:
            return self.posterior.quantile(level / 2), self.posterior.quantile(1 - level / 2)
        if self.bootstrap is not None:
            return self.bootstrap.interval(level)
        if self.fit is None:
            return math.nan, math.nan
        return self.fit.conf_int(level)

    @cached_property
    def interval(self) -> tuple[float, float]:
        """The default interval, ``conf_int()``."""
        return self.conf_int()

    @property
    def model(self) -> str:
        """Name of the selected model (Bayes: the graph with highest posterior probability)."""
        if self.fit is not None:
            return self.fit.name
        return self.candidates[0].name if self.candidates else ""

    @property
    def interactions(self) -> list[str]:
        """Interactions of the selected model, e.g. ``["D:E"]``."""
        if self.fit is not None:
            return [term_name(t, self.table.lists) for t in sort_terms(self.fit.model)]
        return [] if self.model == "independence" else self.model.split(" + ")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready results."""
        low, high = self.interval
        out: dict[str, Any] = {
            "method": self.method,
            "lists": list(self.table.lists),
            "observed": self.observed,
            "estimate": _number(self.estimate),
            "dark_figure": _number(self.dark_figure),
            "interval": [_number(low), _number(high)],
            "interval_kind": self.interval_kind,
            "level": 1 - self.alpha,
            "model": self.model,
            "interactions": self.interactions,
            "settings": self.settings,
            "warnings": list(self.warnings),
            "candidates": [c.to_dict() for c in self.candidates],
        }
        if self.bootstrap is not None:
            out["bootstrap"] = {"replicates": len(self.bootstrap.replicates),
                                "failed": self.bootstrap.failed,
                                "acceleration": self.bootstrap.acceleration,
                                "seed": self.bootstrap.seed}
        if self.posterior is not None:
            out["prior"] = self.posterior.to_dict()
        cleaned: dict[str, Any] = _clean(out)
        return cleaned

    def summary(self) -> str:
        """Plain-language account of the estimate and the assumptions behind it."""
        low, high = self.interval
        kind = INTERVAL_TITLES[self.interval_kind]
        lines = [
            f"Method: {METHOD_TITLES.get(self.method, self.method)}",
            f"Lists: {', '.join(self.table.lists)} ({self.table.n_lists})",
            f"People observed: {self.observed:,}",
            f"Selected model: {self.model}",
            f"Estimated population: {self.estimate:,.0f}"
            f" (of whom {self.dark_figure:,.0f} on no list)",
            f"{100 * (1 - self.alpha):g}% {kind} interval: {low:,.0f} to {high:,.0f}",
        ]
        if self.posterior is not None:
            prior = self.posterior.prior.describe()
            lines.append(f"Prior: {prior}; delta = {self.posterior.delta:g}")
        lines += ["", "Assumptions:"] + [f"- {a}" for a in ASSUMPTIONS]
        lines += ["", "How to read the interval:", f"- {INTERVAL_NOTES[self.interval_kind]}"]
        if self.warnings:
            lines += ["", "Warnings:"] + [f"- {w}" for w in self.warnings]
        return "\n".join(_wrap(line) for line in lines)


ASSUMPTIONS = (
    "Closed population: the same people could have been listed by every list over the "
    "period; nobody arrived, left or died in a way that matters.",
    "List dependence is captured by the model: interactions not in the selected model are "
    "taken to be absent. Dependence that no model term describes biases the estimate.",
    "Homogeneity: within the model, everyone has the same chance of being on each list. "
    "People who are hard to reach for every list (heterogeneity) make the estimate too low.",
    "Records are correctly matched across lists: missed matches inflate the estimate, "
    "false matches deflate it.",
)

INTERVAL_NOTES = {
    "bca": "The BCa bootstrap interval repeats the whole model selection on each resample, "
    "so it includes the uncertainty of choosing the model, not only of fitting it.",
    "model": "The model-conditional interval treats the selected model as known; it ignores "
    "the uncertainty of choosing it and is usually too narrow after selection.",
    "posterior": "The credible interval averages over all decomposable models, weighted by "
    "their posterior probabilities, and depends on the stated prior.",
}


def _wrap(line: str) -> str:
    """Wrap long lines, indenting continuation of list items."""
    indent = "  " if line.startswith("- ") else ""
    return textwrap.fill(line, width=88, subsequent_indent=indent) if line else line


def _number(value: float) -> float | None:
    """JSON has no NaN: None instead."""
    return None if value is None or not math.isfinite(value) else float(value)


def _clean(value: Any) -> Any:
    """Replace non-finite floats anywhere in a nested structure by None."""
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def lognormal_moments(fit: ModelFit) -> tuple[float, float]:
    """Mean and variance of the dark figure under its lognormal approximation."""
    mu, sigma = fit.log_dark, fit.se_log_dark
    mean = math.exp(mu + sigma**2 / 2)
    return mean, (math.exp(sigma**2) - 1) * mean**2


def lognormal_interval(mean: float, variance: float, alpha: float) -> tuple[float, float]:
    """Interval of a lognormal with given mean and variance, central ``1 - alpha``."""
    sigma2 = math.log1p(variance / mean**2)
    mu = math.log(mean) - sigma2 / 2
    z = stats.norm.ppf(1 - alpha / 2)
    return math.exp(mu - z * math.sqrt(sigma2)), math.exp(mu + z * math.sqrt(sigma2))
