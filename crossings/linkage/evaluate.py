"""Scores of a linkage against a ground truth: pairwise and cluster-level.

Pairwise: every pair of records put in one identity is a predicted link; precision, recall and
F1 against the true pairs. Cluster-level: the share of true identities found exactly (same
records, no more, no less) and the adjusted count of identities (what multiple systems
estimation would see).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Scores:
    """Pairwise and cluster-level scores of one linkage."""

    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    exact_clusters: float  # share of true identities reproduced exactly
    identities_true: int
    identities_found: int

    def to_dict(self) -> dict[str, float | int]:
        """The scores as a JSON-ready mapping."""
        return dict(self.__dict__)


def _groups(assignment: Mapping[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for record, group in assignment.items():
        groups[group].append(record)
    return groups


def pairs_of(assignment: Mapping[str, str]) -> set[tuple[str, str]]:
    """All record pairs (ordered ``a < b``) that share a group."""
    out: set[tuple[str, str]] = set()
    for members in _groups(assignment).values():
        out.update(combinations(sorted(members), 2))
    return out


def pair_scores(predicted: Iterable[tuple[str, str]],
                truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of predicted pairs (any order) against true pairs."""
    found = {(a, b) if a < b else (b, a) for a, b in predicted}
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Scores of a record -> identity assignment against the true one (same records).

    Pairs are counted, not listed (a true identity of 2,000 records has 2 million pairs):
    true positives are the pairs inside each (predicted, true) cell of the contingency table.
    """
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for record, group in predicted.items():
        cells[(group, truth[record])] += 1
    found_sizes = _sizes(predicted.values())
    true_sizes = _sizes(truth.values())
    hits = sum(_pairs(n) for n in cells.values())
    found = sum(_pairs(n) for n in found_sizes.values())
    true = sum(_pairs(n) for n in true_sizes.values())
    precision = hits / found if found else 1.0
    recall = hits / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    exact = sum(1 for (g, t), n in cells.items() if n == found_sizes[g] == true_sizes[t])
    return Scores(precision=precision, recall=recall, f1=f1, true_pairs=true,
                  predicted_pairs=found, exact_clusters=exact / max(len(true_sizes), 1),
                  identities_true=len(true_sizes), identities_found=len(found_sizes))


def _sizes(groups: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for g in groups:
        out[g] += 1
    return out
