"""The generated sample and its analytical store, shared with tests/analysis."""

from tests.analysis.conftest import records, store

__all__ = ["records", "store"]
