"""Which records feed the analytical store, and what it is told about them.

The rule is the visibility module's ``analysable_records()`` (approved or shared, not withdrawn,
not deleted); persons and objects (the nominal layer) never reach analytics. Each record goes in
with its country and its sharing (scope and partner countries), so that aggregates can be
limited to what a reader may count (:mod:`crossings.web.dashboards.scope`). A record that is
approved but not shared goes in as NATIONAL_ONLY whatever scope it last had.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet

from crossings.analysis.flatten import SourceRecord
from crossings.standard.model import load_standard
from crossings.web.accounts.models import SharingScope
from crossings.web.reporting import visibility
from crossings.web.reporting.models import Record, Status
from crossings.web.reporting.visibility import ANALYSABLE

FIELDS = ("pk", "uid", "country__code", "unit__code", "version", "data", "status",
          "sharing_scope")
CHUNK = 2000


def nominal_types() -> list[str]:
    return [name for name, rt in load_standard().record_types.items() if rt.nominal]


def analysable_records() -> QuerySet[Record]:
    """Approved or shared, not deleted, non-nominal records (withdrawn ones are neither)."""
    return visibility.analysable_records().exclude(record_type__in=nominal_types())


def is_analysable(record: Record) -> bool:
    """The same rule for one record in memory."""
    return (record.status in ANALYSABLE and record.deleted_at is None
            and record.record_type not in nominal_types())


def effective_scope(status: str, scope: str) -> str:
    """The scope that counts: only a SHARED record is seen beyond its country."""
    return scope if status == Status.SHARED else SharingScope.NATIONAL_ONLY


def partners_of(pks: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Partner countries (ISO-3) of each record, for records with any."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = Record.partners.through.objects.filter(record_id__in=list(pks)).values_list(
        "record_id", "country__code")
    for pk, code in rows:
        found[pk].append(code)
    return {pk: tuple(sorted(codes)) for pk, codes in found.items()}


def source_records(records: QuerySet[Record]) -> Iterator[SourceRecord]:
    """Stream records as the analytical store's plain input."""
    rows = records.order_by("pk").values_list(*FIELDS).iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        partners = partners_of(row[0] for row in chunk if row[7] == SharingScope.BILATERAL)
        for pk, uid, country, unit, version, data, status, scope in chunk:
            yield SourceRecord(uid, country, unit, version, data, effective_scope(status, scope),
                               partners.get(pk, ()))


def as_source(records: Iterable[Record]) -> list[SourceRecord]:
    """Records already in memory, as source records (their partners read afresh)."""
    records = list(records)
    partners = partners_of(r.pk for r in records)
    return [SourceRecord(r.uid, r.country.code, r.unit.code, r.version, r.data,
                         effective_scope(r.status, r.sharing_scope), partners.get(r.pk, ()))
            for r in records]
