"""From files to validated documents: the pure heart of bulk import.

A batch is a set of files uploaded together. Child rows (route legs, migrant groups, ...) are read
first and grouped by ``incident_ref``; incidents are then streamed, joined with their children,
validated as whole documents and yielded one by one, so a million-row incident file never sits in
memory. Every problem is collected with its file, sheet, row and column; the caller stores the
documents only if, at the end, there are none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crossings.ingest.mapping import Mapping, normalise_column
from crossings.ingest.readers import (
    FormulaWithoutValue,
    ReadOptions,
    Table,
    UnreadableFile,
    read_tables,
)
from crossings.standard.model import RecordType, Standard, load_standard
from crossings.standard.problems import Problem, problem
from crossings.standard.validate import RowValidator, validate_document

MAX_KEPT_PROBLEMS = 50_000

@dataclass(frozen=True)
class Provenance:
    file: str
    sheet: str
    row: int


@dataclass
class Document:
    """A validated top-level record ready to be stored."""

    record_type: str
    reference: str
    data: dict[str, Any]
    unit_code: str
    provenance: Provenance
    incident_reference: str = ""


@dataclass
class BatchReport:
    """What reading a batch found: problems (capped) and counts per file."""

    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    rows_per_file: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, found: Problem, where: Provenance | None = None) -> None:
        self.problem_count += 1
        if where is not None:
            found.file, found.sheet, found.row = where.file, where.sheet, where.row or None
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(found)


@dataclass
class _TableReader:
    """One table bound to its record type and to the standard's field names."""

    table: Table
    record_type: RecordType
    fields: list[str]


IncidentLookup = Callable[[set[str]], set[str]]


class BatchReader:
    """Reads, maps and validates the files of one batch.

    Args:
        paths: the files, in any order.
        mapping: the partner format (an empty Mapping for the standard's own layout).
        default_unit: code of the uploading unit, used for incidents that name no unit.
        unit_countries: unit code -> country code of every known unit.
        stored_incidents: given incident references, returns those already stored for the
            uploading unit's country (persons and objects may point to them).
    """

    def __init__(self, paths: Iterable[Path], mapping: Mapping, default_unit: str,
                 unit_countries: dict[str, str],
                 stored_incidents: IncidentLookup = lambda refs: set()):
        self.paths = list(paths)
        self.mapping = mapping
        self.default_unit = default_unit
        self.unit_countries = unit_countries
        self.country = unit_countries[default_unit]
        self.stored_incidents = stored_incidents
        self.standard: Standard = load_standard()
        self.report = BatchReport()
        self._options = mapping.parse_options()
        self._seen: set[tuple[str, str]] = set()

    def documents(self) -> Iterator[Document]:
        """Yield every valid document; problems accumulate in ``self.report``."""
        children = self._read_children()
        incident_refs: set[str] = set()
        linked: list[tuple[str, str, Provenance]] = []
        for reader in self._tables(lambda rt: rt.parent is None, final_pass=True):
            for doc in self._top_level(reader, children):
                if doc.record_type == "incident":
                    incident_refs.add(doc.reference)
                elif doc.incident_reference:
                    linked.append((doc.record_type, doc.incident_reference, doc.provenance))
                yield doc
        self._check_leftovers(children)
        self._check_links(linked, incident_refs)
        if not self.report.problem_count and not any(self.report.rows_per_file.values()):
            for path in self.paths:  # an empty rows file is fine beside others, not alone
                self.report.add(problem("NO_RECORDS"), Provenance(str(path), "", 0))

    def _tables(self, wanted: Callable[[RecordType], bool], *,
                final_pass: bool) -> Iterator[_TableReader]:
        """The tables of every file whose record type is wanted, headers checked.

        Files are opened once per pass; unreadable files and tables of unknown type are
        reported by the final pass only, so nothing is reported twice.
        """
        known = frozenset(self._known_columns())
        options = ReadOptions(encoding=self.mapping.encoding, delimiter=self.mapping.delimiter,
                              header_row=self.mapping.header_row, known_columns=known)
        for path in self.paths:
            try:
                for table in read_tables(path, options):
                    where = Provenance(table.file, table.sheet, 1)
                    rtype = self._record_type_of(table)
                    if rtype is None:
                        if final_pass:
                            self.report.add(problem("UNKNOWN_RECORD_TYPE",
                                                    value=table.sheet or table.file), where)
                        continue
                    if wanted(rtype):
                        fields = [self.mapping.field_for(column) for column in table.header]
                        self._check_header(table, rtype, fields, where)
                        yield _TableReader(table, rtype, fields)
            except UnreadableFile as exc:
                if final_pass:
                    self.report.add(problem("UNREADABLE_FILE", message=exc.message,
                                            hint=exc.hint), Provenance(str(path), "", 0))

    def _known_columns(self) -> set[str]:
        names = {normalise_column(n) for rt in self.standard.record_types.values()
                 for n in rt.fields}
        return names | set(self.mapping.columns) | set(self.mapping.ignore)

    def _check_header(self, table: Table, rtype: RecordType, fields: list[str],
                      where: Provenance) -> None:
        for column, name in zip(table.header, fields, strict=True):
            if name not in rtype.fields and normalise_column(column) not in self.mapping.ignore:
                self.report.add(problem("UNKNOWN_COLUMN", value=column,
                                        record_label=rtype.label.lower()), where)
        for name in {n for n in fields if fields.count(n) > 1 and n in rtype.fields}:
            self.report.add(problem("DUPLICATE_COLUMN", field=name), where)

    def _record_type_of(self, table: Table) -> RecordType | None:
        sheet = table.sheet.rsplit(".", 1)[-1] if table.sheet else ""
        names = [normalise_column(sheet)] if sheet else []
        names.append(normalise_column(Path(table.file).stem))
        for name in names:
            mapped = self.mapping.record_types.get(name)
            if mapped:
                return self.standard.record_type(mapped)
            for rtype in self.standard.record_types.values():
                if name.replace(" ", "_") in (rtype.name, rtype.plural):
                    return rtype
        return None

    def _rows(self, reader: _TableReader) -> Iterator[tuple[dict[str, Any], Provenance]]:
        table, fields = reader.table, reader.fields
        codes = self.mapping.codes
        count = 0
        for number, values in table.rows:
            count += 1
            row = dict(zip(fields, values, strict=False))
            where = Provenance(table.file, table.sheet, number)
            for name, value in row.items():
                if isinstance(value, FormulaWithoutValue):
                    self.report.add(problem("FORMULA_NOT_EVALUATED", field=name,
                                            value=value.formula), where)
                    row[name] = None
                elif name in codes:
                    row[name] = self.mapping.translate(name, value)
            yield row, where
        self.report.rows_per_file[table.file] += count

    def _validated(self, reader: _TableReader) -> Iterator[tuple[dict[str, Any], Provenance]]:
        validator = RowValidator(reader.record_type, self.standard, self._options)
        for row, where in self._rows(reader):
            clean, problems = validator.validate(row)
            for found in problems:
                self.report.add(found, where)
            if not problems:
                yield clean, where

    def _read_children(self) -> dict[str, dict[str, list[Any]]]:
        """Child rows by incident reference, then by plural name: ``{ref: {plural: [rows]}}``."""
        children: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for reader in self._tables(lambda rt: rt.parent is not None, final_pass=False):
            rtype = reader.record_type
            for clean, where in self._validated(reader):
                key = (rtype.name, ":".join(str(clean.get(k)) for k in rtype.key))
                if self._duplicate(key, rtype, where):
                    continue
                children[clean["incident_ref"]][rtype.plural].append((clean, where))
        return children

    def _duplicate(self, key: tuple[str, str], rtype: RecordType, where: Provenance) -> bool:
        if key in self._seen:
            self.report.add(problem("DUPLICATE_REFERENCE", field=rtype.key[-1], value=key[1],
                                    record_label=rtype.label), where)
            return True
        self._seen.add(key)
        return False

    def _top_level(self, reader: _TableReader,
                   children: dict[str, dict[str, list[Any]]]) -> Iterator[Document]:
        rtype = reader.record_type
        for clean, where in self._validated(reader):
            reference = str(clean[rtype.key[0]])
            if self._duplicate((rtype.name, reference), rtype, where):
                continue
            unit = self._unit_of(clean, where) if rtype.name == "incident" else self.default_unit
            if unit is None:
                continue
            if rtype.name == "incident" and not self._attach(
                    clean, children.pop(reference, {}), where):
                continue
            yield Document(rtype.name, reference, clean, unit, where,
                           incident_reference=str(clean.get("incident_ref", "")))

    def _attach(self, incident: dict[str, Any], rows: dict[str, list[Any]],
                where: Provenance) -> bool:
        for plural, items in rows.items():
            incident[plural] = [row for row, _ in items]
        problems = validate_document(incident)
        for found in problems:
            self.report.add(found, where)
        return not problems

    def _unit_of(self, clean: dict[str, Any], where: Provenance) -> str | None:
        unit = clean.setdefault("reporting_unit", self.default_unit)
        if unit not in self.unit_countries:
            self.report.add(problem("UNIT_NOT_FOUND", field="reporting_unit", value=unit), where)
            return None
        if self.unit_countries[unit] != self.country:
            self.report.add(problem("UNIT_OTHER_COUNTRY", field="reporting_unit", value=unit),
                            where)
            return None
        return str(unit)

    def _check_leftovers(self, children: dict[str, dict[str, list[Any]]]) -> None:
        for reference, rows in children.items():
            for plural, items in rows.items():
                label = plural.replace("_", " ").rstrip("s")
                for _, where in items:
                    self.report.add(problem("INCIDENT_NOT_IN_BATCH", field="incident_ref",
                                            value=reference, record_label=label), where)

    def _check_links(self, linked: list[tuple[str, str, Provenance]], in_batch: set[str]) -> None:
        wanted = {ref for _, ref, _ in linked} - in_batch
        found = self.stored_incidents(wanted) if wanted else set()
        for _, reference, where in linked:
            if reference not in in_batch and reference not in found:
                self.report.add(problem("INCIDENT_NOT_FOUND", field="incident_ref",
                                        value=reference), where)
