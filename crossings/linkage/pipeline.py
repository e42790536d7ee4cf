"""Link person records into identities: prepare, train (if needed), predict, cluster, review.

:func:`link_persons` is what the CLI, the web app and the benchmarks call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyarrow as pa

from crossings.linkage.backends import Backend
from crossings.linkage.cluster import Decision, Link, PairDecision, cluster, stable_ids
from crossings.linkage.model import PersonModel
from crossings.linkage.prepare import prepare_persons
from crossings.linkage.review import ReviewItem, review_items


@dataclass
class LinkResult:
    """Identities found, with the confidence of each record's membership and pairs to review.

    ``confidence`` is, for a record in an identity with others, the strongest link probability
    that ties it to them (1.0 for a reviewed MATCH); for a record alone, one minus the
    strongest link it had to anyone (a near miss makes a lonely record uncertain).
    """

    identities: dict[str, str]
    confidence: dict[str, float]
    pairs: pa.Table
    review: list[ReviewItem]
    model: PersonModel

    def rows(self) -> list[tuple[str, str, float]]:
        """``(record_id, identity_id, confidence)`` sorted by identity then record."""
        return sorted(((r, i, round(self.confidence[r], 4)) for r, i in self.identities.items()),
                      key=lambda t: (t[1], t[0]))


def links_of(pairs: pa.Table) -> list[Link]:
    """The scored pairs of a prediction as :class:`Link` objects."""
    left = pairs["unique_id_l"].to_pylist()
    right = pairs["unique_id_r"].to_pylist()
    prob = pairs["match_probability"].to_pylist()
    return [Link(a, b, float(p)) for a, b, p in zip(left, right, prob, strict=True)]


def confidences(identities: Mapping[str, str], links: Iterable[Link],
                decisions: Iterable[PairDecision] = ()) -> dict[str, float]:
    """Confidence of each record's membership (see :class:`LinkResult`)."""
    inside: dict[str, float] = defaultdict(float)
    outside: dict[str, float] = defaultdict(float)
    for link in links:
        same = identities.get(link.left) == identities.get(link.right)
        target = inside if same else outside
        for record in (link.left, link.right):
            target[record] = max(target[record], link.probability)
    for d in decisions:
        if d.decision is Decision.MATCH and identities.get(d.left) == identities.get(d.right):
            inside[d.left] = inside[d.right] = 1.0
    sizes: dict[str, int] = defaultdict(int)
    for identity in identities.values():
        sizes[identity] += 1
    return {r: inside[r] if sizes[i] > 1 else 1.0 - outside[r] for r, i in identities.items()}


def link_persons(persons: pa.Table, model: PersonModel | None = None, *,
                 decisions: Iterable[PairDecision] = (),
                 previous: Mapping[str, str] | None = None,
                 backend: Backend | None = None) -> LinkResult:
    """Link person-list rows (see :data:`~crossings.linkage.prepare.PERSON_COLUMNS`).

    Args:
        persons: the rows; ``record_id`` must be unique.
        model: a trained model to apply, or an untrained one (its settings) to train here.
        decisions: reviewers' decisions; MATCH pairs are linked, NOT_A_MATCH pairs never end
            up in one identity, UNSURE pairs are left to the model but not asked again.
        previous: record -> identity id of the previous run, so ids carry over.
        backend: where Splink computes (DuckDB in memory by default).
    """
    decisions = list(decisions)
    prepared = prepare_persons(persons)
    model = model or PersonModel()
    if not model.trained:
        model = model.train(prepared, backend)
    pairs = model.predict(prepared, backend)
    links = links_of(pairs)
    settings = model.settings
    records = prepared["unique_id"].to_pylist()
    representative = cluster(records, links, settings.match_threshold, decisions)
    identities = stable_ids(representative, previous)
    review = review_items(pairs, model.splink_model or {}, settings.review_low,
                          settings.review_high, decisions)
    return LinkResult(identities, confidences(identities, links, decisions), pairs, review,
                      model)
