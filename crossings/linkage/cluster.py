"""Records into identities: links above the threshold, reviewers' decisions, stable ids.

Clustering is greedy single-link under constraints: links are taken strongest first (reviewed
MATCH pairs before any score), and a link is skipped when it would put two records that a
reviewer declared NOT_A_MATCH into one identity. So decisions are always respected, however
many other links connect the two records, and the result does not depend on input order.

Identity ids are stable across runs:

1. A cluster that shares records with an identity of the previous run takes that identity's
   id; when several clusters share records with one previous identity, the one sharing the
   most records takes it (ties: the cluster with the smallest record id).
2. Any other cluster gets an id derived from its smallest record id (``P-`` + 12 hex digits
   of its SHA-256), so re-running on the same data gives the same ids even with no previous
   run; should that id already be in use, the next record id of the cluster is tried.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Decision(StrEnum):
    """A reviewer's judgement on a pair of records."""

    MATCH = "MATCH"
    NOT_A_MATCH = "NOT_A_MATCH"
    UNSURE = "UNSURE"


@dataclass(frozen=True)
class PairDecision:
    """A decision on one pair of records (order does not matter)."""

    left: str
    right: str
    decision: Decision

    @property
    def key(self) -> tuple[str, str]:
        """The pair in canonical order."""
        return (self.left, self.right) if self.left < self.right else (self.right, self.left)


@dataclass(frozen=True)
class Link:
    """A scored pair of records."""

    left: str
    right: str
    probability: float


class _Components:
    """Union-find that refuses merges joining records kept apart by NOT_A_MATCH."""

    def __init__(self, records: Iterable[str], apart: Iterable[tuple[str, str]]) -> None:
        self.parent = {r: r for r in records}
        self.apart: dict[str, set[str]] = defaultdict(set)  # root -> roots it must avoid
        for a, b in apart:
            if a in self.parent and b in self.parent:
                self.apart[a].add(b)
                self.apart[b].add(a)

    def find(self, record: str) -> str:
        root = record
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[record] != root:
            self.parent[record], record = root, self.parent[record]
        return root

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if {self.find(x) for x in self.apart.get(ra, ())} & {rb}:
            return False
        if len(self.apart.get(ra, ())) < len(self.apart.get(rb, ())):
            ra, rb = rb, ra
        self.parent[rb] = ra
        if rb in self.apart:
            self.apart[ra] |= self.apart.pop(rb)
        return True


def cluster(records: Sequence[str], links: Iterable[Link], threshold: float,
            decisions: Iterable[PairDecision] = ()) -> dict[str, str]:
    """Each record's cluster representative (its smallest record id) under the decisions."""
    decided = {d.key: d.decision for d in decisions}
    apart = [k for k, d in decided.items() if d is Decision.NOT_A_MATCH]
    forced = [k for k, d in decided.items() if d is Decision.MATCH]
    comps = _Components(records, apart)
    scored = sorted((-link.probability, *_ordered(link)) for link in links
                     if link.probability >= threshold
                     and decided.get(_ordered(link)) is not Decision.NOT_A_MATCH)
    for a, b in forced:
        if a in comps.parent and b in comps.parent:
            comps.union(a, b)
    for _, a, b in scored:
        comps.union(a, b)
    members: dict[str, list[str]] = defaultdict(list)
    for r in records:
        members[comps.find(r)].append(r)
    return {r: min(group) for group in members.values() for r in group}


def _ordered(link: Link) -> tuple[str, str]:
    return (link.left, link.right) if link.left < link.right else (link.right, link.left)


def derived_id(record_id: str, prefix: str = "P") -> str:
    """The identity id derived from a record id (stable, reveals nothing of the record)."""
    return f"{prefix}-{hashlib.sha256(record_id.encode()).hexdigest()[:12]}"


def stable_ids(representative: Mapping[str, str], previous: Mapping[str, str] | None = None,
               prefix: str = "P") -> dict[str, str]:
    """Identity id per record: carried over from ``previous`` by overlap, else derived.

    Args:
        representative: record -> its cluster representative (from :func:`cluster`).
        previous: record -> identity id of the previous run (may cover other records).
        prefix: first letters of derived ids (``P`` persons, ``O`` objects).
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for record, rep in representative.items():
        groups[rep].append(record)
    claims: list[tuple[int, str, str]] = []  # (-overlap, representative, previous id)
    for rep, members in groups.items():
        counts: dict[str, int] = defaultdict(int)
        for m in members:
            if previous and m in previous:
                counts[previous[m]] += 1
        claims.extend((-n, rep, old) for old, n in counts.items())
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for _, rep, old in sorted(claims):
        if rep not in ids and old not in taken:
            ids[rep] = old
            taken.add(old)
    taken |= set(previous.values()) if previous else set()
    for rep in sorted(r for r in groups if r not in ids):
        for record in sorted(groups[rep]):
            candidate = derived_id(record, prefix)
            if candidate not in taken:
                break
        else:
            candidate = derived_id(rep + "#" + str(len(taken)), prefix)
        ids[rep] = candidate
        taken.add(candidate)
    return {record: ids[rep] for record, rep in representative.items()}
