"""Records: list, read, create, edit, the workflow, sharing, uploads, the country's policy.

Views are thin: parse, find the record through the visibility rule, call one action, render.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field as PydanticField

from crossings.web.accounts.models import Country, CountrySharingPolicy, SharingScope
from crossings.web.accounts.roles import membership_of, needs_second_factor
from crossings.web.api.schemas import (
    ChangeOut,
    CommentIn,
    EditIn,
    ErrorOut,
    ExportOut,
    ImportOut,
    MeOut,
    PolicyOut,
    ReasonIn,
    RecordIn,
    RecordOut,
    RecordPage,
    ShareIn,
    VersionOut,
)
from crossings.web.errors import Forbidden, Invalid
from crossings.web.reporting import workflow
from crossings.web.reporting.models import Record
from crossings.web.reporting.reads import (
    RecordFilter,
    Shown,
    export_records,
    list_records,
    read_record,
)
from crossings.web.reporting.visibility import Purpose, detail_level, present

router = Router(tags=["records"])
ERRORS: dict[int, type[Schema]] = dict.fromkeys((401, 403, 404, 409, 422), ErrorOut)
MAX_UPLOAD_FILES = 20
Version = Annotated[int | None, PydanticField(ge=1, le=2**31 - 1)]


class ListQuery(Schema):
    record_type: str = ""
    country: str = ""
    status: str = ""
    unit: str = ""
    reference: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


def _out(shown: Shown) -> dict[str, Any]:
    record = shown.record
    return {"id": record.uid, "record_type": record.record_type, "country": record.country.code,
            "unit": record.unit.code, "reference": record.reference, "status": record.status,
            "sharing_scope": record.sharing_scope, "version": record.version,
            "event_date": record.event_date, "detail": shown.detail.name,
            "data": shown.data or {}, "updated_at": record.updated_at}


def _after(request: HttpRequest, record: Record) -> dict[str, Any]:
    """The record as its actor now sees it (the action itself was audited)."""
    level = detail_level(request.user, record)
    return _out(Shown(record, level, present(record, level)))


def _managed(request: HttpRequest, record_id: str) -> Record:
    return workflow.find_record(request.user, record_id, Purpose.MANAGE)


@router.get("/me", response=MeOut, tags=["account"])
def me(request: HttpRequest) -> dict[str, Any]:
    member = membership_of(request.user)
    return {"username": request.user.get_username(),
            "role": member.role if member else None,
            "country": member.country.code if member and member.country else None,
            "unit": member.unit.code if member and member.unit else None,
            "second_factor_required": needs_second_factor(request.user)}


@router.get("/records", response={200: RecordPage, **ERRORS})
def records_list(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    filters = RecordFilter(**query.dict(exclude={"page", "page_size"}))
    page = list_records(request.user, filters, page=query.page, page_size=query.page_size)
    return {"items": [_out(s) for s in page.items], "count": page.count, "page": page.page,
            "page_size": page.page_size}


@router.post("/records", response={201: RecordOut, **ERRORS})
def records_create(request: HttpRequest, body: RecordIn) -> tuple[int, dict[str, Any]]:
    record = workflow.create_record(request.user, body.record_type, body.data,
                                    unit_code=body.unit, submit=body.submit)
    return 201, _after(request, record)


@router.get("/records/{record_id}", response={200: RecordOut, **ERRORS})
def records_read(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return _out(read_record(request.user, record_id))


@router.put("/records/{record_id}", response={200: RecordOut, **ERRORS})
def records_edit(request: HttpRequest, record_id: str, body: EditIn) -> dict[str, Any]:
    record = workflow.edit_record(request.user, _managed(request, record_id), body.data,
                                  note=body.note)
    return _after(request, record)


@router.get("/records/{record_id}/versions", response={200: list[VersionOut], **ERRORS})
def records_versions(request: HttpRequest, record_id: str) -> list[dict[str, Any]]:
    record = workflow.find_record(request.user, record_id, Purpose.READ)
    return [{"version": v.version, "change": v.change, "status": v.status,
             "user": v.user.get_username() if v.user else "", "note": v.note,
             "created_at": v.created_at}
            for v in record.versions.select_related("user").order_by("version")]


@router.get("/records/{record_id}/changes", response={200: list[ChangeOut], **ERRORS})
def records_changes(request: HttpRequest, record_id: str,
                    from_version: Version = None,
                    to_version: Version = None) -> list[dict[str, Any]]:
    """What changed between two versions; by default since the last approval."""
    record = workflow.find_record(request.user, record_id, Purpose.READ)
    if detail_level(request.user, record).name != "FULL":
        raise Forbidden("Only the owning country sees a record's history of changes.")
    return [c.as_dict() for c in workflow.record_changes(record, from_version, to_version)]


@router.post("/records/{record_id}/submit", response={200: RecordOut, **ERRORS})
def records_submit(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return _after(request, workflow.submit_record(request.user, _managed(request, record_id)))


@router.post("/records/{record_id}/return", response={200: RecordOut, **ERRORS})
def records_return(request: HttpRequest, record_id: str, body: CommentIn) -> dict[str, Any]:
    record = workflow.return_record(request.user, _managed(request, record_id), body.comment)
    return _after(request, record)


@router.post("/records/{record_id}/approve", response={200: RecordOut, **ERRORS})
def records_approve(request: HttpRequest, record_id: str) -> dict[str, Any]:
    return _after(request, workflow.approve_record(request.user, _managed(request, record_id)))


@router.post("/records/{record_id}/share", response={200: RecordOut, **ERRORS})
def records_share(request: HttpRequest, record_id: str, body: ShareIn) -> dict[str, Any]:
    record = workflow.share_record(request.user, _managed(request, record_id), body.scope,
                                   body.partners)
    return _after(request, record)


@router.post("/records/{record_id}/revoke", response={200: RecordOut, **ERRORS})
def records_revoke(request: HttpRequest, record_id: str, body: ReasonIn) -> dict[str, Any]:
    record = workflow.revoke_sharing(request.user, _managed(request, record_id), body.reason)
    return _after(request, record)


@router.post("/records/{record_id}/withdraw", response={200: RecordOut, **ERRORS})
def records_withdraw(request: HttpRequest, record_id: str, body: ReasonIn) -> dict[str, Any]:
    record = workflow.withdraw_record(request.user, _managed(request, record_id), body.reason)
    return _after(request, record)


@router.post("/records/{record_id}/delete", response={200: RecordOut, **ERRORS})
def records_delete(request: HttpRequest, record_id: str, body: ReasonIn) -> dict[str, Any]:
    record = workflow.soft_delete(request.user, _managed(request, record_id), body.reason)
    return _out(Shown(record, detail_level(request.user, record), None))


@router.post("/records/{record_id}/restore", response={200: RecordOut, **ERRORS})
def records_restore(request: HttpRequest, record_id: str, body: ReasonIn) -> dict[str, Any]:
    record = workflow.restore(request.user, _managed(request, record_id), body.reason)
    return _after(request, record)


@router.post("/uploads", response={200: ImportOut, **ERRORS}, tags=["uploads"])
def uploads(request: HttpRequest, unit: Form[str], files: File[list[UploadedFile]],
            dry_run: Form[bool] = False) -> dict[str, Any]:
    """Import CSV, XLSX or JSON files as one batch (all or nothing), as `crossings import`."""
    if not files or len(files) > MAX_UPLOAD_FILES:
        raise Invalid(f"Send between 1 and {MAX_UPLOAD_FILES} files.", code="FILES_REQUIRED")
    with tempfile.TemporaryDirectory(prefix="crossings-upload-") as folder:
        paths = []
        for upload in files:
            path = Path(folder) / Path(upload.name or "upload").name
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            paths.append(path)
        result = workflow.upload_files(request.user, paths, unit, dry_run=dry_run)
    if not result.ok:
        details = [{**p.as_dict(), "file": Path(p.file).name if p.file else ""}
                   for p in result.problems]
        raise Invalid(f"{result.problem_count} problem(s) found; nothing was stored.",
                      code="UPLOAD_REJECTED", details=details)
    return {"stored": result.stored, "dry_run": result.dry_run, "rows": result.rows,
            "created": result.created, "revised": result.revised,
            "unchanged": result.unchanged, "batch": result.batch_id}


def _policy_out(country: Country) -> dict[str, Any]:
    policy = CountrySharingPolicy.objects.filter(country=country).first()
    return {"country": country.code,
            "default_scope": policy.default_scope if policy else SharingScope.NATIONAL_ONLY,
            "default_partners": sorted(policy.default_partners.values_list("code", flat=True))
            if policy else []}


def _own_country(request: HttpRequest) -> Country:
    member = membership_of(request.user)
    if member is None or member.country is None:
        raise Forbidden("Only national users have a country's sharing policy.")
    return member.country


@router.get("/sharing-policy", response={200: PolicyOut, **ERRORS}, tags=["sharing"])
def policy_read(request: HttpRequest) -> dict[str, Any]:
    return _policy_out(_own_country(request))


@router.put("/sharing-policy", response={200: PolicyOut, **ERRORS}, tags=["sharing"])
def policy_write(request: HttpRequest, body: ShareIn) -> dict[str, Any]:
    country = _own_country(request)
    workflow.set_sharing_policy(request.user, country, body.scope, body.partners)
    return _policy_out(country)


@router.get("/export", response={200: ExportOut, **ERRORS})
def records_export(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    """Every record you may see at record level, as you see it (the export is audited)."""
    shown = export_records(request.user, RecordFilter(**query.dict(exclude={"page",
                                                                          "page_size"})))
    return {"count": len(shown), "records": [
        {"record_type": s.record.record_type, "country": s.record.country.code,
         "detail": s.detail.name, "data": s.data or {}} for s in shown]}
