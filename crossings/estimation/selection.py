"""Model selection: which list dependencies to put in the model.

Three frequentist rules, each a function of a fitter and the counts that returns the
chosen fit and (when asked) every candidate fitted on the way:

* :func:`stepwise_pvalue` -- forward stepwise with one-sided Poisson p-values
  (Chan, Silverman & Vincent 2021), default threshold 0.02.
* :func:`stepwise_aic` -- forward stepwise by AIC, stopping when no pair lowers the AIC
  or the likelihood-ratio p-value of the best pair is not below the threshold
  (in the spirit of Bales, Hesketh & Silverman 2015), default threshold 0.05.
* :func:`bic_search` -- every hierarchical model up to a maximum order, ranked by BIC,
  models without an identifiable MLE excluded (Silverman, Chan & Vincent 2024).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from crossings.estimation.loglinear import (
    MAIN_EFFECTS,
    CellData,
    LoglinearFitter,
    Model,
    ModelFit,
    superset_sums,
)

MAX_BIC_MODELS = 40_000
"""Largest number of hierarchical models the BIC search will enumerate."""


@dataclass(frozen=True)
class Selection:
    """Outcome of a model search.

    Attributes:
        fit: Fit of the chosen model.
        candidates: Every model fitted or checked, in the order met (BIC: ranked).
    """

    fit: ModelFit
    candidates: tuple[ModelFit, ...] = ()


def pairs(n_lists: int) -> list[int]:
    """All two-list terms in the order A:B, A:C, ..., B:C, ..."""
    return [(1 << i) | (1 << j) for i, j in itertools.combinations(range(n_lists), 2)]


def poisson_pvalues(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """One-sided Poisson p-values: ``min(P(X <= k), P(X >= k))`` for ``X ~ Poisson(mu)``."""
    lower = special.pdtr(observed, expected)
    upper = np.where(observed > 0, special.pdtrc(observed - 1, expected), 1.0)
    return np.asarray(np.minimum(lower, upper), dtype=np.float64)


def stepwise_pvalue(
    fitter: LoglinearFitter,
    data: CellData,
    threshold: float = 0.02,
    record: bool = False,
) -> Selection:
    """Forward stepwise selection of two-list interactions by Poisson p-value.

    At each step, for every pair not yet in the model, the number of people on both
    lists is compared with its fitted mean under the current model; the pair with
    the smallest one-sided p-value is added if that p-value is below ``threshold``
    and the enlarged model has an identifiable MLE (otherwise the next-smallest is
    tried). Ties go to the first pair in A:B, A:C, ... order.
    """
    terms = pairs(fitter.n_lists)
    term_index = np.array(terms)
    observed = data.margins[term_index]
    model = MAIN_EFFECTS
    fit = fitter.fit(data, model, force=True)
    seen = [fit]
    if (data.margins[[1 << j for j in range(fitter.n_lists)]] == 0).any():
        # A list with nobody on it (it happens in bootstrap resamples of sparse tables):
        # its main effect is at minus infinity, so in SparseMSE's checkident every
        # candidate fails the existence test (LP optimum 0) and stepwisefit stops at
        # main effects. Do the same.
        return Selection(fit, tuple(seen) if record else ())
    while True:
        expected = superset_sums(fit.fitted, fitter.n_lists)[term_index]
        pvals = poisson_pvalues(observed, expected)
        pvals[[t in model for t in terms]] = np.inf
        chosen = None
        for k in np.argsort(pvals, kind="stable"):
            if pvals[k] >= threshold:
                break
            candidate = model | {terms[k]}
            exists, identifiable = fitter.check(data, candidate)
            if exists and identifiable:
                chosen = candidate
                break
        if chosen is None:
            return Selection(fit, tuple(seen) if record else ())
        fit = fitter.fit(data, chosen, start=fit.coefficients)
        model = chosen
        seen.append(fit)


def stepwise_aic(
    fitter: LoglinearFitter,
    data: CellData,
    threshold: float = 0.05,
    record: bool = False,
) -> Selection:
    """Forward stepwise selection of two-list interactions by AIC.

    Every pair not yet in the model is tried; the usable model with the lowest AIC is
    kept if it lowers the AIC and its likelihood-ratio test against the current model
    has p-value below ``threshold``.
    """
    model = MAIN_EFFECTS
    fit = fitter.fit(data, model, force=True)
    seen = [fit]
    while True:
        tried = [
            fitter.fit(data, model | {t}, start=fit.coefficients)
            for t in pairs(fitter.n_lists)
            if t not in model
        ]
        seen.extend(tried)
        usable = [f for f in tried if f.usable]
        if not usable:
            break
        best = min(usable, key=lambda f: f.aic)
        drop = max(fit.deviance - best.deviance, 0.0)
        if best.aic >= fit.aic or stats.chi2.sf(drop, 1) >= threshold:
            break
        fit, model = best, best.model
    return Selection(fit, tuple(seen) if record else ())


def default_max_order(n_lists: int) -> int:
    """Maximum interaction order searched by default (as in SparseMSE's BIC routine)."""
    return {2: 1, 3: 2, 4: 3, 5: 3}.get(n_lists, 2)


def hierarchical_models(n_lists: int, max_order: int) -> Iterator[Model]:
    """Every hierarchical set of interactions of order 2 .. ``max_order``.

    A set is hierarchical when each term's sub-terms of order two or more are in it.
    Terms are decided in order of increasing size, so a term is offered only when all
    of its immediate sub-terms have been included.
    """
    terms = [
        sum(1 << j for j in combo)
        for order in range(2, max_order + 1)
        for combo in itertools.combinations(range(n_lists), order)
    ]

    def extend(position: int, chosen: frozenset[int]) -> Iterator[Model]:
        if position == len(terms):
            yield chosen
            return
        term = terms[position]
        yield from extend(position + 1, chosen)
        subs = [term & ~(1 << j) for j in range(n_lists) if term >> j & 1]
        if all(s.bit_count() < 2 or s in chosen for s in subs):
            yield from extend(position + 1, chosen | {term})

    return extend(0, frozenset())


def count_hierarchical_models(n_lists: int, max_order: int, limit: int) -> int:
    """Number of hierarchical models, counting no further than ``limit + 1``."""
    return sum(1 for _ in itertools.islice(hierarchical_models(n_lists, max_order), limit + 1))


def bic_search(
    fitter: LoglinearFitter,
    data: CellData,
    models: Sequence[Model],
) -> Selection:
    """Fit every model, exclude those without an identifiable MLE, rank by BIC.

    Returns:
        The lowest-BIC usable fit and all fits, usable ones first by BIC, then the
        excluded ones.

    Raises:
        ValueError: If no model has an identifiable MLE.
    """
    fits = [fitter.fit(data, m) for m in models]
    usable = sorted((f for f in fits if f.usable), key=lambda f: f.bic)
    if not usable:
        raise ValueError("no model in the search has an identifiable maximum likelihood estimate")
    excluded = [f for f in fits if not f.usable]
    return Selection(usable[0], tuple(usable + excluded))


def bic_choose(fitter: LoglinearFitter, data: CellData, models: Sequence[Model]) -> ModelFit:
    """The lowest-BIC usable fit among ``models`` (bootstrap inner loop; no record)."""
    best: ModelFit | None = None
    for model in models:
        fit = fitter.fit(data, model)
        if fit.usable and (best is None or fit.bic < best.bic):
            best = fit
    if best is None:
        raise ValueError("no model in the search has an identifiable maximum likelihood estimate")
    return best
