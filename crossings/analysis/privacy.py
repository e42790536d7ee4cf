"""Differentially private noise for public releases, and the ledger of privacy budget spent.

The mechanism is OpenDP's Laplace mechanism on integers (the discrete Laplace, or two-sided
geometric, mechanism): each count gets independent noise of scale ``sensitivity / epsilon``.
For a histogram in which each incident falls in exactly one cell, adding or removing one
incident changes one cell by one, so ``sensitivity = 1`` and the whole table costs ``epsilon``
(parallel composition). Every release is written to a ledger (JSON lines) with its epsilon,
scale and what it covered; a ledger with a budget refuses a release that would exceed it
(sequential composition: the epsilons add up).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import opendp.prelude as dp

dp.enable_features("contrib")
MECHANISM = "opendp.measurements.make_laplace (discrete Laplace on integers)"


class BudgetExceeded(RuntimeError):
    """A release would spend more privacy budget than the ledger allows."""


def noisy_counts(values: list[int], epsilon: float, sensitivity: int = 1) -> list[int]:
    """The counts with discrete Laplace noise of scale ``sensitivity / epsilon``."""
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    if not values:
        return []
    scale = sensitivity / epsilon
    measurement = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)),
                                    dp.l1_distance(T=int), scale=scale)
    noisy: list[int] = measurement([int(v) for v in values])
    return noisy


def privacy_loss(epsilon: float, sensitivity: int = 1) -> float:
    """The epsilon OpenDP certifies for one release at this scale (a check on our arithmetic)."""
    measurement = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)),
                                    dp.l1_distance(T=int), scale=sensitivity / epsilon)
    return float(measurement.map(sensitivity))  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class LedgerEntry:
    """One release that spent privacy budget."""

    release_id: str
    created_at: str
    description: str
    epsilon: float
    scale: float
    sensitivity: int
    cells: int
    mechanism: str = MECHANISM


class Ledger:
    """Privacy budget spent, one JSON line per release, optionally capped by a total budget."""

    def __init__(self, path: Path, budget: float | None = None):
        self.path = path
        self.budget = budget

    def entries(self) -> list[LedgerEntry]:
        """Every release recorded so far."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [LedgerEntry(**json.loads(line)) for line in lines if line.strip()]

    def spent(self) -> float:
        """Epsilon spent so far (sequential composition)."""
        return sum(entry.epsilon for entry in self.entries())

    def record(self, description: str, epsilon: float, sensitivity: int,
               cells: int) -> LedgerEntry:
        """Check the budget and append an entry; call before the noisy table is released."""
        if self.budget is not None and self.spent() + epsilon > self.budget + 1e-12:
            raise BudgetExceeded(f"this release needs epsilon {epsilon}, but only "
                                 f"{self.budget - self.spent():.4g} of {self.budget} is left")
        entry = LedgerEntry(release_id=str(uuid.uuid4()),
                            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                            description=description, epsilon=epsilon,
                            scale=sensitivity / epsilon, sensitivity=sensitivity, cells=cells)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        return entry


def entry_dict(entry: LedgerEntry) -> dict[str, Any]:
    """A JSON-friendly view of an entry."""
    return asdict(entry)
