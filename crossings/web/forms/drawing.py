"""The incident form as the template draws it: every input with its label, value and errors.

The template only loops; what each input is, is decided here from the generated sections.
"""

from __future__ import annotations

from typing import Any

from crossings.web.accounts.models import Unit
from crossings.web.forms.checks import Errors
from crossings.web.forms.i18n import choices
from crossings.web.forms.parse import blank_row
from crossings.web.forms.schema import Row, Section, incident_sections, translated

TEMPLATE_PREFIX = "__prefix__"
DATALISTS = ("country", "currency")


def _inputs(section: Section, prefix: str, values: dict[str, Any], errors: Errors,
            fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    main: list[dict[str, Any]] = []
    more: list[dict[str, Any]] = []
    for fld in section.fields:
        name = prefix + fld.name
        drawn = {**fields[fld.name], "input": name, "id": "id-" + name,
                 "value": values.get(fld.name, [] if fld.widget == "checkboxes" else ""),
                 "errors": errors.get(name, [])}
        (main if fld.required or fld.numbering else more).append(drawn)
    opened = any(i["value"] or i["errors"] for i in more)
    return {"main": main, "more": more, "open": opened,
            "has_errors": any(i["errors"] for i in main + more)}


def _child(section: Section, rows: list[Row], errors: Errors,
           fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    drawn = [{"prefix": row.prefix, "number": n, **_inputs(section, row.prefix, row.values,
                                                            errors, fields)}
             for n, row in enumerate(rows, 1)]
    template = blank_row(section, 0)
    return {"name": section.name, "label": fields["__label__"], "rows": drawn,
            "errors": errors.get(section.name, []),
            "next": max((r.index or 0 for r in rows), default=-1) + 1,
            "numbering": section.numbering,
            "template": {"prefix": TEMPLATE_PREFIX, **_inputs(
                section, TEMPLATE_PREFIX, template.values, {}, fields)}}


def _translated(section: Section) -> dict[str, dict[str, Any]]:
    from crossings.web.forms.i18n import label_text  # noqa: PLC0415 - per request language

    fields: dict[str, Any] = {f.name: translated(f) for f in section.fields}
    fields["__label__"] = label_text(section.label)
    return fields


def draw_form(values: dict[str, Any], rows: dict[str, list[Row]], errors: Errors,
              units: list[Unit]) -> dict[str, Any]:
    """Everything the incident template needs, in the reader's language."""
    own, *children = incident_sections()
    own_fields = _translated(own)
    own_fields["reporting_unit"]["choices"] = [(u.code, f"{u.code} — {u.name}") for u in units]
    return {"incident": _inputs(own, "", values, errors, own_fields),
            "sections": [_child(s, rows.get(s.name, []), errors, _translated(s))
                         for s in children],
            "datalists": {name: choices(name) for name in DATALISTS},
            "general_errors": errors.get("", [])}


def add_row(rows: dict[str, list[Row]], name: str) -> None:
    """A new blank row at the end of a section (the no-script "add" button)."""
    section = next((s for s in incident_sections()[1:] if s.name == name), None)
    if section is None:
        return
    existing = rows.setdefault(name, [])
    index = max((r.index or 0 for r in existing), default=-1) + 1
    row = blank_row(section, index)
    if section.numbering:
        row.values[section.numbering] = str(len(existing) + 1)
    existing.append(row)
