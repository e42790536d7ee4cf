"""Indicator tables to CSV and XLSX: one long table, or one sheet per indicator.

Each row names its indicator, the selection (country, flow, period) and the release level, so a
file read on its own says what it holds; XLSX adds a sheet of notes (rules applied, caveats).
Suppressed cells are empty with status ``C``. Text cells are neutralised against formula
injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook

from crossings.analysis.release import Release
from crossings.exchange.records import neutralise

FIXED = ("indicator", "country", "flow", "period", "release")


def long_frame(releases: Sequence[Release]) -> pd.DataFrame:
    """Every released table in one long frame: fixed columns, breakdowns, values, status."""
    parts = []
    for item in releases:
        table = item.table
        frame = table.frame.copy()
        filters = table.filters
        fixed = {"indicator": table.indicator, "country": filters.country or "",
                 "flow": filters.flow, "period": filters.period.label if filters.period else "",
                 "release": item.level}
        for position, (name, value) in enumerate(fixed.items()):
            frame.insert(position, name, value)
        parts.append(frame)
    if not parts:
        return pd.DataFrame(columns=list(FIXED))
    frame = pd.concat(parts, ignore_index=True)
    breakdowns = list(dict.fromkeys(b for item in releases for b in item.table.by))
    values = list(dict.fromkeys(v for item in releases for v in item.table.values))
    order = [*FIXED, *breakdowns, *values, "n_incidents", "status"]
    return frame[[c for c in order if c in frame] + [c for c in frame if c not in order]]


def _cells(row: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for value in row:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out.append("")
        elif isinstance(value, float) and value.is_integer():
            out.append(int(value))
        else:
            out.append(neutralise(value) if isinstance(value, str) else value)
    return out


def to_csv(releases: Sequence[Release]) -> str:
    """CSV text (suppressed cells empty, status ``C``)."""
    frame = long_frame(releases)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        writer.writerow(_cells(row))
    return buffer.getvalue()


def write_csv(releases: Sequence[Release], out: Path) -> None:
    """CSV in UTF-8 with BOM, so spreadsheet programs read Khmer and Thai labels."""
    out.write_text(to_csv(releases), encoding="utf-8-sig")


def write_xlsx(releases: Sequence[Release], out: Path) -> None:
    """One sheet per indicator table, and a sheet of notes (rules, units, caveats)."""
    workbook = Workbook(write_only=True)
    notes = workbook.create_sheet("notes")
    notes.append(["sheet", "indicator", "label", "unit", "release", "note"])
    for number, item in enumerate(releases, start=1):
        frame = long_frame([item])
        name = f"{number:02d} {item.table.indicator}"[:31]
        sheet = workbook.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False, name=None):
            sheet.append(_cells(row))
        for note in [*item.table.notes, *item.notes] or [""]:
            notes.append(_cells([name, item.table.indicator, item.table.label, item.table.unit,
                                 item.level, note]))
    workbook.save(out)
