"""Every generated row and every incident document passes the standard with zero problems."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from crossings.standard.model import load_standard
from crossings.standard.validate import RowValidator, validate_record
from crossings.synthetic import GenerationSummary
from tests.synthetic.conftest import read_rows, rows_by_country

STANDARD = load_standard()


@pytest.mark.parametrize("record_type", sorted(STANDARD.record_types))
def test_every_row_is_valid(demo: GenerationSummary, record_type: str) -> None:
    rtype = STANDARD.record_type(record_type)
    validator = RowValidator(rtype)
    problems = []
    seen = 0
    for country, rows in rows_by_country(demo.out_dir, rtype.plural).items():
        with (demo.out_dir / country / f"{rtype.plural}.csv").open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header == list(rtype.fields), f"{country}/{rtype.plural}.csv columns"
        for row in rows:
            seen += 1
            problems += [(country, row, p.to_dict()) for p in validator.validate(row)[1]]
    assert problems == [], problems[:3]
    if record_type != "aggregate_return":
        assert seen > 0


def test_every_incident_document_is_valid(demo: GenerationSummary) -> None:
    children = STANDARD.children["incident"]
    problems, documents = [], 0
    for country, incidents in rows_by_country(demo.out_dir, "incidents").items():
        nested: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for child in children:
            plural = STANDARD.record_type(child).plural
            for row in read_rows(demo.out_dir / country / f"{plural}.csv"):
                nested[row["incident_ref"]][plural].append(row)
        for incident in incidents:
            document = {**incident, **nested[incident["incident_ref"]]}
            problems += [p.to_dict() for p in validate_record("incident", document)[1]]
            documents += 1
    assert documents == 1000
    assert problems == [], problems[:3]


def test_references_unique_and_children_attached(demo: GenerationSummary) -> None:
    for country, incidents in rows_by_country(demo.out_dir, "incidents").items():
        refs = [row["incident_ref"] for row in incidents]
        assert len(refs) == len(set(refs))
        assert all(ref.startswith(f"{country}-") for ref in refs)
        units = {row["reporting_unit"] for row in incidents}
        assert all(unit.startswith(f"{country}-") for unit in units)
        for plural in ("route_legs", "migrant_groups", "persons", "objects", "fee_observations"):
            rows = read_rows(demo.out_dir / country / f"{plural}.csv")
            assert {row["incident_ref"] for row in rows} <= set(refs), plural
        for plural, key in (("persons", "person_ref"), ("objects", "object_ref")):
            keys = [row[key] for row in read_rows(demo.out_dir / country / f"{plural}.csv")]
            assert len(keys) == len(set(keys))


def test_units_come_from_the_organisations(demo: GenerationSummary) -> None:
    from crossings.synthetic import load_organisations

    units = load_organisations().units
    for incidents in rows_by_country(demo.out_dir, "incidents").values():
        assert {row["reporting_unit"] for row in incidents} <= set(units)
