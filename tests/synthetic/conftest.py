"""One small generated data set shared by the synthetic-data tests."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from crossings.synthetic import GenerationSummary, generate

DEMO_INCIDENTS = 1000
DEMO_SEED = 7


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    """The 1,000-incident demo, generated once per test session."""
    return generate(tmp_path_factory.mktemp("demo"), incidents=DEMO_INCIDENTS, seed=DEMO_SEED)


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as dictionaries of text."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rows_by_country(out: Path, plural: str) -> dict[str, list[dict[str, str]]]:
    """Rows of ``<country>/<plural>.csv`` for every country folder."""
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for path in sorted(out.glob(f"*/{plural}.csv")):
        if path.parent.name not in ("truth", "linkage"):
            found[path.parent.name] = read_rows(path)
    return found
