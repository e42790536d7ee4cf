"""The audit log, read-only: a focal point reads their country's, an administrator all."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from crossings.web.api.schemas import AuditPage, ErrorOut
from crossings.web.audit.models import AuditEntry
from crossings.web.reporting.visibility import visible_audit

router = Router(tags=["audit"])
MAX_PAGE = 500


class AuditQuery(Schema):
    action: str = ""
    username: str = ""
    reference: str = ""
    since: dt.datetime | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(100, ge=1, le=MAX_PAGE)


def audit_rows(entry: AuditEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "at": entry.at, "username": entry.username, "action": entry.action,
            "country": entry.country.code if entry.country else None,
            "record": entry.record.uid if entry.record else None, "reference": entry.reference,
            "details": entry.details, "ip": entry.ip}


@router.get("", response={200: AuditPage, 401: ErrorOut, 422: ErrorOut})
def audit_list(request: HttpRequest, query: Query[AuditQuery]) -> dict[str, Any]:
    """Newest first. Empty for roles that may not read the audit log."""
    entries = visible_audit(request.user).select_related("country", "record")
    since = query.since.astimezone(dt.UTC) if query.since else None  # any offset, as UTC
    lookups = {"action": query.action.upper(), "username": query.username,
               "reference": query.reference, "at__gte": since}
    entries = entries.filter(**{k: v for k, v in lookups.items() if v})
    page, size = max(query.page, 1), min(max(query.page_size, 1), MAX_PAGE)
    rows = entries.order_by("-seq")[(page - 1) * size:page * size]
    return {"items": [audit_rows(e) for e in rows], "count": entries.count(), "page": page,
            "page_size": size}
