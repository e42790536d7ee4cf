"""Actions on the record store. Each owns its transaction; the CLI, the web and tests call them.

``import_files`` is the one way records enter the store from files: a batch lands whole or not
at all, a file imported twice stores nothing new, and a corrected record sent again with the same
reference becomes a new version of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import orjson
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from crossings.ingest.batch import BatchReader, Document
from crossings.ingest.mapping import load_mapping
from crossings.ingest.readers import file_sha256
from crossings.standard.model import VERSION
from crossings.standard.problems import Problem
from crossings.web.accounts.models import Country, Unit
from crossings.web.audit.log import audit
from crossings.web.audit.models import Action
from crossings.web.reporting.bulk import db_value, insert_rows, json_value
from crossings.web.reporting.models import (
    Change,
    ImportBatch,
    Record,
    RecordVersion,
    SourceFile,
    Status,
)

CHUNK = 1000
RECORD_COLUMNS = ("uid", "record_type", "country", "unit", "reference", "incident_reference",
                  "event_date", "data", "content_hash", "standard_version", "version", "status",
                  "batch", "created_at", "updated_at")
PREPARED = frozenset({"data", "created_at", "updated_at"})
VERSION_COLUMNS = ("record", "version", "change", "data", "content_hash", "standard_version",
                   "batch", "source_file", "source_sheet", "source_row", "unit", "user", "note",
                   "status", "created_at")
T = TypeVar("T")


class UnknownUnit(Exception):
    """The uploading unit does not exist."""


@dataclass
class ImportResult:
    """What an import did (or, for a dry run or a failure, would have done)."""

    stored: bool
    dry_run: bool
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class _Rollback(Exception):
    pass


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def canonical_json(data: dict[str, Any]) -> str:
    """The record's content as JSON with sorted keys: equal content, equal text."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def event_date(doc: Document) -> dt.date | None:
    """First day of an incident's detection date or a return's period, for time filters."""
    return event_date_of(doc.data)


def event_date_of(data: dict[str, Any]) -> dt.date | None:
    """The same, from a record's document."""
    value = data.get("detection_date") or data.get("period")
    if not value:
        return None
    parts = [int(p) for p in str(value).split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def stored_incident_refs(country: Country) -> Callable[[set[str]], set[str]]:
    def lookup(references: set[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunked(sorted(references), CHUNK):
            found |= set(Record.objects.filter(
                country=country, record_type="incident", reference__in=chunk,
                deleted_at__isnull=True).values_list("reference", flat=True))
        return found

    return lookup


def import_files(paths: list[Path], unit_code: str, *, mapping_path: Path | None = None,
                 user: User | None = None, dry_run: bool = False,
                 progress: Callable[[int], None] | None = None) -> ImportResult:
    """Validate every row of the files and store them as one batch, or store nothing."""
    unit = Unit.objects.select_related("country").filter(code=unit_code.upper()).first()
    if unit is None:
        raise UnknownUnit(unit_code)
    units = dict(Unit.objects.values_list("code", "country__code"))
    reader = BatchReader(paths, load_mapping(mapping_path), unit.code, units,
                         stored_incident_refs(unit.country))
    writer = _BatchWriter(unit, user, paths)
    try:
        with transaction.atomic():
            for chunk in chunked(reader.documents(), CHUNK):
                writer.handle(chunk, write=not (dry_run or reader.report.problem_count))
                if progress:
                    progress(len(chunk))
            if dry_run or reader.report.problem_count or not writer.changed:
                raise _Rollback
            analytics_changed(writer.revised_records)
            audit(Action.IMPORT, user=user, country=unit.country, details={
                "batch": writer.batch.pk if writer.batch else None, "unit": unit.code,
                "files": [path.name for path in paths], "created": writer.created,
                "revised": writer.revised})
    except _Rollback:
        pass
    stored = not dry_run and reader.report.problem_count == 0 and writer.changed > 0
    return ImportResult(stored=stored, dry_run=dry_run, created=writer.created,
                        revised=writer.revised, unchanged=writer.unchanged,
                        rows=sum(reader.report.rows_per_file.values()),
                        problems=reader.report.problems,
                        problem_count=reader.report.problem_count,
                        batch_id=writer.batch.pk if stored and writer.batch else None)


class _BatchWriter:
    """Classifies documents as new, revised or unchanged and writes them in bulk."""

    def __init__(self, unit: Unit, user: User | None, paths: list[Path]):
        self.unit, self.user, self.paths = unit, user, paths
        self.batch: ImportBatch | None = None
        self.files: dict[str, SourceFile] = {}
        self.unit_ids = dict(Unit.objects.filter(country=unit.country)
                             .values_list("code", "pk"))
        self.created = self.revised = self.unchanged = 0
        self.revised_records: list[Record] = []

    @property
    def changed(self) -> int:
        return self.created + self.revised

    def handle(self, docs: list[Document], *, write: bool) -> None:
        existing = self._existing(docs)
        now = timezone.now()
        new, revised = [], []
        for doc in docs:
            text = canonical_json(doc.data)
            digest = content_hash(text)
            current = existing.get((doc.record_type, doc.reference))
            if current is None:
                new.append((doc, text, digest))
            elif current.content_hash != digest or current.deleted_at is not None:
                revised.append((doc, text, digest, current))
            else:
                self.unchanged += 1
        self.created += len(new)
        self.revised += len(revised)
        if write and (new or revised):
            self._write(new, revised, now)

    def _existing(self, docs: list[Document]) -> dict[tuple[str, str], Record]:
        by_type: dict[str, list[str]] = {}
        for doc in docs:
            by_type.setdefault(doc.record_type, []).append(doc.reference)
        found = {}
        for record_type, references in by_type.items():
            for record in Record.objects.filter(
                    country=self.unit.country, record_type=record_type, reference__in=references
            ).only("pk", "uid", "reference", "content_hash", "version", "deleted_at",
                   "record_type", "status"):
                found[(record_type, record.reference)] = record
        return found

    def _ensure_batch(self) -> ImportBatch:
        if self.batch is None:
            self.batch = ImportBatch.objects.create(unit=self.unit, user=self.user,
                                                    standard_version=VERSION)
            for path in self.paths:
                self.files[str(path)] = SourceFile.objects.create(
                    batch=self.batch, name=str(path), sha256=file_sha256(path),
                    size=path.stat().st_size)
        return self.batch

    def _write(self, new: list[tuple[Document, str, str]],
               revised: list[tuple[Document, str, str, Record]], now: dt.datetime) -> None:
        batch = self._ensure_batch()
        country_id = self.unit.country_id
        stamp = db_value(Record, "created_at", now)
        insert_rows(Record, RECORD_COLUMNS, (
            (uuid.uuid4(), doc.record_type, country_id, self.unit_ids[doc.unit_code],
             doc.reference, doc.incident_reference, event_date(doc), json_value(text), digest,
             VERSION, 1, Status.SUBMITTED, batch.pk, stamp, stamp) for doc, text, digest in new),
            prepared=PREPARED)
        ids = self._ids(new)
        versions = [self._version_row(doc, record_id=ids[(doc.record_type, doc.reference)],
                                      version=1, text=text, digest=digest,
                                      change=Change.CREATED, stamp=stamp)
                    for doc, text, digest in new]
        for doc, text, digest, record in revised:
            record.data, record.content_hash, record.version = doc.data, digest, record.version + 1
            record.unit_id = self.unit_ids[doc.unit_code]
            record.event_date, record.incident_reference = event_date(doc), doc.incident_reference
            record.batch, record.updated_at, record.deleted_at = batch, now, None
            record.standard_version = VERSION
            record.status = Status.SUBMITTED  # a revision needs (re-)approval
            versions.append(self._version_row(doc, record_id=record.pk, version=record.version,
                                              text=text, digest=digest, change=Change.REVISED,
                                              stamp=stamp))
        self.revised_records += [r for *_, r in revised]
        if revised:
            Record.objects.bulk_update([r for *_, r in revised], [
                "data", "content_hash", "version", "unit", "event_date", "incident_reference",
                "batch", "updated_at", "deleted_at", "standard_version", "status"])
        insert_rows(RecordVersion, VERSION_COLUMNS, versions, prepared=PREPARED)

    def _ids(self, new: list[tuple[Document, str, str]]) -> dict[tuple[str, str], int]:
        """Ids of the records just inserted, looked up through the unique reference index."""
        by_type: dict[str, list[str]] = {}
        for doc, *_ in new:
            by_type.setdefault(doc.record_type, []).append(doc.reference)
        ids: dict[tuple[str, str], int] = {}
        for record_type, references in by_type.items():
            rows = Record.objects.filter(country_id=self.unit.country_id,
                                         record_type=record_type, reference__in=references)
            ids |= {(record_type, ref): pk for pk, ref in rows.values_list("pk", "reference")}
        return ids

    def _version_row(self, doc: Document, *, record_id: int, version: int, text: str,
                     digest: str, change: str, stamp: Any) -> tuple[Any, ...]:
        """One RecordVersion row, in VERSION_COLUMNS order."""
        source = self.files.get(doc.provenance.file)
        return (record_id, version, change, json_value(text), digest, VERSION,
                self.batch.pk if self.batch else None, source.pk if source else None,
                doc.provenance.sheet, doc.provenance.row, self.unit_ids[doc.unit_code],
                self.user.pk if self.user else None, "", Status.SUBMITTED, stamp)


def delete_record(record: Record, *, user: User | None, reason: str) -> Record:
    """Soft delete: the record leaves every view, its history stays and says who and why."""
    return _set_deleted(record, deleted=True, user=user, reason=reason)


def restore_record(record: Record, *, user: User | None, reason: str) -> Record:
    """Undo a soft delete, as a new version."""
    return _set_deleted(record, deleted=False, user=user, reason=reason)


@transaction.atomic
def _set_deleted(record: Record, *, deleted: bool, user: User | None, reason: str) -> Record:
    if (record.deleted_at is not None) == deleted:
        return record
    now = timezone.now()
    record.deleted_at = now if deleted else None
    record.updated_at, record.version = now, record.version + 1
    record.save(update_fields=["deleted_at", "updated_at", "version"])
    RecordVersion.objects.create(record=record, version=record.version,
                                 change=Change.DELETED if deleted else Change.RESTORED,
                                 data=record.data, content_hash=record.content_hash,
                                 standard_version=record.standard_version, unit=record.unit,
                                 user=user, note=reason[:500], status=record.status,
                                 created_at=now)
    audit(Action.DELETE if deleted else Action.RESTORE, user=user, record=record,
          details={"version": record.version, "reason": reason[:500]})
    analytics_changed([record])
    return record


def analytics_changed(records: list[Record]) -> None:
    """After commit, bring these records' analytics up to date (see dashboards.sync)."""
    from crossings.web.dashboards.sync import refresh_after_commit  # noqa: PLC0415 - cycle

    refresh_after_commit(records)
