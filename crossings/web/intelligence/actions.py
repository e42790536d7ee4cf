"""Linkage over the record store: the actions the CLI and (later) the review queue call.

- :func:`link_country` links a country's persons and objects and stores the identities;
- :func:`decide` records a reviewer's decision on a pair (the next run respects it);
- :func:`review_queue` lists the pairs of the latest run still waiting for a decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa
from django.db import transaction

from crossings.linkage.cluster import Decision, PairDecision
from crossings.linkage.model import PersonModel
from crossings.linkage.objects import link_objects
from crossings.linkage.pipeline import LinkResult, link_persons
from crossings.linkage.prepare import PERSON_COLUMNS
from crossings.web.accounts.models import Country
from crossings.web.intelligence.models import (
    Identity,
    IdentityMember,
    Kind,
    LinkageModel,
    LinkageRun,
    ReviewDecision,
)
from crossings.web.reporting.models import Record


class UnknownCountry(ValueError):
    """No such country in the store."""


def _live(country: Country, record_type: str) -> list[Record]:
    return list(Record.objects.filter(record_type=record_type, country=country,
                                      deleted_at__isnull=True).select_related("unit")
                .order_by("reference"))


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value in (None, "") else str(value)


def person_row(record: Record) -> dict[str, str | None]:
    """A stored person in the person-list layout (age at detection becomes a birth year)."""
    data = record.data
    year = None
    if not data.get("birth_date") and data.get("age_at_detection") not in (None, ""):
        on = record.event_date or record.created_at.date()
        year = str(on.year - int(data["age_at_detection"]))
    aliases = data.get("aliases")
    return {"record_id": record.reference, "source": record.unit.code,
            "full_name": _first(data.get("full_name")),
            "full_name_original": _first(data.get("full_name_original")),
            "birth_date": _first(data.get("birth_date")), "birth_year": year,
            "sex": _first(data.get("sex")), "nationality": _first(data.get("nationality")),
            "phone": _first(data.get("phones")),
            "document_number": _first(data.get("document_number")),
            "aliases": "|".join(aliases) if isinstance(aliases, list) else _first(aliases)}


def _table(rows: list[dict[str, str | None]]) -> pa.Table:
    return pa.table({c: pa.array([r.get(c) for r in rows], pa.string())
                     for c in (*PERSON_COLUMNS, "aliases")})


def _previous(country: Country, kind: str) -> dict[str, str]:
    members = IdentityMember.objects.filter(identity__country=country, identity__kind=kind)
    return dict(members.values_list("record__reference", "identity__identity_id"))


def decisions_of(country: Country) -> list[PairDecision]:
    """The country's review decisions, by record reference."""
    rows = ReviewDecision.objects.filter(country=country).values_list(
        "left__reference", "right__reference", "decision")
    return [PairDecision(a, b, Decision(d)) for a, b, d in rows]


def _latest_model(country: Country) -> LinkageModel | None:
    return LinkageModel.objects.filter(country=country).order_by("-version").first()


def _store(country: Country, kind: str, records: Mapping[str, Record],
           identities: Mapping[str, str], confidence: Mapping[str, float]) -> int:
    Identity.objects.filter(country=country, kind=kind).delete()
    sizes: dict[str, int] = {}
    for identity in identities.values():
        sizes[identity] = sizes.get(identity, 0) + 1
    made = Identity.objects.bulk_create(
        [Identity(country=country, kind=kind, identity_id=i, size=n) for i, n in sizes.items()])
    by_id = {i.identity_id: i for i in made}
    IdentityMember.objects.bulk_create(
        [IdentityMember(identity=by_id[i], record=records[r], confidence=confidence.get(r, 1.0))
         for r, i in identities.items()], batch_size=2000)
    return len(sizes)


def _link_people(country: Country, persons: list[Record]) -> tuple[LinkageModel, LinkResult]:
    """Link with the country's latest model (trained now if it has none); store a new one."""
    latest = _latest_model(country)
    model = PersonModel.from_dict(latest.model) if latest else PersonModel()
    result = link_persons(_table([person_row(r) for r in persons]), model,
                          decisions=decisions_of(country),
                          previous=_previous(country, Kind.PERSON))
    if latest is None or result.model.trained_at != model.trained_at:
        result.model.version = (latest.version if latest else 0) + 1
        latest = LinkageModel.objects.create(country=country, version=result.model.version,
                                             model=result.model.to_dict())
    return latest, result


def link_country(code: str) -> dict[str, Any]:
    """Link a country's persons and objects; store identities; return counts.

    A country with fewer than two persons keeps every person as their own identity (there is
    nothing to train on).
    """
    country = Country.objects.filter(code=code).first()
    if country is None:
        raise UnknownCountry(f"unknown country {code!r}: use an ISO alpha-3 code such as KHM")
    persons, objects = _live(country, "person"), _live(country, "object")
    model_row: LinkageModel | None = None
    review: list[dict[str, Any]] = []
    confidence: dict[str, float] = {}
    if len(persons) >= 2:
        model_row, result = _link_people(country, persons)
        identities, confidence = result.identities, result.confidence
        review = [item.to_dict() for item in result.review]
    else:
        identities = {r.reference: f"P-{r.reference}" for r in persons}
    object_ids = link_objects([{**o.data, "record_id": o.reference} for o in objects],
                              country=code, previous=_previous(country, Kind.OBJECT))
    with transaction.atomic():
        n_people = _store(country, Kind.PERSON, {r.reference: r for r in persons}, identities,
                          confidence)
        n_objects = _store(country, Kind.OBJECT, {o.reference: o for o in objects},
                           object_ids, {})
        run = LinkageRun.objects.create(
            country=country, model=model_row, persons=len(persons),
            person_identities=n_people, object_records=len(objects), object_identities=n_objects,
            review=review)
    return {"country": code, "persons": run.persons, "person_identities": n_people,
            "objects": run.object_records, "object_identities": n_objects, "to_review": len(review),
            "model_version": model_row.version if model_row else None}


def decide(country: Country, left: Record, right: Record, decision: Decision, *,
           user: Any = None, note: str = "") -> ReviewDecision:
    """Record (or change) a reviewer's decision on a pair of person records."""
    a, b = sorted((left, right), key=lambda r: r.reference)
    row, _ = ReviewDecision.objects.update_or_create(
        left=a, right=b, defaults={"country": country, "decision": decision.value,
                                   "decided_by": user, "note": note})
    return row


def review_queue(country: Country) -> list[dict[str, Any]]:
    """Pairs of the latest run that no decision covers yet (what the review page lists)."""
    run = LinkageRun.objects.filter(country=country).order_by("-finished_at", "-pk").first()
    if run is None:
        return []
    decided = {d.key for d in decisions_of(country)}
    return [item for item in run.review if (item["left"], item["right"]) not in decided]


def identities_of(country: Country, kind: str = Kind.PERSON) -> dict[str, list[str]]:
    """identity id -> record references, for networks and estimation."""
    out: dict[str, list[str]] = {}
    members: Iterable[tuple[str, str]] = IdentityMember.objects.filter(
        identity__country=country, identity__kind=kind).values_list(
        "identity__identity_id", "record__reference")
    for identity, reference in members:
        out.setdefault(identity, []).append(reference)
    return out

