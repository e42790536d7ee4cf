"""Fixtures for the estimation tests: the reference tables copied into ./data."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossings.estimation import CaptureTable

DATA = Path(__file__).parent / "data"


def load(name: str) -> CaptureTable:
    """A reference table by file stem (e.g. ``NewOrl``)."""
    return CaptureTable.from_csv(DATA / f"{name}.csv")


@pytest.fixture
def data_dir() -> Path:
    """Directory of the reference CSV files."""
    return DATA
