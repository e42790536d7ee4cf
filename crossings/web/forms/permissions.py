"""Which workflow buttons a user sees on a record.

The workflow actions decide (and refuse) for themselves; this table only avoids showing buttons
that would be refused. It asks the workflow's own permission checks, and its statuses are
those the actions accept — ``tests/web/forms/test_permissions.py`` calls every action in every
status to keep the two in step.
"""

from __future__ import annotations

from typing import Any

from crossings.web.accounts.models import Unit
from crossings.web.accounts.roles import membership_of
from crossings.web.reporting import workflow
from crossings.web.reporting.models import Record, Status

AUTHOR, FOCAL_POINT = "author", "focal point"
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "edit": (AUTHOR, tuple(Status.values)),
    "submit": (AUTHOR, (Status.DRAFT, Status.RETURNED)),
    "return": (FOCAL_POINT, (Status.SUBMITTED,)),
    "approve": (FOCAL_POINT, (Status.SUBMITTED,)),
    "share": (FOCAL_POINT, (Status.APPROVED, Status.SHARED)),
    "revoke": (FOCAL_POINT, (Status.SHARED,)),
    "withdraw": (FOCAL_POINT, workflow.REVIEWABLE),
}
FORM_TYPES = ("incident",)
"""Record types the web form edits (the others come by upload or the API)."""


def _allowed(user: Any, record: Record, who: str) -> bool:
    if who == AUTHOR:
        return workflow._may_author(user, record.unit)  # the workflow's own rule
    return workflow._is_focal_point(user, record.country_id)


def available_actions(user: Any, record: Record) -> list[str]:
    """The actions ``user`` may take on ``record`` now, in the order they are shown."""
    if record.deleted_at is not None:
        return []
    found = []
    for action, (who, statuses) in ACTIONS.items():
        if action == "edit" and record.record_type not in FORM_TYPES:
            continue
        if record.status in statuses and _allowed(user, record, who):
            found.append(action)
    return found


def authorable_units(user: Any) -> list[Unit]:
    """The units ``user`` may report for: an officer's own, a focal point's country's."""
    member = membership_of(user)
    if member is None or (member.country_id is None and member.unit_id is None):
        return []
    country = member.country_id or (member.unit.country_id if member.unit else 0)
    units = Unit.objects.filter(country_id=country).order_by("code")
    return [unit for unit in units
            if workflow._may_author(user, unit)]  # the workflow's own rule
