"""Records drawn for reading: every field with its label and its value in the reader's
language, child rows as numbered blocks, and the version history with what changed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from crossings.standard.model import Field, load_standard
from crossings.web.forms.i18n import code_label, label_text
from crossings.web.reporting.models import Record, RecordVersion
from crossings.web.reporting.workflow import record_changes

PATH_PART = re.compile(r"^(?P<name>[a-z_0-9]+)(?:\[(?P<index>\d+)\])?$")
HISTORY_SHOWN = 30


def value_text(fld: Field | None, value: Any) -> str:
    """A stored value as words: code labels for codes, several values joined."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value_text(fld, v) for v in value)
    if isinstance(value, dict):  # a whole child row added or removed
        return "; ".join(f"{k}: {value_text(None, v)}" for k, v in value.items()
                         if k != "incident_ref")
    if fld is not None and fld.codelist:
        return code_label(fld.codelist, str(value))
    return str(value)


def _pairs(record_type: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    rtype = load_standard().record_type(record_type)
    return [(label_text(fld.label), value_text(fld, data[name]))
            for name, fld in rtype.fields.items()
            if data.get(name) not in (None, "", []) and not (rtype.parent and
                                                           name == "incident_ref")]


def record_view(record_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The record's own fields and its child sections, labelled."""
    standard = load_standard()
    sections = []
    for child_name in standard.children.get(record_type, ()):
        child = standard.record_type(child_name)
        rows = [_pairs(child_name, row) for row in data.get(child.plural) or []]
        if rows:
            sections.append({"label": label_text(child.label), "rows": rows})
    return {"fields": _pairs(record_type, data), "sections": sections}


def change_label(record_type: str, path: str) -> str:
    """``migrant_groups[0].total`` as "Migrant group 1 · Persons in the group"."""
    standard = load_standard()
    rtype = standard.record_type(record_type)
    words = []
    for part in path.split("."):
        match = PATH_PART.match(part)
        if match is None:
            return path
        name, index = match["name"], match["index"]
        child = next((standard.record_type(c) for c in standard.children.get(rtype.name, ())
                      if standard.record_type(c).plural == name), None)
        if child is not None:
            rtype = child
            words.append(label_text(child.label) + (f" {int(index) + 1}" if index else ""))
        elif name in rtype.fields:
            words.append(label_text(rtype.fields[name].label))
        else:
            words.append(name)
    return " · ".join(words)


@dataclass
class VersionView:
    version: RecordVersion
    changes: list[dict[str, str]]


def _change_row(record_type: str, path: str, old: Any, new: Any) -> dict[str, str]:
    fld = _field_at(record_type, path)
    return {"label": change_label(record_type, path), "old": value_text(fld, old),
            "new": value_text(fld, new)}


def _field_at(record_type: str, path: str) -> Field | None:
    standard = load_standard()
    rtype = standard.record_type(record_type)
    last = PATH_PART.match(path.rsplit(".", 1)[-1])
    if last is None:
        return None
    for candidate in (rtype, *(standard.record_type(c)
                               for c in standard.children.get(record_type, ()))):
        if last["name"] in candidate.fields and (candidate is rtype or
                                                 path.startswith(candidate.plural)):
            return candidate.fields[last["name"]]
    return None


def history(record: Record) -> list[VersionView]:
    """The latest versions, newest first, each with the fields it changed."""
    versions = list(record.versions.select_related("user").order_by("-version")
                    [:HISTORY_SHOWN + 1])
    shown = []
    for i, version in enumerate(versions[:HISTORY_SHOWN]):
        before = versions[i + 1] if i + 1 < len(versions) else None
        changes = []
        if before is not None and before.content_hash != version.content_hash:
            changes = [_change_row(record.record_type, c.path, c.old, c.new)
                       for c in record_changes(record, before.version, version.version)]
        shown.append(VersionView(version, changes))
    return shown
