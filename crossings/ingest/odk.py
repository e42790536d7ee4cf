"""ODK Central and KoboToolbox exports of the generated XLSForm, as the standard's layout.

Officers who collect offline with ODK Collect or KoboToolbox send what their server exports:

* **ODK Central** — the submissions CSV (``SubmissionDate, incident-detection_date, ...,
  meta-instanceID, KEY, ...``; groups joined by ``-``, split select-multiple columns by ``/``)
  and one CSV per repeat (``crossings_incident-route_legs.csv`` with ``PARENT_KEY`` and
  ``KEY``), alone or as the ``.zip`` Central gives; or the OData JSON (``{"value": [...]}``,
  groups as objects, repeats expanded as lists, ``__id``).
* **KoboToolbox** — the JSON of the API (a list, or ``{"results": [...]}``; keys are paths like
  ``incident/detection_date``, repeats are lists, ``_uuid``), or the XLSX export (first sheet the
  submissions with ``_index``, one sheet per repeat with ``_parent_index``), or the CSV export of
  the submissions alone.

Each export is rewritten as one JSON file in the standard's nested layout, which the batch
importer then reads like any other file. The submission's instance id is the key: an incident
without its own ``incident_ref`` gets ``ODK-<instance uuid>``, so importing the same export
again stores nothing new. :meth:`Prepared.restore` points every problem found in a rewritten
file back to the file, sheet and row of the export.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from crossings.standard.model import RecordType, load_standard
from crossings.standard.problems import Problem

REFERENCE_PREFIX = "ODK-"
INSTANCE_KEYS = ("meta/rootUuid", "KEY", "__id", "_uuid", "meta/instanceID", "meta-instanceID")
CENTRAL_SYSTEM = frozenset({
    "SubmissionDate", "KEY", "PARENT_KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
    "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
    "instanceID", "start", "end", "today", "deviceid", "formhub/uuid"})
MARKERS = frozenset({"KEY", "PARENT_KEY", "_uuid", "_index", "_parent_index", "meta-instanceID",
                     "meta/instanceID"})
SEPARATORS = re.compile(r"[/-]")
REPEAT_INDEX = re.compile(r"\[(\d+)\]$")
Where = tuple[str, str, int]


@dataclass
class Row:
    """One row of an export: its raw values and where the officer finds it."""

    values: dict[str, Any]
    where: Where


@dataclass
class Prepared:
    """The files to import, and where the rows of rewritten files came from."""

    paths: list[Path]
    origins: dict[str, dict[tuple[str, int], Where]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def restore(self, problems: list[Problem]) -> None:
        """Point problems in rewritten files back to the exported file, sheet and row."""
        for found in problems:
            rows = self.origins.get(found.file)
            if rows is None:
                continue
            origin = rows.get((found.sheet, found.row or 0))
            if origin is None:
                found.file, found.sheet = self.sources[found.file], ""
            else:
                found.file, found.sheet, found.row = origin


# ── reading exports ──────────────────────────────────────────────────────────────────────────

def _csv(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [Row(dict(values), (str(path), "", number))
                for number, values in enumerate(reader, 2)]
        return list(reader.fieldnames or []), rows


def _xlsx(path: Path) -> list[tuple[str, list[str], list[Row]]]:
    """The sheets of a Kobo XLSX export; nothing when the first sheet is not one."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets: list[tuple[str, list[str], list[Row]]] = []
    try:
        first = next(book.worksheets[0].iter_rows(values_only=True, max_row=1), ())
        if not MARKERS & {str(c) for c in first}:
            return sheets
        for sheet in book.worksheets:
            cells = sheet.iter_rows(values_only=True)
            header = [str(c) if c is not None else "" for c in next(cells, ())]
            rows = [Row(dict(zip(header, values, strict=False)), (str(path), sheet.title, n))
                    for n, values in enumerate(cells, 2) if any(v is not None for v in values)]
            sheets.append((sheet.title, header, rows))
    finally:
        book.close()
    return sheets


def _json_items(path: Path) -> list[Any] | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(document, dict):
        document = document.get("value", document.get("results"))
    if not isinstance(document, list) or not document or not all(
            isinstance(item, dict) for item in document):
        return None
    keys = set().union(*(item.keys() for item in document))
    return document if keys & {"__id", "_uuid", "meta/instanceID", "meta"} else None


def _flat(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Groups (nested objects, as in Central's OData) as path keys; repeats stay lists."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict) and not key.startswith("__"):
            flat |= _flat(value, f"{prefix}{key}/")
        else:
            flat[prefix + key] = value
    return flat


# ── mapping to the standard ──────────────────────────────────────────────────────────────────

def _ignored(column: str) -> bool:
    parts = SEPARATORS.split(column)
    return (column in CENTRAL_SYSTEM or column.startswith("_") or "@odata" in column
            or parts[0] in ("meta", "formhub") or not column)


def _value(rtype: RecordType, name: str, raw: Any) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    fld = rtype.fields.get(name)
    if fld is not None and fld.is_multi and isinstance(raw, str):
        return raw.split()
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if fld is not None and "date" in fld.type else str(raw)
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return raw


def standard_values(values: dict[str, Any], rtype: RecordType) -> dict[str, Any]:
    """An export row's values under the standard's field names (system columns dropped)."""
    clean: dict[str, Any] = {}
    for column, raw in values.items():
        if _ignored(column) or isinstance(raw, list):
            continue
        parts = SEPARATORS.split(column)
        parent = rtype.fields.get(parts[-2]) if len(parts) > 1 else None
        if parent is not None and parent.is_multi:
            continue  # a split select-multiple column beside its summary column
        value = _value(rtype, parts[-1], raw)
        if value is not None:
            clean[parts[-1]] = value
    return clean


def instance_key(values: dict[str, Any]) -> str:
    """The submission's instance id without ``uuid:`` (the same in Central and Kobo)."""
    for key in INSTANCE_KEYS:
        if values.get(key):
            return str(values[key]).removeprefix("uuid:").strip()
    return ""


def _child_type(name: str) -> RecordType | None:
    standard = load_standard()
    stem = SEPARATORS.split(name.split("~", maxsplit=1)[0])[-1]
    for child in standard.children.get("incident", ()):
        rtype = standard.record_type(child)
        if stem in (rtype.plural, rtype.name):
            return rtype
    return None


# ── one export: submissions and their repeats ────────────────────────────────────────────────

def _own_ids(values: dict[str, Any]) -> list[str]:
    ids = [instance_key(values)]
    if values.get("_index") not in (None, ""):
        ids.append(f"index:{values['_index']}")
    return [i for i in ids if i]


def _parent_ids(values: dict[str, Any]) -> list[str]:
    ids = [str(values.get(k) or "").removeprefix("uuid:").strip()
           for k in ("PARENT_KEY", "_submission__uuid")]
    if values.get("_parent_index") not in (None, ""):
        ids.append(f"index:{values['_parent_index']}")
    return [i for i in ids if i]


@dataclass
class _Output:
    """One rewritten file: incidents with their rows, and the origin of each row."""

    source: str
    incidents: list[dict[str, Any]] = field(default_factory=list)
    orphans: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    origins: dict[tuple[str, int], Where] = field(default_factory=dict)
    by_id: dict[str, int] = field(default_factory=dict)

    def add_submission(self, values: dict[str, Any], where: Where,
                       nested: dict[str, list[Row]] | None = None) -> None:
        incident = standard_values(values, load_standard().record_type("incident"))
        key = instance_key(values)
        if not incident.get("incident_ref") and key:
            incident["incident_ref"] = REFERENCE_PREFIX + key
        self.incidents.append(incident)
        number = len(self.incidents)
        self.origins[("incidents", number)] = where
        for own_id in _own_ids(values):
            self.by_id[own_id] = number - 1
        for name, rows in (nested or {}).items():
            for row in rows:
                self.add_child(name, row, number - 1)

    def add_child(self, name: str, row: Row, parent: int | None) -> None:
        rtype = _child_type(name)
        if rtype is None:
            return
        values = standard_values(row.values, rtype)
        if parent is None:
            key = next(iter(_parent_ids(row.values)), "")
            values.setdefault("incident_ref", REFERENCE_PREFIX + key.removeprefix("index:"))
            rows = self.orphans.setdefault(rtype.plural, [])
            rows.append(values)
            self.origins[(rtype.plural, len(rows))] = row.where
            return
        rows = self.incidents[parent].setdefault(rtype.plural, [])
        numbering = rtype.key[-1]
        values.setdefault(numbering, len(rows) + 1)
        rows.append(values)
        self.origins[(f"incidents[{parent + 1}].{rtype.plural}", len(rows))] = row.where

    def attach(self, name: str, rows: list[Row]) -> None:
        """Repeat rows of a separate file or sheet, joined to their submission by its key."""
        for row in rows:
            parent = next((self.by_id[i] for i in _parent_ids(row.values) if i in self.by_id),
                          None)
            self.add_child(name, row, parent)

    def write(self, path: Path) -> None:
        document: dict[str, Any] = {"incidents": self.incidents, **self.orphans}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, ensure_ascii=False, default=str), encoding="utf-8")


def _is_repeat(header: list[str]) -> bool:
    return bool({"PARENT_KEY", "_parent_index", "_submission__uuid"} & set(header))


def _from_json(path: Path, items: list[Any]) -> _Output:
    output = _Output(str(path))
    for number, item in enumerate(items, 1):
        flat = _flat(item)
        nested = {SEPARATORS.split(k)[-1]: [Row(_flat(v), (str(path), k, n))
                                            for n, v in enumerate(value, 1)]
                  for k, value in flat.items()
                  if isinstance(value, list) and value and all(isinstance(v, dict) for v in value)}
        output.add_submission(flat, (str(path), "", number), nested)
    return output


def _from_xlsx(path: Path) -> _Output | None:
    sheets = _xlsx(path)
    if not sheets or not MARKERS & set(sheets[0][1]) or _is_repeat(sheets[0][1]):
        return None
    output = _Output(str(path))
    for row in sheets[0][2]:
        output.add_submission(row.values, row.where)
    for title, _header, rows in sheets[1:]:
        output.attach(title, rows)
    return output


def _from_csvs(paths: list[Path]) -> list[_Output]:
    mains: list[tuple[Path, list[Row]]] = []
    repeats: list[tuple[Path, list[Row]]] = []
    for path in paths:
        header, rows = _csv(path)
        (repeats if _is_repeat(header) else mains).append((path, rows))
    outputs = []
    for path, rows in mains:
        output = _Output(str(path))
        for row in rows:
            output.add_submission(row.values, row.where)
        outputs.append(output)
    if not outputs and repeats:
        outputs.append(_Output(str(repeats[0][0])))
    for path, rows in repeats:
        for row in rows:
            target = next((o for o in outputs if any(i in o.by_id for i in
                                                     _parent_ids(row.values))), outputs[0])
            target.attach(path.stem, [row])
    return outputs


# ── which files are exports ──────────────────────────────────────────────────────────────────

def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except (UnicodeDecodeError, csv.Error, OSError):
        return []


def _unzip(path: Path, workdir: Path) -> list[Path]:
    target = workdir / f"{path.stem}.unzipped"
    target.mkdir(parents=True, exist_ok=True)
    found = []
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            name = Path(member).name
            if name.lower().endswith(".csv") and not member.startswith(("media/", "__")):
                out = target / name
                out.write_bytes(archive.read(member))
                found.append(out)
    return found


def _outputs(paths: list[Path], workdir: Path) -> Iterator[_Output | Path]:
    csvs = []
    for path in paths:
        suffix = path.suffix.lower()
        if suffix == ".zip" and zipfile.is_zipfile(path):
            csvs += _unzip(path, workdir)
        elif suffix == ".csv" and MARKERS & set(_csv_header(path)):
            csvs.append(path)
        elif suffix == ".json" and (items := _json_items(path)) is not None:
            yield _from_json(path, items)
        elif suffix in (".xlsx", ".xlsm") and (output := _safe_xlsx(path)) is not None:
            yield output
        else:
            yield path
    yield from _from_csvs(csvs) if csvs else ()


def _safe_xlsx(path: Path) -> _Output | None:
    try:
        return _from_xlsx(path)
    except Exception:  # not an export we can read: the importer will report the file
        return None


def prepare_exports(paths: list[Path], workdir: Path) -> Prepared:
    """Rewrite every ODK or Kobo export among ``paths``; other files pass unchanged."""
    prepared = Prepared([])
    for number, item in enumerate(_outputs(paths, workdir), 1):
        if isinstance(item, Path):
            prepared.paths.append(item)
            continue
        out = workdir / f"{number:02d}" / f"{Path(item.source).stem}.json"
        item.write(out)
        prepared.paths.append(out)
        prepared.origins[str(out)] = item.origins
        prepared.sources[str(out)] = item.source
    return prepared
