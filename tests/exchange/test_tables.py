"""Indicator tables to CSV and XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from openpyxl import load_workbook

from crossings.analysis.indicators import Filters, compute, parse_period
from crossings.analysis.release import release
from crossings.exchange.tables import to_csv, write_xlsx

FILTERS = Filters("KHM", period=parse_period("2025"))


def test_csv_rows_say_what_they_hold_and_leave_suppressed_cells_empty(store):
    released = release(compute(store, "migrants", FILTERS, ["quarter", "sex"]), "partner")
    rows = list(csv.DictReader(io.StringIO(to_csv([released]))))
    assert {r["indicator"] for r in rows} == {"migrants"} and rows[0]["release"] == "partner"
    assert {r["country"] for r in rows} == {"KHM"} and {r["period"] for r in rows} == {"2025"}
    hidden = [r for r in rows if r["status"] == "C"]
    assert hidden and all(r["value"] == "" and r["n_incidents"] == "" for r in hidden)


def test_text_that_looks_like_a_formula_is_neutralised(store):
    table = compute(store, "incidents", FILTERS, ["unit"])
    frame = table.frame.copy()
    frame.loc[0, "unit"] = "=HYPERLINK(\"http://evil\")"
    released = release(replace(table, frame=frame), "national")
    text = to_csv([released])
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_xlsx_has_a_sheet_per_table_and_the_notes(store, tmp_path):
    tables = [release(compute(store, "migrants", FILTERS, ["sex"]), "public"),
              release(compute(store, "fees", FILTERS, ["currency"]), "public")]
    write_xlsx(tables, tmp_path / "out.xlsx")
    book = load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["notes", "01 migrants", "02 fees"]
    notes = [row[5] for row in book["notes"].iter_rows(min_row=2, values_only=True)]
    assert any("US dollars" in (n or "") for n in notes)
    header = next(book["02 fees"].iter_rows(values_only=True))
    assert "fee_median_usd" in header and "status" in header
