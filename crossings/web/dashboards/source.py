"""Which records feed the analytical store.

The rule is the visibility module's ``analysable_records()`` (approved or shared, not withdrawn,
not deleted); persons and objects (the nominal layer) never reach analytics.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from crossings.analysis.flatten import SourceRecord
from crossings.standard.model import load_standard
from crossings.web.reporting import visibility
from crossings.web.reporting.models import Record
from crossings.web.reporting.visibility import ANALYSABLE

FIELDS = ("uid", "country__code", "unit__code", "version", "data")
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


def source_records(records: QuerySet[Record]) -> Iterator[SourceRecord]:
    """Stream records as the analytical store's plain input."""
    rows = records.order_by("pk").values_list(*FIELDS).iterator(chunk_size=CHUNK)
    for uid, country, unit, version, data in rows:
        yield SourceRecord(uid, country, unit, version, data)


def as_source(records: Iterable[Record]) -> list[SourceRecord]:
    """Records already in memory, as source records."""
    return [SourceRecord(r.uid, r.country.code, r.unit.code, r.version, r.data) for r in records]
