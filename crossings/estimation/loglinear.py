"""Poisson log-linear models for capture-history counts.

A model is the set of interaction terms added to the main effects; a term is the bitmask
of the lists it joins (``A:B`` is ``0b011``). The expected count of pattern ``c`` is
``exp(sum of the coefficients of every term contained in c)``; the intercept is the log
of the expected count of the unobserved pattern, so the estimate is ``n + exp(b0)``.

Sparse data are handled as in Chan, Silverman & Vincent (2021): a term of the model whose
sufficient statistic (people on all its lists) is zero has its maximum likelihood
estimate at minus infinity; it is dropped from the design and every cell containing it
is removed. Two checks decide whether a fit can be used: *identifiability* (the design
matrix has full column rank) and *existence* of the MLE (Fienberg & Rinaldo 2012: the
sufficient statistics lie in the relative interior of the marginal cone, tested by a
linear programme). The linear programme is only solved when a cheap sufficient
condition fails -- the design restricted to the positive cells having full rank -- and
its verdict is cached by model and by which cells are positive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, special, stats

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Model = frozenset[int]
"""Interaction terms (bitmasks with two or more lists set) added to the main effects."""

MAIN_EFFECTS: Model = frozenset()


def superset_sums(values: FloatArray, n_lists: int) -> FloatArray:
    """For every term ``t`` (index ``t``, 0 = intercept), the sum of cells containing it.

    Args:
        values: Cell values for patterns ``1 .. 2**m - 1``.
        n_lists: Number of lists ``m``.

    Returns:
        Array of length ``2**m``; entry ``t`` is the sum over patterns ``c`` with
        ``c & t == t``. Entry 0 is the total.
    """
    full = np.concatenate(([0.0], np.asarray(values, dtype=np.float64)))
    cube = full.reshape((2,) * n_lists)
    for axis in range(n_lists):
        cube = np.flip(np.cumsum(np.flip(cube, axis), axis=axis), axis)
    return cube.reshape(-1)


def term_name(term: int, lists: tuple[str, ...]) -> str:
    """``A:B`` style name of a term."""
    return ":".join(name for j, name in enumerate(lists) if term >> j & 1)


def model_name(model: Model, lists: tuple[str, ...]) -> str:
    """``A:B + C:D`` style name of a model, ``main effects`` when it has no interactions."""
    if not model:
        return "main effects"
    return " + ".join(term_name(t, lists) for t in sort_terms(model))


def sort_terms(model: Model) -> list[int]:
    """Terms ordered by order, then by the lists they join (A:B before A:C before B:C)."""
    return sorted(model, key=lambda t: (t.bit_count(), _members(t)))


def _members(term: int) -> list[int]:
    """Indices of the lists in a term."""
    return [j for j in range(term.bit_length()) if term >> j & 1]


def parse_model(names: list[str], lists: tuple[str, ...]) -> Model:
    """Read ``["A:B", "C:D"]`` into a model, raising ``ValueError`` on unknown lists."""
    index = {name: j for j, name in enumerate(lists)}
    terms = set()
    for name in names:
        parts = [p.strip() for p in name.split(":")]
        unknown = [p for p in parts if p not in index]
        if unknown or len(parts) < 2:
            raise ValueError(f"interaction {name!r} does not name two or more known lists")
        terms.add(sum(1 << index[p] for p in parts))
    return frozenset(terms)


@dataclass(frozen=True, eq=False)
class CellData:
    """Counts of one table prepared for repeated fitting.

    Attributes:
        y: Counts of patterns ``1 .. 2**m - 1`` as floats.
        n_lists: Number of lists.
    """

    y: FloatArray
    n_lists: int

    @cached_property
    def margins(self) -> FloatArray:
        """Sufficient statistic of every term (people on all of its lists)."""
        return superset_sums(self.y, self.n_lists)

    @cached_property
    def support(self) -> bytes:
        """Which cells are positive, packed; existence of the MLE depends only on this."""
        return np.packbits(self.y > 0).tobytes()

    @property
    def observed(self) -> float:
        """Number of people observed."""
        return float(self.margins[0])


@dataclass(frozen=True, eq=False)
class ModelFit:
    """Fit of one model to one table.

    Attributes:
        model: Interaction terms of the model.
        lists: List names (for naming terms).
        observed: People observed, ``n``.
        estimate: ``n`` plus the fitted dark figure (NaN when not fitted).
        log_dark: Fitted intercept, the log of the dark figure.
        se_log_dark: Model-based standard error of ``log_dark``.
        deviance: Poisson deviance over the fitted cells.
        loglik: Poisson log-likelihood over the fitted cells.
        n_params: Parameters of the model including those at minus infinity.
        df: Residual degrees of freedom (fitted cells minus estimated parameters).
        mle_exists: Whether the MLE exists (linear-programming test).
        identifiable: Whether the design matrix has full column rank.
        neg_inf: Terms whose estimate is minus infinity (zero sufficient statistic).
        converged: Whether Newton's method converged.
        coefficients: Estimated coefficient of each finite term (0 is the intercept).
        fitted: Fitted mean of every cell (0 for removed cells).
    """

    model: Model
    lists: tuple[str, ...]
    observed: float
    estimate: float
    log_dark: float
    se_log_dark: float
    deviance: float
    loglik: float
    n_params: int
    n_cells_used: int
    mle_exists: bool
    identifiable: bool
    neg_inf: tuple[int, ...]
    converged: bool
    coefficients: dict[int, float] = field(repr=False)
    fitted: FloatArray = field(repr=False)

    @property
    def name(self) -> str:
        """Model name such as ``D:E``."""
        return model_name(self.model, self.lists)

    @property
    def usable(self) -> bool:
        """True when the MLE exists, is identifiable and the fit converged."""
        return self.mle_exists and self.identifiable and self.converged

    @property
    def df(self) -> int:
        """Residual degrees of freedom."""
        return self.n_cells_used - (self.n_params - len(self.neg_inf))

    @property
    def aic(self) -> float:
        """AIC, counting parameters at minus infinity (as SparseMSE does)."""
        return -2.0 * self.loglik + 2.0 * self.n_params

    @property
    def bic(self) -> float:
        """BIC with the number of people observed as sample size (as Rcapture does)."""
        return -2.0 * self.loglik + math.log(self.observed) * self.n_params

    def conf_int(self, alpha: float = 0.05) -> tuple[float, float]:
        """Model-conditional interval: lognormal on the dark figure, plus ``n``."""
        z = stats.norm.ppf(1 - alpha / 2)
        low = math.exp(self.log_dark - z * self.se_log_dark)
        high = math.exp(self.log_dark + z * self.se_log_dark)
        return self.observed + low, self.observed + high

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description of the fit."""
        usable = self.usable
        return {
            "model": self.name,
            "interactions": [term_name(t, self.lists) for t in sort_terms(self.model)],
            "estimate": self.estimate if usable else None,
            "deviance": self.deviance if usable else None,
            "aic": self.aic if usable else None,
            "bic": self.bic if usable else None,
            "df": self.df,
            "mle_exists": self.mle_exists,
            "identifiable": self.identifiable,
            "minus_infinity": [term_name(t, self.lists) for t in self.neg_inf],
        }


@dataclass
class _Design:
    """Design of one model on one support: terms fitted, cells kept, the matrix."""

    terms: list[int]
    neg_inf: tuple[int, ...]
    keep: BoolArray
    matrix: FloatArray


class LoglinearFitter:
    """Fits Poisson log-linear models for ``m`` lists, caching checks between fits.

    One fitter serves every resample of a bootstrap, so identifiability and existence
    verdicts computed once are reused whenever the same model meets the same pattern
    of positive cells again.
    """

    def __init__(self, lists: tuple[str, ...], tol: float = 1e-10, max_iter: int = 100) -> None:
        self.lists = lists
        self.n_lists = len(lists)
        self.tol = tol
        self.max_iter = max_iter
        masks = np.arange(1, 1 << self.n_lists)
        self._masks = masks
        self._columns: dict[int, BoolArray] = {}
        self._identifiable: dict[tuple[Model, tuple[int, ...]], bool] = {}
        self._exists: dict[tuple[Model, bytes], bool] = {}
        self.lp_solves = 0

    def column(self, term: int) -> BoolArray:
        """Indicator of the cells that contain ``term``."""
        col = self._columns.get(term)
        if col is None:
            col = (self._masks & term) == term
            self._columns[term] = col
        return col

    def _design(self, data: CellData, model: Model) -> _Design:
        mains = [1 << j for j in range(self.n_lists)]
        terms = mains + sort_terms(model)
        margins = data.margins
        neg_inf = tuple(t for t in terms if margins[t] == 0)
        keep = np.ones(len(self._masks), dtype=bool)
        for t in neg_inf:
            keep &= ~self.column(t)
        fitted = [t for t in terms if margins[t] > 0]
        matrix = np.ones((int(keep.sum()), len(fitted) + 1))
        for k, t in enumerate(fitted, start=1):
            matrix[:, k] = self.column(t)[keep]
        return _Design(fitted, neg_inf, keep, matrix)

    def check(self, data: CellData, model: Model) -> tuple[bool, bool]:
        """Return ``(mle_exists, identifiable)`` for ``model`` on ``data``."""
        return self._check(data, model, self._design(data, model))

    def _check(self, data: CellData, model: Model, design: _Design) -> tuple[bool, bool]:
        n_par = design.matrix.shape[1]
        key_id = (model, design.neg_inf)
        identifiable = self._identifiable.get(key_id)
        if identifiable is None:
            identifiable = _rank(design.matrix) == n_par
            self._identifiable[key_id] = identifiable
        key_ex = (model, data.support)
        exists = self._exists.get(key_ex)
        if exists is None:
            y = data.y[design.keep]
            exists = _rank(design.matrix[y > 0]) == n_par or self._lp_exists(design.matrix, y)
            self._exists[key_ex] = exists
        return exists, identifiable

    def _lp_exists(self, matrix: FloatArray, y: FloatArray) -> bool:
        """Fienberg & Rinaldo's LP: is there a positive table with the same margins?"""
        self.lp_solves += 1
        return lp_mle_exists(matrix, y)

    def fit(
        self,
        data: CellData,
        model: Model,
        start: dict[int, float] | None = None,
        force: bool = False,
    ) -> ModelFit:
        """Check ``model`` and fit it by Newton's method (IRLS).

        Args:
            data: The counts.
            model: Interaction terms.
            start: Coefficients to start from (e.g. the previous model in a search).
            force: Fit even when the MLE does not exist; Newton's method then heads
                for the extended MLE and the fit is marked unusable.
        """
        design = self._design(data, model)
        exists, identifiable = self._check(data, model, design)
        y = data.y[design.keep]
        beta0 = None
        if start is not None:
            beta0 = np.array([start.get(t, 0.0) for t in [0, *design.terms]])
        if identifiable and (exists or force):
            beta, cov_00, converged = newton_poisson(
                design.matrix, y, beta0, self.tol, self.max_iter
            )
            if not converged and beta0 is not None:
                # Newton's method has no step control: from the previous model's
                # coefficients a new term with a small overlap (B:F = 1 when B has
                # two people) can send it oscillating. Restart as glm does, from
                # mu = y + 0.1; the MLE, when it exists, is the same.
                beta, cov_00, converged = newton_poisson(
                    design.matrix, y, None, self.tol, self.max_iter
                )
        else:
            beta, cov_00, converged = np.full(design.matrix.shape[1], np.nan), np.nan, False
        return self._package(data, model, design, beta=beta, cov_00=cov_00, converged=converged,
                             exists=exists, identifiable=identifiable)

    def _package(
        self,
        data: CellData,
        model: Model,
        design: _Design,
        *,
        beta: FloatArray,
        cov_00: float,
        converged: bool,
        exists: bool,
        identifiable: bool,
    ) -> ModelFit:
        y = data.y[design.keep]
        mu = np.exp(np.minimum(design.matrix @ beta, 700.0))
        fitted = np.zeros(len(self._masks))
        fitted[design.keep] = mu
        log_dark = float(beta[0])
        estimate = data.observed + math.exp(min(log_dark, 700.0))
        return ModelFit(
            model=model,
            lists=self.lists,
            observed=data.observed,
            estimate=estimate,
            log_dark=log_dark,
            se_log_dark=math.sqrt(cov_00) if cov_00 >= 0 else math.nan,
            deviance=poisson_deviance(y, mu),
            loglik=float(np.sum(special.xlogy(y, mu) - mu - special.gammaln(y + 1))),
            n_params=1 + self.n_lists + len(model),
            n_cells_used=int(design.keep.sum()),
            mle_exists=exists,
            identifiable=identifiable,
            neg_inf=design.neg_inf,
            converged=converged,
            coefficients=dict(zip([0, *design.terms], beta.tolist(), strict=True)),
            fitted=fitted,
        )


def _rank(matrix: FloatArray) -> int:
    """Numerical rank of a 0/1 design matrix."""
    if matrix.shape[0] == 0:
        return 0
    return int(np.linalg.matrix_rank(matrix))


def lp_mle_exists(matrix: FloatArray, y: FloatArray, tol: float = 1e-7) -> bool:
    """Linear-programming test of existence of the MLE (Fienberg & Rinaldo 2012).

    Maximise ``s`` subject to ``X' x = X' y``, ``x >= s``, ``s >= 0``. The MLE exists
    exactly when the optimum is positive: some strictly positive table has the
    observed sufficient statistics.
    """
    n_cells, n_par = matrix.shape
    target = matrix.T @ y
    cost = np.zeros(n_cells + 1)
    cost[-1] = -1.0
    a_eq = np.hstack([matrix.T, np.zeros((n_par, 1))])
    a_ub = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])
    result = optimize.linprog(
        cost, A_ub=a_ub, b_ub=np.zeros(n_cells), A_eq=a_eq, b_eq=target,
        bounds=[(0, None)] * (n_cells + 1), method="highs",
    )
    return bool(result.status == 0 and -result.fun > tol)


def poisson_deviance(y: FloatArray, mu: FloatArray) -> float:
    """Poisson deviance ``2 sum(y log(y/mu) - (y - mu))``."""
    return float(2.0 * np.sum(special.xlogy(y, y) - special.xlogy(y, mu) - (y - mu)))


def newton_poisson(
    matrix: FloatArray,
    y: FloatArray,
    beta: FloatArray | None = None,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> tuple[FloatArray, float, bool]:
    """Maximum likelihood for a Poisson log-linear model by Newton's method.

    Newton's method for the canonical log link is iteratively reweighted least
    squares. It starts, as R's ``glm`` does, from ``mu = y + 0.1`` unless a start is
    given, and stops when the relative change in deviance is below ``tol``.

    Returns:
        The coefficients, the variance of the intercept and whether it converged.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _newton(matrix, y, beta, tol, max_iter)


def _newton(
    matrix: FloatArray, y: FloatArray, beta: FloatArray | None, tol: float, max_iter: int
) -> tuple[FloatArray, float, bool]:
    """Body of :func:`newton_poisson`; overflow on the way to a boundary is expected."""
    eta = np.log(y + 0.1) if beta is None else matrix @ beta
    dev_old = math.inf
    beta_new = np.zeros(matrix.shape[1])
    converged = False
    for _ in range(max_iter):
        mu = np.exp(np.clip(eta, -700.0, 700.0))
        weighted = matrix.T * mu
        info = weighted @ matrix
        try:
            beta_new = np.linalg.solve(info, weighted @ (eta + (y - mu) / mu))
        except np.linalg.LinAlgError:
            return beta_new, math.nan, False
        eta = matrix @ beta_new
        dev = poisson_deviance(y, np.exp(np.clip(eta, -700.0, 700.0)))
        if abs(dev - dev_old) <= tol * (abs(dev) + 0.1):
            converged = True
            break
        dev_old = dev
    mu = np.exp(np.clip(eta, -700.0, 700.0))
    info = (matrix.T * mu) @ matrix
    try:
        cov_00 = float(np.linalg.solve(info, np.eye(len(info))[:, 0])[0])
    except np.linalg.LinAlgError:
        cov_00 = math.nan
    return beta_new, cov_00, converged
