"""End to end on generated data: accuracy against the truth, stable ids, decisions, review."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from crossings.linkage.cluster import Decision, Link, PairDecision, cluster, stable_ids
from crossings.linkage.evaluate import score
from crossings.linkage.model import PersonModel, latest_version, save_version
from crossings.linkage.pipeline import link_persons


def test_linkage_finds_the_true_identities(persons: pa.Table, truth, trained):
    result = link_persons(persons, trained)
    scores = score(result.identities, truth)
    assert scores.f1 >= 0.93, scores
    assert scores.precision >= 0.95, scores
    assert set(result.identities) == set(truth)
    assert all(0.0 <= c <= 1.0 for c in result.confidence.values())


def test_identity_ids_are_stable_across_runs(persons, trained):
    first = link_persons(persons, trained)
    again = link_persons(persons, trained)
    assert first.identities == again.identities  # derived from the smallest record id
    carried = link_persons(persons, trained, previous=first.identities)
    assert carried.identities == first.identities


def test_previous_ids_carry_over_by_overlap():
    records = ["a", "b", "c", "d"]
    reps = cluster(records, [Link("a", "b", 0.99), Link("c", "d", 0.99)], 0.5)
    ids = stable_ids(reps, {"a": "P-old1", "b": "P-old1", "c": "P-old2"})
    assert ids == {"a": "P-old1", "b": "P-old1", "c": "P-old2", "d": "P-old2"}
    split = stable_ids(cluster(records, [Link("c", "d", 0.99)], 0.5),
                       {"a": "P-old1", "b": "P-old1", "c": "P-old1", "d": "P-old1"})
    assert split["c"] == split["d"] == "P-old1" and split["a"] != split["b"]
    assert "P-old1" not in (split["a"], split["b"])


def test_not_a_match_is_never_overridden_by_other_links():
    links = [Link("a", "b", 0.99), Link("b", "c", 0.98), Link("a", "c", 0.97)]
    reps = cluster(["a", "b", "c"], links, 0.5,
                   [PairDecision("c", "a", Decision.NOT_A_MATCH)])
    assert reps["a"] != reps["c"] and reps["a"] == reps["b"]


def test_match_decision_links_what_the_model_would_not():
    reps = cluster(["a", "b"], [Link("a", "b", 0.1)], 0.5,
                   [PairDecision("a", "b", Decision.MATCH)])
    assert reps["a"] == reps["b"]


def test_review_decisions_are_respected_by_the_next_run(persons, trained):
    first = link_persons(persons, trained)
    groups: dict[str, list[str]] = {}
    for record, identity in first.identities.items():
        groups.setdefault(identity, []).append(record)
    a, b = sorted(next(g for g in groups.values() if len(g) == 2))
    singles = sorted(g[0] for g in groups.values() if len(g) == 1)[:2]
    decisions = [PairDecision(a, b, Decision.NOT_A_MATCH),
                 PairDecision(singles[0], singles[1], Decision.MATCH)]
    second = link_persons(persons, trained, decisions=decisions, previous=first.identities)
    assert second.identities[a] != second.identities[b]
    assert second.identities[singles[0]] == second.identities[singles[1]]
    assert second.confidence[singles[0]] == 1.0


def test_review_list_is_the_uncertain_band_with_evidence(persons, trained):
    result = link_persons(persons, trained)
    s = trained.settings
    assert result.review
    for item in result.review:
        assert s.review_low <= item.match_probability < s.review_high
        names = {e.comparison for e in item.evidence}
        assert {"name", "birth", "phone", "document"} <= names
        assert item.for_link() and all(e.match_weight > 0 for e in item.for_link())
    decided = [PairDecision(i.left, i.right, Decision.UNSURE) for i in result.review[:5]]
    again = link_persons(persons, trained, decisions=decided)
    asked = {(i.left, i.right) for i in again.review}
    assert not asked & {(d.left, d.right) for d in decided}


def test_model_round_trips_with_its_settings_and_version(tmp_path: Path, persons, trained):
    path = save_version(trained, tmp_path)
    assert path.name == "persons-v0001.json"
    loaded = latest_version(tmp_path)
    assert loaded is not None and loaded.version == 1
    assert loaded.settings == trained.settings
    assert save_version(loaded, tmp_path).name == "persons-v0002.json"
    a = link_persons(persons.slice(0, 800), trained)
    b = link_persons(persons.slice(0, 800), PersonModel.load(path))
    assert a.identities == b.identities
