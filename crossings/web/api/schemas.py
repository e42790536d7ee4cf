"""Shapes of the API's requests and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema


class ErrorDetail(Schema):
    field: str = ""
    message: str = ""


class ErrorBody(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]


class ErrorOut(Schema):
    error: ErrorBody


class RecordIn(Schema):
    record_type: str = Field(description="incident, aggregate_return, person or object")
    data: dict[str, Any] = Field(description="The record in the standard's JSON layout")
    unit: str | None = Field(None, description="Reporting unit code (default: your unit)")
    submit: bool = Field(False, description="Submit at once instead of keeping a draft")


class EditIn(Schema):
    data: dict[str, Any]
    note: str = Field("", max_length=500)


class CommentIn(Schema):
    comment: str = Field(..., max_length=500)


class ReasonIn(Schema):
    reason: str = Field("", max_length=500)


class ShareIn(Schema):
    scope: str = Field(description="NATIONAL_ONLY, BILATERAL, REGIONAL_CONTRIBUTORS or "
                                   "PUBLIC_AGGREGATES_ONLY")
    partners: list[str] = Field(default_factory=list, description="ISO3 codes, for BILATERAL")


class RecordOut(Schema):
    id: uuid.UUID
    record_type: str
    country: str
    unit: str
    reference: str
    status: str
    sharing_scope: str
    version: int
    event_date: dt.date | None
    detail: str = Field(description="FULL or NON_NOMINAL: how much of the record you see")
    data: dict[str, Any]
    updated_at: dt.datetime


class RecordPage(Schema):
    items: list[RecordOut]
    count: int
    page: int
    page_size: int


class VersionOut(Schema):
    version: int
    change: str
    status: str
    user: str
    note: str
    created_at: dt.datetime


class ChangeOut(Schema):
    path: str
    kind: str
    old: Any = None
    new: Any = None


class AuditOut(Schema):
    seq: int
    at: dt.datetime
    username: str
    action: str
    country: str | None
    record: uuid.UUID | None
    reference: str
    details: dict[str, Any]
    ip: str | None


class AuditPage(Schema):
    items: list[AuditOut]
    count: int
    page: int
    page_size: int


class ImportOut(Schema):
    stored: bool
    dry_run: bool
    rows: int
    created: int
    revised: int
    unchanged: int
    batch: int | None


class PolicyOut(Schema):
    country: str
    default_scope: str
    default_partners: list[str]


class MeOut(Schema):
    username: str
    role: str | None
    country: str | None
    unit: str | None
    second_factor_required: bool


class ExportedRecord(Schema):
    record_type: str
    country: str
    detail: str
    data: dict[str, Any]


class ExportOut(Schema):
    count: int
    records: list[ExportedRecord]
