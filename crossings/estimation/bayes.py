"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

This follows the R package dga (Johndrow, Lum & Ball). The lists are the vertices of a
graph; an edge means the two lists may be dependent. For every decomposable graph and
every candidate number of unobserved people ``N0``, the complete table (observed counts
plus ``N0`` in the all-zero cell) has a closed-form marginal likelihood under a
hyper-Dirichlet prior with ``delta`` prior people per cell of the full table (so a
margin over ``k`` of ``m`` lists gets ``delta * 2**(m - k)`` per cell). The likelihood
factorises over a perfect ordering of the graph as the product over vertices of the
margin of the vertex and its earlier neighbours divided by the margin of those
neighbours. Multiplied by the multinomial coefficient and the prior on ``N``, and
normalised over graphs and ``N0``, this gives the joint posterior of model and size;
all graphs have equal prior weight.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]
MAX_BAYES_LISTS = 6


@dataclass(frozen=True)
class Prior:
    """Prior on the population size ``N``.

    Attributes:
        kind: ``"improper"`` for ``p(N)`` proportional to ``1/N`` (dga's default) or
            ``"negbin"`` for a negative-binomial prior.
        a: Negative-binomial shape.
        b: Negative-binomial scale (prior mean ``a * b``).
    """

    kind: str = "improper"
    a: float = 0.0
    b: float = 0.0

    def log_density(self, total: FloatArray) -> FloatArray:
        """Log prior (up to a constant) at population sizes ``total``."""
        if self.kind == "negbin":
            a, b = self.a, self.b
            value = (
                total * math.log(b)
                - (total + a) * math.log1p(b)
                + special.gammaln(total + a)
                - special.gammaln(total + 1)
                - special.gammaln(a)
            )
            return np.asarray(value, dtype=np.float64)
        return np.asarray(-np.log(total), dtype=np.float64)

    def describe(self) -> str:
        """The prior in words, for results and summaries."""
        if self.kind == "negbin":
            return (
                f"negative binomial on N with a = {self.a:g}, b = {self.b:g} "
                f"(prior mean {self.a * self.b:,.0f})"
            )
        return "p(N) proportional to 1/N (improper, as dga's default)"


@dataclass(frozen=True)
class Graph:
    """A decomposable graph on the lists, with a perfect ordering.

    Attributes:
        edges: Two-list terms (bitmasks) joined by an edge.
        families: ``(vertex and earlier neighbours, earlier neighbours)`` bitmask pairs.
    """

    edges: frozenset[int]
    families: tuple[tuple[int, int], ...]


def _perfect_families(n_lists: int, adjacency: list[int]) -> tuple[tuple[int, int], ...] | None:
    """Families along a maximum-cardinality-search order, or None if not chordal."""
    numbered = 0
    order_parents: list[tuple[int, int]] = []
    position: dict[int, int] = {}
    for step in range(n_lists):
        free = [v for v in range(n_lists) if not numbered >> v & 1]
        vertex = max(free, key=lambda v: ((adjacency[v] & numbered).bit_count(), -v))
        parents = adjacency[vertex] & numbered
        if parents:
            latest = max((u for u in range(n_lists) if parents >> u & 1), key=position.__getitem__)
            rest = parents & ~(1 << latest)
            if rest & ~adjacency[latest]:
                return None
        position[vertex] = step
        numbered |= 1 << vertex
        order_parents.append((parents | (1 << vertex), parents))
    return tuple(order_parents)


def decomposable_graphs(n_lists: int) -> list[Graph]:
    """Every decomposable (chordal) graph on ``n_lists`` vertices."""
    all_pairs = list(itertools.combinations(range(n_lists), 2))
    graphs = []
    for chosen in itertools.product((False, True), repeat=len(all_pairs)):
        adjacency = [0] * n_lists
        edges = set()
        for (i, j), on in zip(all_pairs, chosen, strict=True):
            if on:
                adjacency[i] |= 1 << j
                adjacency[j] |= 1 << i
                edges.add((1 << i) | (1 << j))
        families = _perfect_families(n_lists, adjacency)
        if families is not None:
            graphs.append(Graph(frozenset(edges), families))
    return graphs


def _log_margins(
    counts: FloatArray, n_lists: int, missing: FloatArray, delta: float
) -> FloatArray:
    """Log marginal likelihood of every margin (row = subset of lists) at each ``N0``."""
    masks = np.arange(1, 1 << n_lists)
    total_alpha = delta * (1 << n_lists)
    observed = counts.sum()
    common = special.gammaln(total_alpha) - special.gammaln(observed + missing + total_alpha)
    out = np.zeros((1 << n_lists, len(missing)))
    for subset in range(1, 1 << n_lists):
        alpha = delta * (1 << (n_lists - subset.bit_count()))
        margin = np.bincount(masks & subset, weights=counts, minlength=1 << n_lists)
        cells = margin[1:][margin[1:] > 0]
        fixed = float(np.sum(special.gammaln(cells + alpha) - special.gammaln(alpha)))
        zero = special.gammaln(margin[0] + missing + alpha) - special.gammaln(alpha)
        out[subset] = common + fixed + zero
    return out


@dataclass(frozen=True)
class Posterior:
    """Joint posterior of graph and population size.

    Attributes:
        graphs: The decomposable graphs.
        totals: Grid of population sizes ``N = n + N0``.
        weights: Posterior probability of each (graph, size), shape (graphs, sizes).
        prior: Prior on ``N``.
        delta: Dirichlet hyper-parameter.
    """

    graphs: tuple[Graph, ...]
    totals: FloatArray
    weights: FloatArray
    prior: Prior
    delta: float

    @property
    def model_probabilities(self) -> FloatArray:
        """Posterior probability of each graph."""
        return np.asarray(self.weights.sum(axis=1), dtype=np.float64)

    @property
    def size_probabilities(self) -> FloatArray:
        """Model-averaged posterior of ``N`` over the grid."""
        return np.asarray(self.weights.sum(axis=0), dtype=np.float64)

    def mean(self) -> float:
        """Model-averaged posterior mean of ``N``."""
        return float(self.size_probabilities @ self.totals)

    def quantile(self, level: float) -> float:
        """Smallest ``N`` on the grid whose posterior distribution function reaches ``level``."""
        cdf = np.cumsum(self.size_probabilities)
        return float(self.totals[min(int(np.searchsorted(cdf, level)), len(cdf) - 1)])

    def graph_mean(self, index: int) -> float:
        """Posterior mean of ``N`` given graph ``index``."""
        row = self.weights[index]
        return float(row @ self.totals / row.sum())

    def to_dict(self) -> dict[str, Any]:
        """Prior and settings, JSON-ready."""
        return {"prior": self.prior.describe(), "delta": self.delta,
                "grid": [float(self.totals[0]), float(self.totals[-1])]}


def posterior(
    counts: FloatArray,
    n_lists: int,
    prior: Prior,
    delta: float = 1.0,
    missing: FloatArray | None = None,
) -> Posterior:
    """Posterior over decomposable graphs and population size.

    Args:
        counts: Counts of patterns ``1 .. 2**m - 1``.
        n_lists: Number of lists (at most :data:`MAX_BAYES_LISTS`).
        prior: Prior on ``N``.
        delta: Prior people per cell of the full table (dga's ``delta``).
        missing: Grid of ``N0`` values; by default it grows until the posterior
            mass in its top tenth is negligible.
    """
    if n_lists > MAX_BAYES_LISTS:
        raise ValueError(f"Bayesian model averaging is limited to {MAX_BAYES_LISTS} lists")
    graphs = tuple(decomposable_graphs(n_lists))
    observed = float(counts.sum())
    grid = missing if missing is not None else np.arange(0.0, max(300.0, 3 * observed))
    while True:
        weights = _joint(counts, n_lists, graphs=graphs, prior=prior, delta=delta, missing=grid)
        tail = weights[:, int(0.9 * len(grid)):].sum()
        if missing is not None or tail < 1e-6 or len(grid) > 200 * (observed + 100):
            return Posterior(graphs, observed + grid, weights, prior, delta)
        grid = np.arange(0.0, 2.0 * len(grid))


def _joint(
    counts: FloatArray,
    n_lists: int,
    *,
    graphs: tuple[Graph, ...],
    prior: Prior,
    delta: float,
    missing: FloatArray,
) -> FloatArray:
    """Normalised joint posterior of (graph, N0) on the grid."""
    margins = _log_margins(counts, n_lists, missing, delta)
    observed = counts.sum()
    total = observed + missing
    multinomial = (
        special.gammaln(total + 1)
        - special.gammaln(counts + 1).sum()
        - special.gammaln(missing + 1)
    )
    log_post = np.empty((len(graphs), len(missing)))
    for g, graph in enumerate(graphs):
        log_post[g] = sum(margins[fam] - margins[par] for fam, par in graph.families)
    log_post += multinomial + prior.log_density(total)
    log_post -= log_post.max()
    weights = np.exp(log_post)
    return np.asarray(weights / weights.sum(), dtype=np.float64)
