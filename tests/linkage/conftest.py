"""A small generated data set with its ground truth, and a model trained on it once."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest

from crossings.linkage.cli import read_person_lists
from crossings.linkage.model import PersonModel
from crossings.linkage.prepare import prepare_persons
from crossings.synthetic import generate


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(out, incidents=1000, seed=7)
    return out


@pytest.fixture(scope="session")
def persons(generated: Path) -> pa.Table:
    table, _ = read_person_lists([generated / "linkage" / "persons.csv"])
    return table


@pytest.fixture(scope="session")
def truth(generated: Path) -> dict[str, str]:
    with (generated / "truth" / "person_identities.csv").open(encoding="utf-8") as handle:
        return {f"{r['reporting_country']}:{r['person_ref']}": r["identity_id"]
                for r in csv.DictReader(handle)}


@pytest.fixture(scope="session")
def trained(persons: pa.Table) -> PersonModel:
    return PersonModel().train(prepare_persons(persons))
