"""A country's identities for its reviewers: search, and correcting them by hand.

- :func:`identity_page` lists identities with their member persons, searched by name (either
  script), alias, phone or document number;
- :func:`split_record` moves a person out of an identity into one of its own and records
  NOT_A_MATCH between it and every other member, so later runs keep them apart;
- :func:`merge_identities` joins identities into one and records MATCH between the members of
  different identities, so later runs keep them together.

Both change the stored identities at once, replace earlier decisions on the same pairs (the
latest human judgement wins; the audit log keeps every one) and write one audit entry. The
identity ids they leave are the ones the next run would choose (:func:`~crossings.linkage.
cluster.stable_ids`: the largest overlap keeps an id), so ids stay stable.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from crossings.linkage.cluster import Decision, derived_id
from crossings.web.accounts.models import Country
from crossings.web.audit.log import audit
from crossings.web.audit.models import Action
from crossings.web.errors import Conflict, Invalid, NotFound
from crossings.web.intelligence.actions import decide
from crossings.web.intelligence.models import Identity, IdentityMember, Kind, ReviewDecision
from crossings.web.intelligence.reviewing import (
    PersonCard,
    audit_shown,
    find_person,
    person_card,
    reviewer_country,
    visible_persons,
)
from crossings.web.reporting.models import Record

PAGE_SIZE = 20
MAX_MERGE_PAIRS = 2500
NOTE_LENGTH = 2000


@dataclass(frozen=True)
class IdentityView:
    """An identity with the members the reviewer may see, and how many they may not."""

    identity: Identity
    members: list[PersonCard]
    hidden: int


@dataclass(frozen=True)
class IdentityPage:
    country: Country
    query: str
    identities: list[IdentityView]
    count: int
    page: int
    pages: int


def search(term: str) -> Q:
    """Persons whose name (either script), alias, document or phone contains ``term``."""
    term = term.strip()
    found = (Q(reference__iexact=term) | Q(data__full_name__icontains=term)
             | Q(data__full_name_original__icontains=term) | Q(data__aliases__icontains=term)
             | Q(data__document_number__icontains=re.sub(r"[\s\-./]", "", term)))
    digits = re.sub(r"\D", "", term).lstrip("0")
    if len(digits) >= 4:
        found |= Q(data__phones__icontains=digits)
    return found


def identity_page(user: Any, query: str = "", page: int = 1) -> IdentityPage:
    """The reviewer's country's person identities, largest first; each person shown audited."""
    country = reviewer_country(user)
    persons = visible_persons(user, country)
    matching = persons.filter(search(query)) if query.strip() else persons
    identities = (Identity.objects.filter(country=country, kind=Kind.PERSON,
                                          members__record__in=matching.values("pk"))
                  .distinct().order_by("-size", "identity_id"))
    count = identities.count()
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(page, 1), pages)
    chosen = list(identities[(page - 1) * PAGE_SIZE:page * PAGE_SIZE])
    members: dict[int, list[PersonCard]] = {i.pk: [] for i in chosen}
    for member in (IdentityMember.objects.filter(identity__in=chosen,
                                                 record__in=persons.values("pk"))
                   .select_related("record", "record__unit").order_by("record__reference")):
        members[member.identity_id].append(person_card(member.record))
    views = [IdentityView(i, members[i.pk], i.size - len(members[i.pk])) for i in chosen]
    audit_shown(user, [c.record for v in views for c in v.members], "linkage-identities")
    return IdentityPage(country, query.strip(), views, count, page, pages)


def _identity_of(record: Record) -> Identity:
    member = IdentityMember.objects.select_related("identity").filter(
        record=record, identity__kind=Kind.PERSON).first()
    if member is None:
        raise Conflict(_("This person is in no identity yet: linkage has not run since it "
                         "was reported."))
    return member.identity


def _free_id(country: Country, reference: str) -> str:
    taken = set(Identity.objects.filter(country=country, kind=Kind.PERSON)
                .values_list("identity_id", flat=True))
    candidate, n = derived_id(reference), 0
    while candidate in taken:
        n += 1
        candidate = derived_id(f"{reference}#{n}")
    return candidate


def _decide_all(country: Country, pairs: list[tuple[Record, Record]], decision: Decision,
                user: Any, note: str) -> int:
    """Decide every pair; return how many earlier decisions said otherwise."""
    replaced = 0
    for a, b in pairs:
        left, right = sorted((a, b), key=lambda r: r.reference)
        before = ReviewDecision.objects.filter(left=left, right=right).values_list(
            "decision", flat=True).first()
        replaced += before is not None and before != decision.value
        decide(country, left, right, decision, user=user, note=note)
    return replaced


def split_record(user: Any, uid: str, note: str = "") -> Identity:
    """Move one person out of their identity into their own; NOT_A_MATCH with the others."""
    country = reviewer_country(user)
    note = note.strip()[:NOTE_LENGTH]
    with transaction.atomic():
        record = find_person(user, country, uid)
        old = _identity_of(record)
        others = list(Record.objects.filter(identity__identity=old).exclude(pk=record.pk))
        if not others:
            raise Conflict(_("This person is already alone in their identity."))
        replaced = _decide_all(country, [(record, o) for o in others], Decision.NOT_A_MATCH,
                               user, note)
        new = Identity.objects.create(country=country, kind=Kind.PERSON, size=1,
                                      identity_id=_free_id(country, record.reference))
        IdentityMember.objects.filter(record=record).update(identity=new, confidence=1.0)
        old.size = len(others)
        old.save(update_fields=["size"])
        audit(Action.LINK_SPLIT, user=user, country=country, record=record, details={
            "from": old.identity_id, "to": new.identity_id, "not_a_match": len(others),
            "replaced": replaced, "with_note": bool(note)})
    return new


def _merge_target(groups: dict[Identity, list[Record]]) -> Identity:
    """The identity whose id the merged one keeps: the largest, then the smallest id."""
    return min(groups, key=lambda i: (-len(groups[i]), i.identity_id))


def _cross_pairs(groups: list[list[Record]]) -> list[tuple[Record, Record]]:
    return [(a, b) for one, two in itertools.combinations(groups, 2) for a in one for b in two]


def _groups(user: Any, country: Country, ids: list[str]) -> dict[Identity, list[Record]]:
    """Each chosen identity with its members; NotFound unless the reviewer sees one of each."""
    identities = list(Identity.objects.select_for_update().filter(
        country=country, kind=Kind.PERSON, identity_id__in=ids))
    seen = set(visible_persons(user, country).filter(identity__identity__in=identities)
               .values_list("identity__identity__identity_id", flat=True))
    if len(identities) != len(ids) or seen != set(ids):
        raise NotFound(_("No such identity."))
    return {i: list(Record.objects.filter(identity__identity=i).order_by("reference"))
            for i in identities}


def merge_identities(user: Any, identity_ids: list[str], note: str = "") -> Identity:
    """Join identities into one; MATCH between every two members of different identities."""
    country = reviewer_country(user)
    ids = sorted({i.strip() for i in identity_ids if i.strip()})
    if len(ids) < 2:
        raise Invalid(_("Choose at least two identities to merge."))
    note = note.strip()[:NOTE_LENGTH]
    with transaction.atomic():
        groups = _groups(user, country, ids)
        pairs = _cross_pairs(list(groups.values()))
        if len(pairs) > MAX_MERGE_PAIRS:
            raise Invalid(_("These identities are too large to merge by hand."))
        target = _merge_target(groups)
        replaced = _decide_all(country, pairs, Decision.MATCH, user, note)
        merged = [i for i in groups if i.pk != target.pk]
        IdentityMember.objects.filter(identity__in=merged).update(identity=target,
                                                                  confidence=1.0)
        IdentityMember.objects.filter(identity=target).update(confidence=1.0)
        Identity.objects.filter(pk__in=[i.pk for i in merged]).delete()
        target.size = sum(len(m) for m in groups.values())
        target.save(update_fields=["size"])
        audit(Action.LINK_MERGE, user=user, country=country, details={
            "into": target.identity_id, "merged": [i.identity_id for i in merged],
            "match": len(pairs), "replaced": replaced, "with_note": bool(note)})
    return target
