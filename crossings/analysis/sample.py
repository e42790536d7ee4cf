"""Records for the analytical store read straight from files of the standard (tests, benchmarks).

The record store is the normal source; this reads a directory written by ``crossings generate``
(one sub-directory per country) through the same validating reader as an import, and gives each
record a stable uid (UUID5 of country, type and reference), version 1, as if all were approved.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

from crossings.analysis.flatten import SourceRecord
from crossings.ingest.batch import BatchReader
from crossings.ingest.mapping import load_mapping
from crossings.synthetic.organisations import load_organisations

NAMESPACE = uuid.UUID("1b0c5d2e-6f7a-4b8c-9d0e-0f1a2b3c4d5e")
NOMINAL_FILES = ("persons.csv", "objects.csv")


def stable_uid(country: str, record_type: str, reference: str) -> uuid.UUID:
    """The uid a record gets in samples: the same input, the same uid."""
    return uuid.uuid5(NAMESPACE, f"{country}:{record_type}:{reference}")


def generated_records(root: Path, countries: list[str] | None = None) -> Iterator[SourceRecord]:
    """Every non-nominal record under ``root/<COUNTRY>/*.csv``, validated, as source records."""
    orgs = load_organisations()
    units = {code: unit.country for code, unit in orgs.units.items()}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if (countries and folder.name not in countries) or not any(
                u.startswith(f"{folder.name}-") for u in units):
            continue
        paths = [p for p in sorted(folder.glob("*.csv")) if p.name not in NOMINAL_FILES]
        default = next(c for c in units if c.startswith(f"{folder.name}-"))
        reader = BatchReader(paths, load_mapping(None), default, units)
        for doc in reader.documents():
            yield SourceRecord(stable_uid(folder.name, doc.record_type, doc.reference),
                               folder.name, doc.unit_code, 1, doc.data)
        if reader.report.problem_count:
            raise ValueError(f"{folder}: {reader.report.problem_count} problems, e.g. "
                             f"{reader.report.problems[:3]}")
