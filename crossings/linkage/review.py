"""Pairs for a human to review, with the evidence for and against each link.

The review band is ``[review_low, review_high)`` of match probability: below it pairs are not
linked and not worth a reviewer's time, above it they are linked without asking. Pairs already
decided (MATCH, NOT_A_MATCH or UNSURE) are not asked again. Each item carries, per comparison,
the level reached (e.g. "same month, a day unknown"), its match weight (log2 of the Bayes
factor: positive speaks for the link, negative against) and the two values compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from crossings.linkage.cluster import PairDecision


@dataclass(frozen=True)
class Evidence:
    """What one comparison said about a pair."""

    comparison: str
    level: str
    match_weight: float
    left: Any
    right: Any

    @property
    def supports(self) -> bool:
        """Whether this comparison speaks for the link."""
        return self.match_weight > 0


@dataclass(frozen=True)
class ReviewItem:
    """A pair of records for a reviewer, strongest evidence first."""

    left: str
    right: str
    match_probability: float
    match_weight: float
    evidence: tuple[Evidence, ...]

    def for_link(self) -> list[Evidence]:
        """Comparisons that speak for the link, strongest first."""
        return [e for e in self.evidence if e.match_weight > 0]

    def against_link(self) -> list[Evidence]:
        """Comparisons that speak against it, strongest first."""
        return [e for e in self.evidence if e.match_weight < 0]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what the web review queue shows)."""
        return {"left": self.left, "right": self.right,
                "match_probability": self.match_probability, "match_weight": self.match_weight,
                "evidence": [e.__dict__ for e in self.evidence]}


def level_labels(splink_model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Per comparison, the label of each comparison vector value (gamma)."""
    out: dict[str, dict[int, str]] = {}
    for comparison in splink_model["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        labels = {len(non_null) - 1 - i: str(lv.get("label_for_charts", "")) for i, lv in
                  enumerate(non_null)}
        labels[-1] = next((str(lv.get("label_for_charts", "missing")) for lv in levels
                           if lv.get("is_null_level")), "missing")
        out[comparison["output_column_name"]] = labels
    return out


def _evidence(row: dict[str, Any], labels: dict[str, dict[int, str]]) -> tuple[Evidence, ...]:
    items = []
    for name, by_gamma in labels.items():
        weight = float(row.get(f"mw_{name}") or 0.0)
        columns = _compared_columns(row, name)
        items.append(Evidence(name, by_gamma.get(int(row.get(f"gamma_{name}", -1)), "?"),
                              round(weight, 3), *columns))
    return tuple(sorted(items, key=lambda e: -abs(e.match_weight)))


_SHOWN = {"name": "name_romans", "birth": "birth_year"}


def _compared_columns(row: dict[str, Any], name: str) -> tuple[Any, Any]:
    column = _SHOWN.get(name, name)
    return row.get(f"{column}_l"), row.get(f"{column}_r")


def review_items(pairs: pa.Table, splink_model: dict[str, Any], low: float, high: float,
                 decisions: Iterable[PairDecision] = ()) -> list[ReviewItem]:
    """Undecided pairs with ``low <= match_probability < high``, most uncertain first."""
    decided = {d.key for d in decisions}
    labels = level_labels(splink_model)
    items = []
    for row in pairs.filter(pa.compute.and_(
            pa.compute.greater_equal(pairs["match_probability"], low),
            pa.compute.less(pairs["match_probability"], high))).to_pylist():
        left, right = sorted((row["unique_id_l"], row["unique_id_r"]))
        if (left, right) in decided:
            continue
        items.append(ReviewItem(left, right, round(float(row["match_probability"]), 4),
                                round(float(row["match_weight"]), 3), _evidence(row, labels)))
    return sorted(items, key=lambda i: (abs(i.match_probability - 0.5), i.left, i.right))
