"""Reading records for a user: lists, one record, exports. Everything goes through the
visibility rule, and every view of nominal data (persons, objects) is written to the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from crossings.web.accounts.roles import membership_of
from crossings.web.audit.log import audit
from crossings.web.audit.models import Action
from crossings.web.reporting.models import Record
from crossings.web.reporting.queries import exportable_records
from crossings.web.reporting.visibility import (
    Detail,
    Purpose,
    nominal_types,
    present,
    visible_records,
)
from crossings.web.reporting.workflow import find_record

MAX_PAGE = 200
EXPORT_LIMIT = 100_000


@dataclass
class RecordFilter:
    """What a list asks for; empty values filter nothing."""

    record_type: str = ""
    country: str = ""
    status: str = ""
    unit: str = ""
    reference: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def apply(self, query: QuerySet[Record]) -> QuerySet[Record]:
        lookups = {"record_type": self.record_type, "country__code": self.country.upper(),
                   "status": self.status.upper(), "unit__code": self.unit.upper(),
                   "reference": self.reference, "event_date__gte": self.date_from,
                   "event_date__lte": self.date_to}
        return query.filter(**{k: v for k, v in lookups.items() if v})


@dataclass
class Shown:
    """A record as one user may see it."""

    record: Record
    detail: Detail
    data: dict[str, Any] | None


@dataclass
class Page:
    items: list[Shown]
    count: int
    page: int
    page_size: int


def _shown(user: Any, records: list[Record], why: str) -> list[Shown]:
    """Present each record at its level; audit every nominal record shown."""
    shown = [Shown(r, Detail(r.detail), present(r, Detail(r.detail)))  # type: ignore[attr-defined]
             for r in records]
    nominal = [s.record for s in shown
               if s.record.record_type in nominal_types() and s.data is not None]
    if nominal:
        with transaction.atomic():
            for record in nominal:
                audit(Action.VIEW_NOMINAL, user=user, record=record, details={"via": why})
    return shown


def list_records(user: Any, filters: RecordFilter, *, page: int = 1,
                 page_size: int = 50) -> Page:
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE)
    query = filters.apply(visible_records(user, Purpose.READ)).select_related("country", "unit")
    count = query.count()
    start = (page - 1) * page_size
    records = list(query.order_by("-pk")[start:start + page_size])
    return Page(_shown(user, records, "list"), count, page, page_size)


def read_record(user: Any, uid: str) -> Shown:
    record = find_record(user, uid, Purpose.READ)
    return _shown(user, [record], "read")[0]


def export_records(user: Any, filters: RecordFilter) -> list[Shown]:
    """Every record the user may see at record level, as shown to them; one EXPORT entry."""
    query = filters.apply(visible_records(user, Purpose.READ)).select_related("country", "unit")
    records = list(query.order_by("country_id", "record_type", "reference")[:EXPORT_LIMIT])
    with transaction.atomic():
        shown = _shown(user, records, "export")
        member = membership_of(user)
        audit(Action.EXPORT, user=user, country=member.country if member else None, details={
            "count": len(shown), "filters": {k: str(v) for k, v in vars(filters).items() if v},
            "nominal": sum(1 for s in shown if s.record.record_type in nominal_types())})
    return shown


class UnknownUser(Exception):
    """No user by that name."""


def audited_export(write: Callable[[Iterable[tuple[str, dict[str, Any]]]], dict[str, int]], *,
                   username: str | None, countries: list[str],
                   include_nominal: bool) -> dict[str, int]:
    """Write an export through ``write`` and leave one EXPORT entry in the audit log.

    With a user name the export is what that user may see, as they see it; without one it is
    the node operator's (the CLI's) export of everything stored.
    """
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise UnknownUser(username)
        wanted = countries or [""]
        shown = [s for code in wanted for s in export_records(user, RecordFilter(country=code))]
        nominal = set(nominal_types())
        return write((s.record.record_type, s.data) for s in shown if s.data is not None
                     and (include_nominal or s.record.record_type not in nominal))
    counts = write(exportable_records(countries=countries, include_nominal=include_nominal))
    audit(Action.EXPORT, username="operator (CLI)", details={
        "countries": countries, "nominal": include_nominal, "counts": counts})
    return counts
