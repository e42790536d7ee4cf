"""``Estimator(method=...).fit(table)``: the front door of the estimation library."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from crossings.estimation import bayes, selection
from crossings.estimation.bootstrap import DEFAULT_REPLICATES, DEFAULT_SEED, run_bootstrap
from crossings.estimation.loglinear import (
    MAIN_EFFECTS,
    CellData,
    LoglinearFitter,
    Model,
    ModelFit,
    model_name,
    parse_model,
)
from crossings.estimation.results import Candidate, EstimationResults, GraphCandidate
from crossings.estimation.table import CaptureTable

METHODS = ("stepwise", "aic", "bic", "main", "fixed", "bayes")
DEFAULT_THRESHOLDS = {"stepwise": 0.02, "aic": 0.05}
SPARSE_LIST = 10
"""Lists with fewer people than this are flagged as sparse."""

Selector = Callable[[CellData], ModelFit]


@dataclass(frozen=True)
class Estimator:
    """A multiple systems estimator: method, options and how to make its interval.

    Attributes:
        method: ``stepwise`` (default), ``aic``, ``bic``, ``main``, ``fixed`` or ``bayes``.
        threshold: p-value threshold of the stepwise rules (0.02 stepwise, 0.05 aic).
        max_order: Highest interaction order of the BIC search (default by list count).
        bootstrap: Resamples for the BCa interval; 0 gives the model-conditional one.
        seed: Seed of the resampling stream.
        alpha: One minus the interval coverage.
        n_top: BIC: models (best on the original data) re-ranked in each resample.
        model: ``fixed``: interactions such as ``("A:B", "C:D")``.
        prior: ``bayes``: prior on the population size.
        delta: ``bayes``: Dirichlet hyper-parameter (prior people per cell).
    """

    method: str = "stepwise"
    threshold: float | None = None
    max_order: int | None = None
    bootstrap: int = DEFAULT_REPLICATES
    seed: int | None = DEFAULT_SEED
    alpha: float = 0.05
    n_top: int | None = None
    model: tuple[str, ...] = ()
    prior: bayes.Prior = field(default_factory=bayes.Prior)
    delta: float = 1.0

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}; choose one of {', '.join(METHODS)}")
        if self.bootstrap < 0:
            raise ValueError("bootstrap must be 0 (no bootstrap) or a positive number")
        if not 0 < self.alpha < 1:
            raise ValueError("alpha must be between 0 and 1")

    def settings(self) -> dict[str, Any]:
        """Options that shaped the result, JSON-ready."""
        out: dict[str, Any] = {"method": self.method, "alpha": self.alpha}
        if self.method in DEFAULT_THRESHOLDS:
            out["threshold"] = self.threshold or DEFAULT_THRESHOLDS[self.method]
        if self.method == "bic":
            out["max_order"] = self.max_order
            out["n_top"] = self.n_top
        if self.method == "fixed":
            out["model"] = list(self.model)
        if self.method != "bayes":
            out["bootstrap"] = self.bootstrap
            out["seed"] = self.seed
        else:
            out["prior"] = self.prior.describe()
            out["delta"] = self.delta
        return out

    def fit(
        self, table: CaptureTable, resamples: npt.ArrayLike | None = None
    ) -> EstimationResults:
        """Estimate the population size behind ``table``.

        Args:
            table: The capture-history table.
            resamples: Bootstrap resamples to use instead of drawing them: one row per
                resample, one column per pattern ``1 .. 2**m - 1`` (as ``table.cells``).
                For replaying another program's random stream (e.g. R's, to check a
                published interval); ``bootstrap`` and ``seed`` are then not used.
        """
        if self.method == "bayes":
            return self._fit_bayes(table)
        fitter = LoglinearFitter(table.lists)
        data = CellData(table.cells.astype(np.float64), table.n_lists)
        found, choose = self._selection(fitter, data)
        boot = None
        if resamples is not None:
            boot = run_bootstrap(
                _estimate_with(fitter, choose), data.y, resamples=np.asarray(resamples)
            )
        elif self.bootstrap > 0:
            boot = run_bootstrap(_estimate_with(fitter, choose), data.y, self.bootstrap, self.seed)
        settings = self.settings()
        if boot is not None and resamples is not None:
            settings["bootstrap"] = len(boot.replicates) + boot.failed
            settings["seed"] = "resamples supplied"
        if self.method == "bic":
            settings["max_order"] = self._max_order(table.n_lists)
        candidates: tuple[Candidate, ...] = found.candidates
        return EstimationResults(
            method=self.method,
            table=table,
            fit=found.fit,
            candidates=candidates,
            alpha=self.alpha,
            bootstrap=boot,
            settings=settings,
            warnings=tuple(_warnings(table, found, boot, self.alpha)),
        )

    def _selection(
        self, fitter: LoglinearFitter, data: CellData
    ) -> tuple[selection.Selection, Selector]:
        """Run the model search on the data; return it and the search to bootstrap."""
        threshold = self.threshold or DEFAULT_THRESHOLDS.get(self.method, 0.0)
        if self.method == "stepwise":
            found = selection.stepwise_pvalue(fitter, data, threshold, record=True)
            return found, lambda d: selection.stepwise_pvalue(fitter, d, threshold).fit
        if self.method == "aic":
            found = selection.stepwise_aic(fitter, data, threshold, record=True)
            return found, lambda d: selection.stepwise_aic(fitter, d, threshold).fit
        if self.method == "bic":
            return self._bic(fitter, data)
        model = (
            MAIN_EFFECTS if self.method == "main" else parse_model(list(self.model), fitter.lists)
        )
        fit = fitter.fit(data, model, force=True)
        return selection.Selection(fit, (fit,)), lambda d: fitter.fit(d, model, force=True)

    def _max_order(self, n_lists: int) -> int:
        order = self.max_order or selection.default_max_order(n_lists)
        return max(1, min(order, n_lists - 1))

    def _bic(
        self, fitter: LoglinearFitter, data: CellData
    ) -> tuple[selection.Selection, Selector]:
        """BIC search over all hierarchical models; the bootstrap re-ranks the top ones."""
        order = self._max_order(fitter.n_lists)
        limit = selection.MAX_BIC_MODELS
        if selection.count_hierarchical_models(fitter.n_lists, order, limit) > limit:
            raise ValueError(
                f"more than {limit:,} hierarchical models with {fitter.n_lists} lists up to "
                f"order {order}; lower the maximum order or use the stepwise method"
            )
        models = list(selection.hierarchical_models(fitter.n_lists, order))
        found = selection.bic_search(fitter, data, models)
        n_top = self.n_top or {2: 0, 3: 0, 4: 20}.get(fitter.n_lists, 100)
        usable = [f.model for f in found.candidates if f.usable]
        top: list[Model] = usable if n_top == 0 else usable[:n_top]
        return found, lambda d: selection.bic_choose(fitter, d, top)

    def _fit_bayes(self, table: CaptureTable) -> EstimationResults:
        """Model averaging over decomposable graphs."""
        post = bayes.posterior(
            table.cells.astype(np.float64), table.n_lists, self.prior, self.delta
        )
        probs = post.model_probabilities
        order = np.argsort(-probs, kind="stable")
        candidates: tuple[Candidate, ...] = tuple(
            GraphCandidate(
                _graph_name(post.graphs[g].edges, table.lists), float(probs[g]), post.graph_mean(g)
            )
            for g in order
        )
        return EstimationResults(
            method="bayes", table=table, fit=None, candidates=candidates, alpha=self.alpha,
            posterior=post, settings=self.settings(),
            warnings=tuple(_table_warnings(table)),
        )


def _graph_name(edges: frozenset[int], lists: tuple[str, ...]) -> str:
    """Graph named by its edges, like a model; ``independence`` when it has none."""
    return model_name(edges, lists) if edges else "independence"


def _estimate_with(fitter: LoglinearFitter, choose: Selector) -> Callable[[np.ndarray], float]:
    """The estimator as a function of counts, NaN when no usable model is found."""

    def estimate(counts: np.ndarray) -> float:
        try:
            fit = choose(CellData(counts, fitter.n_lists))
        except ValueError:
            return math.nan
        return fit.estimate if fit.identifiable else math.nan

    return estimate


def _table_warnings(table: CaptureTable) -> list[str]:
    """Cautions about the data themselves: small lists, lists that overlap nothing."""
    out = []
    for j, (name, total) in enumerate(table.list_totals().items()):
        if total < SPARSE_LIST:
            out.append(f"List {name} holds only {total} people; anything estimated about it "
                       "rests on very few cases.")
        others = [k for k in range(table.n_lists) if k != j]
        if total and all(table.overlap(j, k) == 0 for k in others):
            out.append(f"List {name} overlaps no other list, so its people tell us little "
                       "about how many were missed.")
    return out


def _warnings(
    table: CaptureTable, found: selection.Selection, boot: Any, alpha: float = 0.05
) -> list[str]:
    """Cautions about the data, the model search and the chosen fit."""
    out = _table_warnings(table)
    fit = found.fit
    if not fit.mle_exists:
        out.append("The maximum likelihood estimate of the selected model does not exist; "
                   "the estimate is a limit and should not be reported.")
    if not fit.identifiable:
        out.append("The selected model is not identifiable from these data.")
    if fit.neg_inf:
        names = [t for t in model_name(frozenset(t for t in fit.neg_inf if t.bit_count() > 1),
                                       table.lists).split(" + ") if t != "main effects"]
        if names:
            out.append(f"Lists never overlapping ({', '.join(names)}): those interactions are "
                       "set to minus infinity and their cells dropped.")
    if math.isfinite(fit.se_log_dark) and fit.se_log_dark > 1.0:
        factor = math.exp(2 * 1.96 * fit.se_log_dark)
        out.append(f"The dark figure is poorly determined (near non-identifiability): its "
                   f"model-based 95% range spans a factor of {factor:,.0f}.")
    excluded = [c for c in found.candidates if not (c.mle_exists and c.identifiable)]
    if excluded:
        out.append(f"{len(excluded)} candidate model(s) had no identifiable maximum likelihood "
                   "estimate and were excluded.")
    if boot is not None and boot.tail_limited(alpha):
        out.append("A limit of the BCa interval lies beyond the most extreme bootstrap "
                   "replicate (strong bias correction), so it is that replicate and moves "
                   "noticeably with the seed; use more resamples for a stable limit.")
    if boot is not None and boot.failed:
        out.append(f"{boot.failed} bootstrap resample(s) gave no usable model and were left out.")
    return out
