"""Problems found in records: one shape for every rule, with a stable code and words for officers.

Following followthemoney's habit, validation collects every problem and the caller raises or
reports them all at once; it never stops at the first bad cell.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """A rule of the standard: a stable code, a message template and a hint on how to fix it."""

    code: str
    message: str
    hint: str
    scope: str = "field"


RULES: dict[str, Rule] = {}


def rule(code: str, message: str, hint: str, scope: str = "field") -> Rule:
    """Register a rule; codes are stable and documented in the reference."""
    assert code not in RULES, code
    RULES[code] = Rule(code, message, hint, scope)
    return RULES[code]


@dataclass
class Problem:
    """One broken rule at one place. Location parts are filled in by whoever knows them."""

    code: str
    message: str
    hint: str = ""
    field: str = ""
    value: Any = ""
    record_type: str = ""
    reference: str = ""
    file: str = ""
    sheet: str = ""
    row: int | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    def where(self) -> str:
        """Human-readable location: file, sheet, row, column."""
        parts = [self.file or "", f"sheet {self.sheet}" if self.sheet else "",
                 f"row {self.row}" if self.row is not None else "",
                 f"column {self.field}" if self.field else ""]
        return ", ".join(p for p in parts if p)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.field,
                "value": "" if self.value is None else str(self.value), "rule": self.code,
                "message": self.message, "hint": self.hint, "record_type": self.record_type,
                "reference": self.reference}


def problem(rule_code: str, *, field: str = "", value: Any = "", **params: Any) -> Problem:
    """Build a problem from a registered rule, filling its templates with ``params``."""
    r = RULES[rule_code]
    fmt = {"field": field, "value": value, **params}
    return Problem(code=r.code, message=r.message.format(**fmt), hint=r.hint.format(**fmt),
                   field=field, value=value)
