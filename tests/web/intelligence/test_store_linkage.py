"""Linkage over the record store: identities per country, stable ids, decisions respected."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.utils import timezone

from crossings.linkage.cli import link
from crossings.linkage.cluster import Decision
from crossings.synthetic import generate
from crossings.web.accounts.models import Country, Unit
from crossings.web.intelligence.actions import (
    decide,
    identities_of,
    link_country,
    person_row,
    review_queue,
)
from crossings.web.intelligence.models import Identity, IdentityMember, LinkageModel
from crossings.web.reporting.models import Record

pytestmark = pytest.mark.django_db
LISTS = {"aliases", "phones"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(out, incidents=600, seed=11)
    return out


def _store(generated: Path, kind: str, limit: int) -> list[Record]:
    country, unit = Country.objects.get(code="KHM"), Unit.objects.get(code="KHM-BLO-POIPET")
    now = timezone.now()
    with (generated / "KHM" / f"{kind}s.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    records = []
    for row in rows:
        data = {k: (v.split("|") if k in LISTS else v) for k, v in row.items() if v}
        records.append(Record(record_type=kind, country=country, unit=unit,
                              reference=row[f"{kind}_ref"], incident_reference=row["incident_ref"],
                              event_date=dt.date(2023, 6, 1), data=data, content_hash="x",
                              standard_version="1", created_at=now, updated_at=now))
    return Record.objects.bulk_create(records)


@pytest.fixture
def stored(generated: Path) -> list[Record]:
    persons = _store(generated, "person", 700)
    assert len(_store(generated, "object", 200)) > 50
    return persons


def test_link_country_stores_identities_and_a_model(stored):
    outcome = link_country("KHM")
    assert outcome["persons"] == 700 and 0 < outcome["person_identities"] < 700
    objects = Record.objects.filter(record_type="object").count()
    assert outcome["objects"] == objects and outcome["object_identities"] < objects
    assert IdentityMember.objects.filter(identity__kind="person").count() == 700
    assert LinkageModel.objects.get(country__code="KHM").version == 1
    assert sum(len(v) for v in identities_of(Country.objects.get(code="KHM")).values()) == 700


def test_ids_are_stable_and_decisions_respected_on_the_next_run(stored):
    link_country("KHM")
    khm = Country.objects.get(code="KHM")
    before = dict(IdentityMember.objects.values_list("record__reference",
                                                     "identity__identity_id"))
    group = next(i for i in Identity.objects.filter(kind="person", size=2))
    a, b = [m.record for m in group.members.all()]
    decide(khm, a, b, Decision.NOT_A_MATCH)
    second = link_country("KHM")
    after = dict(IdentityMember.objects.values_list("record__reference",
                                                    "identity__identity_id"))
    assert after[a.reference] != after[b.reference]
    assert {after[a.reference], after[b.reference]} & {before[a.reference]}
    unchanged = [r for r in before if r not in (a.reference, b.reference)]
    assert sum(before[r] == after[r] for r in unchanged) / len(unchanged) > 0.99
    assert second["model_version"] == 1  # the stored model was applied, not retrained


def test_review_queue_drops_decided_pairs(stored):
    link_country("KHM")
    khm = Country.objects.get(code="KHM")
    queue = review_queue(khm)
    assert queue, "the seeded sample must give the review queue at least one pair"
    first = queue[0]
    left, right = (Record.objects.get(reference=first[k], record_type="person")
                   for k in ("left", "right"))
    decide(khm, left, right, Decision.UNSURE)
    assert (first["left"], first["right"]) not in {(i["left"], i["right"])
                                                   for i in review_queue(khm)}
    assert first["evidence"] and {"comparison", "level", "match_weight"} <= set(
        first["evidence"][0])


def test_person_row_turns_an_age_into_a_birth_year(stored):
    record = next(r for r in stored if not r.data.get("birth_date") and
                  r.data.get("age_at_detection"))
    row = person_row(record)
    assert row["birth_year"] == str(2023 - int(record.data["age_at_detection"]))
    assert row["record_id"] == record.reference and row["source"] == "KHM-BLO-POIPET"


def test_cli_from_store(stored):
    result = CliRunner().invoke(link, ["--from-store", "--country", "KHM", "--json"])
    assert result.exit_code == 0, result.output
    assert '"person_identities"' in result.stdout
    result = CliRunner().invoke(link, ["--from-store", "--country", "XXX"])
    assert result.exit_code == 2 and "unknown country" in result.output
    result = CliRunner().invoke(link, ["--from-store"])
    assert result.exit_code == 2 and "--country" in result.output
