"""The standard's rules, placed next to the inputs that broke them.

The whole incident is validated once with :func:`validate_record` (the same call the API and
JSON import make). Problems of a child row name a field but not the row, so each child row is
also validated alone — the same row rules — to find where its problems belong. Problems across
rows (a route that is not contiguous) go next to the row whose value they name, or else at the
top of their section.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from crossings.standard.problems import Problem
from crossings.standard.validate import validate_record
from crossings.web.forms.i18n import problem_text
from crossings.web.forms.schema import Row, incident_sections

Errors = dict[str, list[dict[str, str]]]
GENERAL = ""


def shown(found: Problem) -> dict[str, str]:
    """A problem as the page shows it, in the reader's language."""
    message, hint = problem_text(found)
    return {"code": found.code, "message": message, "hint": hint,
            "field": found.field, "value": "" if found.value is None else str(found.value)}


def _child_problems(rows: dict[str, list[Row]], reference: Any) -> Errors:
    errors: Errors = defaultdict(list)
    for section in incident_sections()[1:]:
        for row in rows.get(section.name, []):
            data = {k: v for k, v in row.values.items() if v not in ("", [])}
            _, problems = validate_record(section.record_type,
                                          {**data, "incident_ref": reference or "X"})
            for found in problems:
                if found.field != "incident_ref":
                    errors[row.prefix + found.field].append(shown(found))
    return errors


def _document_place(found: Problem, rows: dict[str, list[Row]]) -> str:
    holders = [s for s in incident_sections()[1:]
               if any(f.name == found.field for f in s.fields)]
    for section in holders:
        for row in rows.get(section.name, []):
            if str(row.values.get(found.field, "")) == str(found.value):
                return row.prefix + found.field
    return holders[0].name if holders else GENERAL


def check_incident(data: dict[str, Any], rows: dict[str, list[Row]]) -> Errors:
    """Every problem of the posted incident, keyed by the input (or section) it belongs to."""
    _, problems = validate_record("incident", data)
    if not problems:
        return {}
    own = {f.name for f in incident_sections()[0].fields}
    errors = _child_problems(rows, data.get("incident_ref"))
    for found in problems:
        if found.record_type != "incident":
            continue  # placed row by row above
        key = found.field if found.field in own else _document_place(found, rows)
        errors[key].append(shown(found))
    if not errors:  # a child problem that validating the row alone did not find
        errors[GENERAL] = [shown(p) for p in problems]
    return dict(errors)


def summary(errors: Errors) -> list[dict[str, str]]:
    """Every problem once, with the input it belongs to, for the list above the form."""
    return [{**item, "target": key} for key, items in errors.items() for item in items]
