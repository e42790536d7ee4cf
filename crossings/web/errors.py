"""One exception hierarchy for the web app, and the one JSON error shape built from it.

Actions raise these; the API turns them into
``{"error": {"code": "...", "message": "...", "details": [...]}}`` with the status below, and
the web forms show the message. Codes are stable; messages speak to the user.
"""

from __future__ import annotations

from typing import Any

from crossings.standard.problems import Problem


class CrossingsError(Exception):
    """Base of every error a user can cause. ``code`` is stable; ``message`` is for people."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None,
                 details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.details = details or []


class NotFound(CrossingsError):
    """Does not exist, or the user may not know it exists (same answer, on purpose)."""

    status, code = 404, "NOT_FOUND"


class Forbidden(CrossingsError):
    status, code = 403, "FORBIDDEN"


class Conflict(CrossingsError):
    """The request does not fit the record's state (e.g. approving a draft)."""

    status, code = 409, "CONFLICT"


class Invalid(CrossingsError):
    """The input breaks rules; ``details`` names each one."""

    status, code = 422, "INVALID"


class RecordInvalid(Invalid):
    """A record breaks rules of the standard; one detail per problem, with the rule's code."""

    code = "RECORD_INVALID"

    def __init__(self, problems: list[Problem]):
        details = [{"rule": p.code, "field": p.field, "message": p.message, "hint": p.hint,
                    "value": "" if p.value is None else str(p.value),
                    "record_type": p.record_type} for p in problems]
        super().__init__(f"The record breaks {len(problems)} rule(s) of the standard.",
                         details=details)


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None
               ) -> dict[str, Any]:
    """The one error envelope."""
    return {"error": {"code": code, "message": message, "details": details or []}}
