"""Reading records out of the store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crossings.standard.model import load_standard
from crossings.web.reporting.models import Record


def exportable_records(*, countries: list[str] | None = None,
                       include_nominal: bool = False) -> Iterator[tuple[str, dict[str, Any]]]:
    """Current, not deleted records as (record_type, data), streamed in reference order."""
    standard = load_standard()
    query = Record.objects.filter(deleted_at__isnull=True)
    if countries:
        query = query.filter(country__code__in=countries)
    if not include_nominal:
        nominal = [name for name, rt in standard.record_types.items() if rt.nominal]
        query = query.exclude(record_type__in=nominal)
    order = {name: i for i, name in enumerate(standard.record_types)}
    present = set(query.values_list("record_type", flat=True).distinct())
    for record_type in sorted(present, key=order.__getitem__):
        rows = (query.filter(record_type=record_type).order_by("country_id", "reference")
                .values_list("data", flat=True))
        for data in rows.iterator(chunk_size=2000):
            yield record_type, data
