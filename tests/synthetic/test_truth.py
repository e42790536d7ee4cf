"""The ground truth is complete and consistent, and the data have something to find."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from crossings.synthetic import GenerationSummary
from tests.synthetic.conftest import read_rows, rows_by_country


def _persons(demo: GenerationSummary) -> dict[tuple[str, str], dict[str, str]]:
    return {(country, row["person_ref"]): row
            for country, rows in rows_by_country(demo.out_dir, "persons").items()
            for row in rows}


def test_every_person_and_object_has_one_identity(demo: GenerationSummary) -> None:
    truth = read_rows(demo.out_dir / "truth" / "person_identities.csv")
    keys = [(row["reporting_country"], row["person_ref"]) for row in truth]
    assert sorted(keys) == sorted(_persons(demo))
    objects = {(c, row["object_ref"])
               for c, rows in rows_by_country(demo.out_dir, "objects").items() for row in rows}
    object_truth = read_rows(demo.out_dir / "truth" / "object_identities.csv")
    assert {(r["reporting_country"], r["object_ref"]) for r in object_truth} == objects


def test_identities_recur_across_units_and_countries(demo: GenerationSummary) -> None:
    persons = _persons(demo)
    incidents = {(c, row["incident_ref"]): row["reporting_unit"]
                 for c, rows in rows_by_country(demo.out_dir, "incidents").items()
                 for row in rows}
    countries, units = defaultdict(set), defaultdict(set)
    for row in read_rows(demo.out_dir / "truth" / "person_identities.csv"):
        person = persons[(row["reporting_country"], row["person_ref"])]
        countries[row["identity_id"]].add(row["reporting_country"])
        units[row["identity_id"]].add(incidents[(row["reporting_country"],
                                                 person["incident_ref"])])
    assert sum(len(c) > 1 for c in countries.values()) >= 20
    assert sum(len(u) > 1 for u in units.values()) >= 50
    facilitators = Counter(r["identity_id"] for r in read_rows(
        demo.out_dir / "truth" / "person_identities.csv") if "-F" in r["identity_id"])
    assert max(facilitators.values()) >= 5  # key actors recur
    objects = defaultdict(set)
    for row in read_rows(demo.out_dir / "truth" / "object_identities.csv"):
        objects[row["identity_id"]].add(row["object_ref"])
    assert sum(len(refs) > 2 for refs in objects.values()) >= 10


def test_one_identity_is_written_differently(demo: GenerationSummary) -> None:
    persons = _persons(demo)
    names = defaultdict(set)
    for row in read_rows(demo.out_dir / "truth" / "person_identities.csv"):
        names[row["identity_id"]].add(persons[(row["reporting_country"],
                                               row["person_ref"])]["full_name"])
    assert sum(len(n) > 1 for n in names.values()) >= 50


def test_population_truth_matches_the_list_records(demo: GenerationSummary) -> None:
    truth = json.loads((demo.out_dir / "truth" / "population.json").read_text())
    persons = _persons(demo)
    incidents = {(c, row["incident_ref"]): row
                 for c, rows in rows_by_country(demo.out_dir, "incidents").items()
                 for row in rows}
    identity = {(r["reporting_country"], r["person_ref"]): r["identity_id"]
                for r in read_rows(demo.out_dir / "truth" / "person_identities.csv")}
    for population in truth["populations"].values():
        unit_to_list = {lst["unit"]: lst["id"] for lst in population["lists"]}
        seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for key, person in persons.items():
            incident = incidents[(key[0], person["incident_ref"])]
            listed = unit_to_list.get(incident["reporting_unit"])
            if listed and person["role"] == "SMUGGLED_MIGRANT":
                seen[incident["detection_date"][:4]][identity[key]].add(listed)
        for year, facts in population["years"].items():
            order = [lst["id"] for lst in population["lists"]]
            histories = Counter("".join("1" if i in lists else "0" for i in order)
                                for lists in seen[year].values())
            assert dict(histories) == facts["capture_histories"], year
            assert facts["N"] > facts["observed"] > 0
            assert sum(facts["by_citizenship"].values()) == facts["N"]
