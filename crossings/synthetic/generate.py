"""Generation of a whole synthetic data set: plan, then chunk by chunk make and write records."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from crossings.standard.model import load_standard
from crossings.synthetic import formats as fm
from crossings.synthetic.aggregates import aggregate_returns
from crossings.synthetic.groups import facilitator_groups, harms, migrant_groups
from crossings.synthetic.incidents import draw_flags, fees, fraud_items, incident_rows, route_legs
from crossings.synthetic.objects import objects
from crossings.synthetic.organisations import load_organisations
from crossings.synthetic.persons import Chunk, draw_people
from crossings.synthetic.plan import Plan, build_plan, sizes
from crossings.synthetic.scenarios import load_catalogue
from crossings.synthetic.writer import CsvFiles

CHUNK_INCIDENTS = 20_000
"""Incidents made and written at once; fixed, so that output never depends on the machine."""
LINKAGE_COLUMNS = ("record_id", "source", "full_name", "full_name_original", "birth_date",
                   "birth_year", "sex", "nationality", "phone", "document_number")
TRUTH_COLUMNS = {"person_identities": ("person_ref", "reporting_country", "identity_id"),
                 "object_identities": ("object_ref", "reporting_country", "identity_id")}
RECORD_FILES = ("incident", "route_leg", "migrant_group", "facilitator_group",
                "document_fraud_item", "fee_observation", "harm_observation", "person", "object",
                "aggregate_return")
Progress = Callable[[int, int], None]


@dataclass
class GenerationSummary:
    """What was written: rows per file (relative to the output directory) and the truth files."""

    out_dir: Path
    seed: int
    incidents: int
    persons: int
    rows: dict[str, int] = field(default_factory=dict)
    truth: dict[str, Path] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly view."""
        return {"out_dir": str(self.out_dir), "seed": self.seed, "incidents": self.incidents,
                "persons": self.persons, "rows": self.rows,
                "truth": {k: str(v) for k, v in self.truth.items()}}


def _columns() -> dict[str, tuple[str, tuple[str, ...]]]:
    standard = load_standard()
    return {name: (standard.record_type(name).plural,
                   tuple(standard.record_type(name).fields)) for name in RECORD_FILES}


def _references(plan: Plan) -> npt.NDArray[np.object_]:
    """``KHM-2025-000123``: country, year of detection, number within both."""
    year = plan.day.astype("datetime64[Y]").astype(np.int64) + 1970
    country = np.array(plan.country, dtype=object)
    key = np.unique(np.char.add(np.array(plan.country, dtype=str), year.astype(str)),
                    return_inverse=True)[1]
    order = np.argsort(key, kind="stable")
    rank = np.empty(len(key), np.int64)
    rank[order] = fm.rank_within(key[order])
    refs = fm.join(pa.array(country, pa.string()), "-", fm.text(year), "-",
                   fm.digits(rank + 1, 6))
    return np.asarray(refs.to_numpy(zero_copy_only=False), dtype=object)


def _chunk_tables(chunk: Chunk, seed: int) -> dict[str, dict[str, pa.Array]]:
    people = draw_people(chunk, seed)
    legs, n_legs, place = route_legs(chunk, people.primary)
    fraud, has_fraud = fraud_items(chunk, people.primary)
    flags_tip = chunk.rng.random(chunk.n) < chunk.catalogue.numbers["tip"][chunk.scenario]
    groups, totals = migrant_groups(chunk, people, flags_tip)
    harm, totals = harms(chunk, totals)
    fee, has_fee = fees(chunk, n_legs, totals)
    n_fac = np.bincount(people.incident[people.role == 1], minlength=chunk.n).astype(np.int64)
    flags = draw_flags(chunk, n_fac, place, tip=flags_tip, fraud=has_fraud, fee=has_fee)
    tables = {"incident": incident_rows(chunk, flags, totals, people.primary),
              "route_leg": legs, "migrant_group": groups,
              "facilitator_group": facilitator_groups(chunk, people, flags.mode,
                                                      flags.network_ref),
              "document_fraud_item": fraud, "fee_observation": fee, "harm_observation": harm,
              "person": people.tables["persons"], "linkage": people.tables["linkage"],
              "person_identities": people.tables["person_identities"]}
    made = objects(chunk, people, seed)
    tables["object"], tables["object_identities"] = made["objects"], made["object_identities"]
    return tables


def _write_chunk(files: CsvFiles, country: str, tables: dict[str, dict[str, pa.Array]]) -> None:
    for name, (plural, columns) in _columns().items():
        if name in tables:
            files.write(f"{country}/{plural}.csv", columns, tables[name])
    files.write("linkage/persons.csv", LINKAGE_COLUMNS, tables["linkage"])
    for name, truth_columns in TRUTH_COLUMNS.items():
        files.write(f"truth/{name}.csv", truth_columns, tables[name])


def generate(out_dir: Path, *, incidents: int | None = None, persons: int | None = None,
             seed: int = 0, progress: Progress | None = None) -> GenerationSummary:
    """Write a synthetic data set to ``out_dir`` (see the package docstring for the layout)."""
    for name, value in (("incidents", incidents), ("persons", persons)):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")
    n_incidents, n_persons = sizes(incidents, persons)
    orgs, cat = load_organisations(), load_catalogue()
    plan = build_plan(orgs, cat, n_incidents, n_persons, seed)
    refs = _references(plan)
    out_dir.mkdir(parents=True, exist_ok=True)
    countries = [c.code for c in orgs.countries]
    with CsvFiles(out_dir) as files:
        for name, truth_columns in TRUTH_COLUMNS.items():
            files.header(f"truth/{name}.csv", truth_columns)
        files.header("linkage/persons.csv", LINKAGE_COLUMNS)
        for country in countries:
            for plural, columns in _columns().values():
                files.header(f"{country}/{plural}.csv", columns)
        _write_incidents(files, plan, refs, seed, progress)
        _write_aggregates(files, countries, n_incidents, seed)
        rows = dict(sorted(files.rows.items()))
    truth = out_dir / "truth" / "population.json"
    truth.write_text(json.dumps(_population(plan), indent=2, ensure_ascii=False)
                     + "\n", encoding="utf-8")
    person_rows = sum(v for k, v in rows.items() if k.endswith("/persons.csv")
                      and not k.startswith("linkage"))
    return GenerationSummary(out_dir, seed, len(plan), person_rows, rows, {
        "population": truth, "person_identities": out_dir / "truth" / "person_identities.csv",
        "object_identities": out_dir / "truth" / "object_identities.csv"})


def _write_incidents(files: CsvFiles, plan: Plan, refs: npt.NDArray[np.object_], seed: int,
                     progress: Progress | None) -> None:
    country = np.array(plan.country, dtype=object)
    bounds: list[int] = (np.flatnonzero(np.r_[True, country[1:] != country[:-1], True]).tolist()
                         if len(plan) else [])
    cat = load_catalogue()
    for a, b in itertools.pairwise(bounds):
        for start in range(a, b, CHUNK_INCIDENTS):
            stop = min(start + CHUNK_INCIDENTS, b)
            chunk = Chunk(plan, start, stop, pa.array(refs[start:stop], pa.string()),
                          np.random.default_rng([seed, 2, start]), cat)
            _write_chunk(files, chunk.country, _chunk_tables(chunk, seed))
            if progress:
                progress(stop, len(plan))


def _write_aggregates(files: CsvFiles, countries: list[str], incidents: int, seed: int) -> None:
    plural, columns = _columns()["aggregate_return"]
    cat = load_catalogue()
    for k, country in enumerate(countries):
        rng = np.random.default_rng([seed, 3, k])
        table = aggregate_returns(country, cat, max(incidents / 1000, 0.05), rng)
        if len(table["period"]):
            files.write(f"{country}/{plural}.csv", columns, table)


def _population(plan: Plan) -> dict[str, object]:
    return {"about": "Ground truth for multiple systems estimation: the true size of each hidden "
                     "population per year, the units whose records form the lists, and how they "
                     "were drawn.", "seed": plan.seed, "populations": plan.truth}
