"""The review queue: uncertain pairs side by side with their evidence, decisions, re-runs.

- :func:`review_page` lists the pairs of the latest run that no decision covers, both persons
  as cards and every comparison's level and match weight; each person shown is audited;
- :func:`decide_pair` stores a reviewer's MATCH / NOT_A_MATCH / UNSURE (one audit entry);
  the next run of :func:`~crossings.web.intelligence.actions.link_country` respects it;
- :func:`rerun_linkage` runs linkage for the focal point's country now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crossings.linkage.cluster import Decision
from crossings.web.accounts.models import Country
from crossings.web.accounts.roles import role_of
from crossings.web.audit.log import audit
from crossings.web.audit.models import Action
from crossings.web.errors import Invalid
from crossings.web.intelligence.actions import decide, link_country, review_queue
from crossings.web.intelligence.models import LinkageRun, ReviewDecision
from crossings.web.intelligence.reviewing import (
    RUNNERS,
    PersonCard,
    audit_shown,
    find_person,
    person_card,
    reviewer_country,
    visible_persons,
)
from crossings.web.reporting.models import Record

PAGE_SIZE = 10
NOTE_LENGTH = 2000
COMPARISONS: dict[str, Any] = {
    "name": gettext_lazy("Name"), "birth": gettext_lazy("Date of birth"),
    "sex": gettext_lazy("Sex"), "nationality": gettext_lazy("Nationality"),
    "phone": gettext_lazy("Phone"), "document": gettext_lazy("Document number"),
}


@dataclass(frozen=True)
class EvidenceRow:
    """One comparison of a pair: the level it reached and what that weighs."""

    comparison: str
    label: Any
    level: str
    match_weight: float
    left: str
    right: str


@dataclass(frozen=True)
class ReviewPair:
    """A pair for a reviewer: both persons and the evidence for and against the link."""

    left: PersonCard
    right: PersonCard
    match_probability: float
    match_weight: float
    evidence: tuple[EvidenceRow, ...]

    @property
    def percent(self) -> str:
        return f"{self.match_probability * 100:.0f}"

    @property
    def prior_weight(self) -> float:
        """What the comparisons do not explain: the prior (a match is rare among all pairs)
        and the adjustments for how common the names are."""
        return self.match_weight - sum(e.match_weight for e in self.evidence)

    @property
    def for_link(self) -> list[EvidenceRow]:
        return [e for e in self.evidence if e.match_weight > 0]

    @property
    def against_link(self) -> list[EvidenceRow]:
        return [e for e in self.evidence if e.match_weight < 0]

    @property
    def silent(self) -> list[EvidenceRow]:
        """Comparisons that weigh nothing (a value missing on one side)."""
        return [e for e in self.evidence if e.match_weight == 0]


@dataclass(frozen=True)
class ReviewPage:
    """One page of a country's queue."""

    country: Country
    run: LinkageRun | None
    pairs: list[ReviewPair]
    waiting: int
    hidden: int
    page: int
    pages: int
    can_run: bool


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    return str(value)


def _evidence(raw: list[dict[str, Any]]) -> tuple[EvidenceRow, ...]:
    return tuple(EvidenceRow(str(e["comparison"]),
                             COMPARISONS.get(str(e["comparison"]), str(e["comparison"])),
                             str(e.get("level", "")), float(e.get("match_weight") or 0.0),
                             _shown(e.get("left")), _shown(e.get("right"))) for e in raw)


def _pair(item: dict[str, Any], persons: dict[str, Record]) -> ReviewPair:
    return ReviewPair(person_card(persons[item["left"]]), person_card(persons[item["right"]]),
                      float(item["match_probability"]), float(item["match_weight"]),
                      _evidence(item.get("evidence") or []))


def latest_run(country: Country) -> LinkageRun | None:
    return LinkageRun.objects.filter(country=country).order_by("-finished_at", "-pk").first()


def review_page(user: Any, page: int = 1) -> ReviewPage:
    """The reviewer's country's undecided pairs, most uncertain first, ``PAGE_SIZE`` a page.

    Pairs with a person the reviewer may not see (not approved yet, deleted since the run)
    are counted in ``hidden`` and not shown.
    """
    country = reviewer_country(user)
    queue = review_queue(country)
    references = {ref for item in queue for ref in (item["left"], item["right"])}
    persons = {r.reference: r for r in
               visible_persons(user, country).filter(reference__in=references)}
    shown = [item for item in queue if item["left"] in persons and item["right"] in persons]
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    pairs = [_pair(item, persons) for item in
             shown[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]]
    audit_shown(user, [c.record for p in pairs for c in (p.left, p.right)], "linkage-review")
    return ReviewPage(country, latest_run(country), pairs, len(shown),
                      len(queue) - len(shown), page, pages, role_of(user) in RUNNERS)


def decide_pair(user: Any, left_uid: str, right_uid: str, decision: Decision,
                note: str = "") -> ReviewDecision:
    """Store a reviewer's decision on two persons of their country; one audit entry.

    Deciding again replaces the earlier decision (the audit log keeps both).
    """
    country = reviewer_country(user)
    left, right = (find_person(user, country, uid) for uid in (left_uid, right_uid))
    if left.pk == right.pk:
        raise Invalid(_("A person cannot be compared with themselves."))
    a, b = sorted((left, right), key=lambda r: r.reference)
    with transaction.atomic():
        before = ReviewDecision.objects.filter(left=a, right=b).values_list(
            "decision", flat=True).first()
        row = decide(country, a, b, decision, user=user, note=note.strip()[:NOTE_LENGTH])
        audit(Action.LINK_DECISION, user=user, country=country, record=a, details={
            "left": a.reference, "right": b.reference, "decision": decision.value,
            "previous": before, "with_note": bool(row.note)})
    return row


def rerun_linkage(user: Any) -> dict[str, Any]:
    """Link the focal point's country again now; the run respects every decision so far.

    The run replaces the identities in its own transaction; its audit entry follows it.
    """
    country = reviewer_country(user, RUNNERS)
    outcome = link_country(country.code)
    audit(Action.LINK_RUN, user=user, country=country, details=outcome)
    return outcome
