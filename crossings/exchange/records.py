"""Writing records of the standard to CSV (one file per record type), XLSX and nested JSON.

The layouts are the import layouts, so an export can be imported again. Text that a spreadsheet
would run as a formula (starting with = + - @) is neutralised with a leading apostrophe, which
import removes again.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from crossings.standard.model import MULTI_SEPARATOR, RecordType, Standard, load_standard

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Exported = tuple[str, dict[str, Any]]
"""A record to export: its type and its nested data (an incident with its child lists)."""


def neutralise(value: Any) -> Any:
    """Make text that starts like a formula inert in spreadsheets (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value: Any) -> Any:
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(str(v) for v in value)
    return neutralise(value)


def flat_rows(records: Iterable[Exported],
              standard: Standard | None = None) -> Iterator[tuple[RecordType, list[Any]]]:
    """Each record and each nested child as a flat row of its record type's columns."""
    standard = standard or load_standard()
    for record_type, data in records:
        rtype = standard.record_type(record_type)
        yield rtype, [cell(data.get(name)) for name in rtype.fields]
        for child in standard.children.get(record_type, ()):
            child_type = standard.record_type(child)
            for child_row in data.get(child_type.plural, []):
                joined = {**child_row, "incident_ref": data.get("incident_ref")}
                yield child_type, [cell(joined.get(name)) for name in child_type.fields]


def write_csv(records: Iterable[Exported], out_dir: Path) -> dict[str, int]:
    """One CSV per record type in ``out_dir`` (UTF-8 with BOM so Excel reads Khmer and Thai)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    standard = load_standard()
    handles: dict[str, Any] = {}
    writers: dict[str, Any] = {}
    counts: dict[str, int] = {}
    try:
        for rtype, row in flat_rows(records, standard):
            if rtype.name not in writers:
                handle = (out_dir / f"{rtype.plural}.csv").open("w", encoding="utf-8-sig",
                                                                newline="")
                handles[rtype.name] = handle
                writers[rtype.name] = csv.writer(handle)
                writers[rtype.name].writerow(list(rtype.fields))
            writers[rtype.name].writerow(row)
            counts[rtype.plural] = counts.get(rtype.plural, 0) + 1
    finally:
        for handle in handles.values():
            handle.close()
    return counts


def write_xlsx(records: Iterable[Exported], out: Path) -> dict[str, int]:
    """One sheet per record type, named by its plural, in the standard's column order."""
    workbook = Workbook(write_only=True)
    sheets: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for rtype, row in flat_rows(records):
        if rtype.name not in sheets:
            sheets[rtype.name] = workbook.create_sheet(rtype.plural)
            sheets[rtype.name].append(list(rtype.fields))
        sheets[rtype.name].append(row)
        counts[rtype.plural] = counts.get(rtype.plural, 0) + 1
    if not sheets:
        workbook.create_sheet("incidents").append(list(load_standard().record_type(
            "incident").fields))
    workbook.save(out)
    return counts


def write_json(records: Iterable[Exported], out: Path) -> dict[str, int]:
    """The nested JSON layout: ``{"incidents": [...], "persons": [...], ...}``."""
    standard = load_standard()
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record_type, data in records:
        grouped.setdefault(standard.record_type(record_type).plural, []).append(data)
    document = {"standard_version": standard.version, **grouped}
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return {plural: len(items) for plural, items in grouped.items()}
