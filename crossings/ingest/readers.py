"""Reading the files officers upload (CSV, TSV, TXT, XLSX, JSON, JSONL) as tables of raw values.

Readers only turn bytes into rows: they never map, parse or judge a value. Every table keeps
the row numbers the officer sees (the line in the text file, the row in the sheet, the index in
the JSON list), so that the layers above can report a problem where it can be fixed.

Large files are streamed: CSV and JSONL rows and XLSX sheets are read as they are consumed,
with memory bounded by the longest row. A JSON document (``.json``) is read whole.

Two rules apply to every table:

* **The header can grow while rows are read.** A value beyond the last named column (a long
  CSV row, a new key in a JSONL line) is kept under a synthetic name such as ``column 7``, which
  is appended to ``Table.header`` before the row is yielded. Each row is aligned with the
  header as it is when the row is yielded: ``len(values) == len(table.header)`` at that moment.
* **Nested JSON is flattened.** Child lists of an incident become their own tables whose sheet
  names the parent: ``incidents[12].route_legs`` holds the route legs of the 12th incident, with
  the child's 1-based index as row number; ``record_list_name`` gives back ``route_legs``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import itertools
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from crossings.ingest import encodings

Row = tuple[int, list[Any]]

TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HEADER_SEARCH_ROWS = 10
"""Non-empty rows searched for the header when the mapping does not say where it is."""

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
CHILD_LISTS = frozenset({"route_legs", "migrant_groups", "facilitator_groups",
                         "document_fraud_items", "fee_observations", "harm_observations"})
PARENT_REF = "incident_ref"


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file, as far as a partner's mapping knows it."""

    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    known_columns: frozenset[str] = frozenset()
    sheet_names: dict[str, str] | None = None


@dataclass
class Table:
    """One sheet, CSV file or JSON record list: a header and numbered rows of raw values."""

    file: str
    sheet: str
    header: list[str]
    rows: Iterator[Row] = field(repr=False)


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A spreadsheet cell holding a formula that was never calculated (no cached value)."""

    formula: str


class UnreadableFile(Exception):
    """The file cannot be read at all; nothing in it is imported.

    Attributes:
        code: Stable code, e.g. ``EMPTY_FILE`` (see ``CODES``).
        message: What is wrong, in words for an officer.
        hint: How to fix it.
        file: The file name as the user gave it.
        row: The line or row where reading stopped, when known.
    """

    def __init__(self, code: str, message: str, hint: str, file: str, row: int | None = None):
        super().__init__(f"{file}: {message}")
        self.code, self.message, self.hint, self.file, self.row = code, message, hint, file, row


FILE_ERRORS: dict[str, tuple[str, str]] = {
    "FILE_NOT_FOUND": ("the file does not exist", "check the file name and folder"),
    "EMPTY_FILE": ("the file holds no data: it is empty, or every row and sheet is blank",
                   "check that the right file was chosen and that it was saved completely"),
    "NOT_A_TEXT_FILE": ("this file is not a text file", "{hint}"),
    "UNKNOWN_ENCODING": ("the encoding '{encoding}' set in the mapping is unknown",
                         "use e.g. utf-8, windows-874 or windows-1252, or remove it"),
    "DECODE_ERROR": ("near line {line}, the text cannot be read as {encoding} (the file mixes "
                     "encodings, or the mapping forces the wrong one)",
                     "open the file in Excel and save it as 'CSV UTF-8'"),
    "NO_HEADER": ("row {line}, the header row set in the mapping, is empty or missing",
                  "correct header_row in the mapping, or check the file"),
    "BAD_CSV": ("line {line} cannot be split into columns ({error})",
                "look for a quote (\") opened but never closed; save again as 'CSV UTF-8'"),
    "BAD_JSON": ("the JSON cannot be read: {error}",
                 "check it there for a missing comma, quote or bracket; the file must be a list "
                 'of incident objects or {{"incidents": [...], ...}}'),
    "BAD_XLSX": ("this file is not a readable Excel workbook{error}",
                 "{hint}"),
    "UNSUPPORTED_FORMAT": ("files of type '{suffix}' cannot be imported",
                           "save the spreadsheet as .xlsx or as 'CSV UTF-8' (.csv)"),
}
"""Every code ``UnreadableFile`` carries, with its message and hint templates (for the docs)."""


def _fail(code: str, file: str, row: int | None = None, **params: Any) -> UnreadableFile:
    message, hint = FILE_ERRORS[code]
    return UnreadableFile(code, message.format(**params), hint.format(**params), file, row)


def read_tables(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[Table]:
    """Read every table in a file.

    Args:
        path: The file; its extension chooses the reader, its first bytes are checked.
        options: What the partner mapping forces (encoding, delimiter, header row) or expects.

    Yields:
        One table per CSV file, per non-empty sheet, or per JSON record list.

    Raises:
        UnreadableFile: The file cannot be read; also raised while iterating rows when a
            problem (a bad byte, an unclosed quote, a bad JSON line) appears further down.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise _fail("UNSUPPORTED_FORMAT", str(path), suffix=suffix or path.name)
    _check_size(path)
    yield from reader(path, options)


def record_list_name(sheet: str) -> str:
    """The record list a JSON table comes from: ``incidents[12].route_legs`` -> ``route_legs``."""
    return sheet.rsplit(".", 1)[-1] if "]." in sheet else sheet


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes, read in chunks (used to make re-imports idempotent)."""
    with Path(path).open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _fail("FILE_NOT_FOUND", str(path)) from None
    if size == 0:
        raise _fail("EMPTY_FILE", str(path))


# --- header and row shaping (CSV and XLSX) ---------------------------------------------------

def _norm(value: Any) -> str:
    """A header cell as a comparable key: whitespace collapsed, case folded."""
    return " ".join(str(value).split()).casefold()


def _cell_name(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().lstrip("\ufeff").strip()


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name} ({n})"
    taken.add(candidate.casefold())
    return candidate


def make_header(cells: Sequence[Any]) -> list[str]:
    """Column names from header cells: stripped, trailing empties dropped, duplicates renamed.

    An empty cell before the last named one becomes ``column N`` (N = its 1-based position);
    a repeated name gets a counter: ``name``, ``name (2)``.
    """
    names = [_cell_name(c) for c in cells]
    while names and not names[-1]:
        names.pop()
    taken: set[str] = set()
    return [_unique(name or f"column {i}", taken) for i, name in enumerate(names, 1)]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fit(values: list[Any], header: list[str]) -> list[Any]:
    """Pad a short row with None; keep a long row's values under new ``column N`` names."""
    width, last = len(header), len(values)
    while last > width and _blank(values[last - 1]):
        last -= 1
    if last > width:
        taken = {h.casefold() for h in header}
        header.extend(_unique(f"column {i}", taken) for i in range(width + 1, last + 1))
    del values[last:]
    values.extend([None] * (len(header) - last))
    return values


def _split_header(rows: Iterator[Row], options: ReadOptions,
                  file: str) -> tuple[list[str], list[Row]]:
    """Find the header among the first non-empty rows; return it and the data rows read past it."""
    if options.header_row is not None:
        for number, values in rows:
            if number == options.header_row:
                return make_header(values), []
            if number > options.header_row:
                break
        raise _fail("NO_HEADER", file, line=options.header_row)
    head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    if not head:
        raise _fail("EMPTY_FILE", file)
    known = {_norm(c) for c in options.known_columns}
    scores = [len({_norm(v) for v in values if v is not None} & known) for _, values in head]
    best = scores.index(max(scores))
    pending = head[best + 1:]
    header = make_header(head[best][1])
    return header, [(number, _fit(values, header)) for number, values in pending]


# --- CSV ------------------------------------------------------------------------------------

def _read_csv(path: Path, options: ReadOptions) -> Iterator[Table]:
    file = str(path)
    with path.open("rb") as raw:
        sample, complete = encodings.read_sample(raw)
    encoding = _text_encoding(sample, complete, options, file)
    delimiter = _delimiter(options, sample, encoding, path.suffix.lower())
    stream = io.TextIOWrapper(path.open("rb"), encoding=encoding, newline="")
    try:
        reader = csv.reader(stream, delimiter=delimiter, quotechar='"', doublequote=True)
        records = _csv_records(reader)
        with _text_errors(file, reader, encoding):
            header, pending = _split_header(records, options, file)
    except BaseException:
        stream.close()
        raise
    yield Table(file, "", header, _csv_rows(stream, reader, records, header=header,
                                                      pending=pending, file=file))


def _text_encoding(sample: bytes, complete: bool, options: ReadOptions, file: str) -> str:
    """The encoding to read a text file with: forced by the mapping, else detected."""
    hint = encodings.sniff_binary(sample)
    if hint is not None:
        raise _fail("NOT_A_TEXT_FILE", file, hint=hint)
    if options.encoding:
        try:
            return encodings.with_bom(encodings.normalise_encoding(options.encoding), sample)
        except LookupError:
            raise _fail("UNKNOWN_ENCODING", file, encoding=options.encoding) from None
    try:
        return encodings.detect_encoding(sample, complete).encoding
    except encodings.NotTextError as exc:
        raise _fail("NOT_A_TEXT_FILE", file, hint=exc.hint) from None


def _delimiter(options: ReadOptions, sample: bytes, encoding: str, suffix: str) -> str:
    if options.delimiter:
        return encodings.delimiter_named(options.delimiter)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample[:32768])
    return encodings.sniff_delimiter(text, prefer="\t" if suffix == ".tsv" else ",")


def _csv_records(reader: Any) -> Iterator[Row]:
    """Non-blank records with the line each starts on (blank lines are counted, not yielded)."""
    line = 0
    for values in reader:
        number, line = line + 1, reader.line_num
        if values and (values[0].strip() or "".join(values).strip()):
            yield number, values


def _csv_rows(stream: io.TextIOWrapper, reader: Any, records: Iterator[Row], *,
              header: list[str], pending: list[Row], file: str) -> Iterator[Row]:
    with stream, _text_errors(file, reader, stream.encoding):
        yield from pending
        for number, values in records:
            yield number, values if len(values) == len(header) else _fit(values, header)


@contextlib.contextmanager
def _text_errors(file: str, reader: Any, encoding: str) -> Iterator[None]:
    """Turn decoding and CSV errors raised while reading into UnreadableFile with a line."""
    try:
        yield
    except UnicodeDecodeError:
        line = reader.line_num + 1
        raise _fail("DECODE_ERROR", file, line, line=line, encoding=encoding) from None
    except csv.Error as exc:
        line = reader.line_num
        raise _fail("BAD_CSV", file, line, line=line, error=exc) from None


# --- XLSX -----------------------------------------------------------------------------------

def _read_xlsx(path: Path, options: ReadOptions) -> Iterator[Table]:
    """One table per non-empty sheet, read with openpyxl in read-only mode.

    The workbook is not closed here, so that tables can be read in any order, even after this
    generator is exhausted; its zip archive is closed when the last table is garbage-collected.
    """
    file = str(path)
    workbook = _open_workbook(path, data_only=True)
    formulas: list[Any] = []  # the workbook opened again for formula text, once a sheet needs it
    found = False
    with _xlsx_errors(file):
        for sheet in workbook.worksheets:
            text_sheet = None
            if _has_formulas(workbook, sheet):
                formulas = formulas or [_open_workbook(path, data_only=False)]
                text_sheet = formulas[0][sheet.title]
            table = _sheet_table(file, sheet, text_sheet, options)
            if table is not None:
                found = True
                yield table
    if not found:
        raise _fail("EMPTY_FILE", file)


def _open_workbook(path: Path, data_only: bool) -> Any:
    file = str(path)
    if not zipfile.is_zipfile(path):
        with path.open("rb") as raw:
            head = raw.read(encodings.SAMPLE_SIZE)
        hint = encodings.sniff_binary(head) or (
            "this is a text file, not a workbook; if it is a CSV, rename it to .csv"
            if b"\x00" not in head else "open the file in Excel and save it again as .xlsx")
        raise _fail("BAD_XLSX", file, error="", hint=hint)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:
        raise _bad_xlsx(file, exc) from None


def _bad_xlsx(file: str, exc: Exception) -> UnreadableFile:
    return _fail("BAD_XLSX", file, error=f" ({exc})",
                 hint="open it in Excel, check it, and save it again as .xlsx")


@contextlib.contextmanager
def _xlsx_errors(file: str) -> Iterator[None]:
    try:
        yield
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to XML parse errors
        raise _bad_xlsx(file, exc) from None


def _has_formulas(workbook: Any, sheet: Any) -> bool:
    """True if the sheet's XML holds any formula (scanned as bytes, without parsing cells)."""
    archive = getattr(workbook, "_archive", None)
    member = getattr(sheet, "_worksheet_path", None)
    if archive is None or member is None:
        return True  # cannot tell: take the slower path that reads formula text too
    with archive.open(member) as source:
        tail = b""
        while chunk := source.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk[:64]) or _FORMULA_TAG.search(chunk):
                return True
            tail = chunk[-64:]
    return False


def _sheet_table(file: str, sheet: Any, text_sheet: Any, options: ReadOptions) -> Table | None:
    records = _sheet_records(sheet, text_sheet)
    first = next(records, None)
    if first is None:
        return None
    records = itertools.chain([first], records)
    header, pending = _split_header(records, options, file)
    return Table(file, sheet.title, header, _sheet_rows(records, header, pending, file))


def _sheet_records(sheet: Any, text_sheet: Any) -> Iterator[Row]:
    """Non-empty rows of a sheet with their row numbers; uncalculated formulas marked."""
    sheet.reset_dimensions()  # some writers record a wrong size, which would cut rows off
    if text_sheet is None:
        rows: Iterable[Sequence[Any]] = sheet.iter_rows(values_only=True)
    else:
        text_sheet.reset_dimensions()
        pairs = zip(sheet.iter_rows(), text_sheet.iter_rows(values_only=True), strict=False)
        rows = ([_cached(c, t) for c, t in zip(cells, texts, strict=False)]
                for cells, texts in pairs)
    for number, values in enumerate(rows, 1):
        if not all(_blank(v) for v in values):
            yield number, list(values)


def _cached(cell: Any, text: Any) -> Any:
    """The cached value of a cell, or FormulaWithoutValue if its formula was never calculated.

    openpyxl reads an empty cached string as None too; Excel marks such cells ``t="str"``,
    while writers that never calculate leave the type numeric, which tells the two apart.
    """
    value = cell.value
    if value is None and text is not None and cell.data_type != "str":
        formula = getattr(text, "text", text)  # ArrayFormula keeps its formula in .text
        if isinstance(formula, str) and formula.startswith("="):
            return FormulaWithoutValue(formula)
    return value


def _sheet_rows(records: Iterator[Row], header: list[str], pending: list[Row],
                file: str) -> Iterator[Row]:
    with _xlsx_errors(file):
        yield from pending
        for number, values in records:
            yield number, values if len(values) == len(header) else _fit(values, header)


# --- JSON and JSON Lines --------------------------------------------------------------------

def _read_json(path: Path, options: ReadOptions) -> Iterator[Table]:
    file = str(path)
    data = path.read_bytes()
    encoding = _text_encoding(data, True, options, file)
    try:
        document = json.loads(data.decode(encoding))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1  # exact for the single-byte and UTF-8 codecs
        raise _fail("DECODE_ERROR", file, line, line=line, encoding=encoding) from None
    except json.JSONDecodeError as exc:
        raise _bad_json(file, exc, exc.lineno) from None
    for name, items in _record_lists(document, file):
        yield from _json_tables(file, name, items, {})


def _bad_json(file: str, exc: json.JSONDecodeError, line: int) -> UnreadableFile:
    return _fail("BAD_JSON", file, line, error=f"line {line}, column {exc.colno}: {exc.msg}")


def _not_records(file: str, what: str) -> UnreadableFile:
    return _fail("BAD_JSON", file, error=f"{what} is not a record (a JSON object)")


def _record_lists(document: Any, file: str) -> list[tuple[str, list[Any]]]:
    if isinstance(document, list):
        return [("incidents", document)]
    lists = [(k, v) for k, v in document.items() if isinstance(v, list)] if isinstance(
        document, dict) else []
    if not lists:
        raise _not_records(file, "the document, which holds no list of records,")
    return lists


def _is_child_list(key: str, value: Any) -> bool:
    return isinstance(value, list) and (key in CHILD_LISTS or (
        bool(value) and all(isinstance(v, dict) for v in value)))


def _flatten(item: Any, inherited: dict[str, Any], file: str,
             where: str) -> tuple[dict[str, Any], list[tuple[str, list[Any], dict[str, Any]]]]:
    """Split one JSON object into its own values and its child lists (with the parent's ref)."""
    if not isinstance(item, dict):
        raise _not_records(file, where)
    record = {k: v for k, v in inherited.items() if k not in item}
    ref = {PARENT_REF: item[PARENT_REF]} if item.get(PARENT_REF) is not None else inherited
    nested = []
    for key, value in item.items():
        if _is_child_list(key, value):
            if value:
                nested.append((key, value, ref))
        elif not (key in CHILD_LISTS and value is None):
            record[key] = value
    return record, nested


def _json_tables(file: str, sheet: str, items: list[Any],
                 inherited: dict[str, Any]) -> Iterator[Table]:
    """A table for one JSON list, then one per child list of each of its objects."""
    header: dict[str, None] = {}
    records: list[tuple[int, dict[str, Any]]] = []
    children: list[tuple[str, list[Any], dict[str, Any]]] = []
    for number, item in enumerate(items, 1):
        record, nested = _flatten(item, inherited, file, f"item {number} of {sheet}")
        header.update(dict.fromkeys(record))
        records.append((number, record))
        children.extend((f"{sheet}[{number}].{key}", value, ref) for key, value, ref in nested)
    names = list(header)
    yield Table(file, sheet, names, ((n, [r.get(k) for k in names]) for n, r in records))
    for child_sheet, child_items, ref in children:
        yield from _json_tables(file, child_sheet, child_items, ref)


def _read_jsonl(path: Path, options: ReadOptions) -> Iterator[Table]:
    file = str(path)
    with path.open("rb") as raw:
        sample, complete = encodings.read_sample(raw)
    encoding = _text_encoding(sample, complete, options, file)
    objects = _jsonl_objects(path, encoding, file)
    first = next(objects, None)
    if first is None:
        raise _fail("EMPTY_FILE", file)
    seen_children: list[bool] = []  # set once the incidents have all been read
    header = list(_flatten(first[1], {}, file, "line 1")[0])
    rows = _jsonl_rows(itertools.chain([first], objects), header, file, seen_children)
    yield Table(file, "incidents", header, rows)
    if seen_children == [False]:
        return
    for number, item in _jsonl_objects(path, encoding, file):
        for key, value, ref in _flatten(item, {}, file, f"line {number}")[1]:
            yield from _json_tables(file, f"incidents[{number}].{key}", value, ref)


def _jsonl_objects(path: Path, encoding: str, file: str) -> Iterator[tuple[int, Any]]:
    number = 0
    with path.open(encoding=encoding) as stream:
        try:
            for number, line in enumerate(stream, 1):
                if line.strip():
                    yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise _bad_json(file, exc, number) from None
        except UnicodeDecodeError:
            raise _fail("DECODE_ERROR", file, number + 1, line=number + 1,
                        encoding=encoding) from None


def _jsonl_rows(objects: Iterator[tuple[int, Any]], header: list[str], file: str,
                seen_children: list[bool]) -> Iterator[Row]:
    columns = {name: i for i, name in enumerate(header)}
    any_children = False
    for number, item in objects:
        record, nested = _flatten(item, {}, file, f"line {number}")
        any_children = any_children or bool(nested)
        for key in record:
            if key not in columns:
                columns[key] = len(header)
                header.append(key)
        yield number, [record.get(name) for name in header]
    seen_children.append(any_children)


_READERS = {**dict.fromkeys(TEXT_SUFFIXES, _read_csv), **dict.fromkeys(XLSX_SUFFIXES, _read_xlsx),
            **dict.fromkeys(JSON_SUFFIXES, _read_json),
            **dict.fromkeys(JSONL_SUFFIXES, _read_jsonl)}
