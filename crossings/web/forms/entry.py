"""Saving the incident form: one call per button, each an action of the workflow."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from crossings.web.accounts.models import Unit
from crossings.web.errors import CrossingsError
from crossings.web.forms.checks import Errors
from crossings.web.reporting import workflow
from crossings.web.reporting.models import Record, Status


def save_incident(user: Any, record: Record | None, data: dict[str, Any], *,
                  submit: bool) -> Record:
    """Create a draft (or submit at once), or save a new version and submit it if asked."""
    if record is None:
        return workflow.create_record(user, "incident", data, submit=submit)
    record = workflow.edit_record(user, record, data)
    if submit and record.status in (Status.DRAFT, Status.RETURNED):
        record = workflow.submit_record(user, record)
    return record


def suggested_reference(unit: Unit, today: dt.date | None = None) -> str:
    """A fresh reference for a new incident, which the officer may replace with their own."""
    day = today or dt.date.today()
    return f"{unit.code}-{day:%Y%m%d}-{secrets.token_hex(2).upper()}"


def action_errors(exc: CrossingsError) -> Errors:
    """An action's refusal, keyed by the input it names (or shown above the form)."""
    errors: Errors = {"": [{"code": exc.code, "message": exc.message, "hint": ""}]}
    for detail in exc.details:
        key = str(detail.get("field") or "")
        errors.setdefault(key, []).append({
            "code": str(detail.get("rule", exc.code)), "message": str(detail.get("message")),
            "hint": str(detail.get("hint", ""))})
    return errors
