"""Between the posted form and the standard's nested layout, both ways.

Values stay as typed: the standard's validation parses them (digits in Khmer or Thai script,
partial dates, codes), exactly as it does for imported files.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import QueryDict

from crossings.web.forms.schema import Row, Section, incident_sections

CHILD_INPUT = re.compile(r"^(?P<section>[a-z_]+)-(?P<index>\d+)-(?P<field>[a-z_0-9]+)$")
REMOVE = "REMOVE"
MAX_ROWS = 200


def _value(post: QueryDict, name: str, multi: bool) -> Any:
    if multi:
        return [v for v in post.getlist(name) if v.strip()]
    return post.get(name, "").strip()


def _blank(values: dict[str, Any], section: Section) -> bool:
    return all(not values.get(f.name) for f in section.fields if not f.numbering)


def _child_indexes(post: QueryDict, section: Section) -> list[int]:
    found = set()
    for key in post:
        match = CHILD_INPUT.match(key)
        if match and match["section"] == section.name:
            found.add(int(match["index"]))
    return sorted(found)[:MAX_ROWS]


def posted_rows(post: QueryDict, section: Section) -> list[Row]:
    """The rows of one child section as posted (blank and removed rows left out)."""
    rows = []
    for index in _child_indexes(post, section):
        prefix = f"{section.name}-{index}-"
        if post.get(prefix + REMOVE):
            continue
        values = {f.name: _value(post, prefix + f.name, f.widget == "checkboxes")
                  for f in section.fields}
        if not _blank(values, section):
            rows.append(Row(prefix=prefix, index=index, values=values))
    return rows


def posted_incident(post: QueryDict) -> tuple[dict[str, Any], dict[str, list[Row]]]:
    """The incident as the standard's nested data, and the drawn rows of each child section."""
    own, *children = incident_sections()
    data: dict[str, Any] = {f.name: _value(post, f.name, f.widget == "checkboxes")
                            for f in own.fields}
    rows: dict[str, list[Row]] = {}
    for section in children:
        rows[section.name] = posted_rows(post, section)
        if rows[section.name]:
            data[section.name] = [_without_blanks(row.values) for row in rows[section.name]]
    return _without_blanks(data), rows


def _without_blanks(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in ("", [], None)}


def _as_text(value: Any) -> Any:
    if isinstance(value, list):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def stored_rows(data: dict[str, Any]) -> dict[str, list[Row]]:
    """The child rows of a stored incident, ready to be drawn for editing."""
    rows = {}
    for section in incident_sections()[1:]:
        rows[section.name] = [
            Row(prefix=f"{section.name}-{i}-", index=i,
                values={f.name: _as_text(item.get(f.name)) for f in section.fields})
            for i, item in enumerate(data.get(section.name) or [])]
    return rows


def stored_values(data: dict[str, Any]) -> dict[str, Any]:
    """The incident's own values, ready to be drawn."""
    return {f.name: _as_text(data.get(f.name)) for f in incident_sections()[0].fields}


def blank_row(section: Section, index: int) -> Row:
    """A new, empty row; its numbering field holds its position."""
    values: dict[str, Any] = {f.name: [] if f.widget == "checkboxes" else ""
                              for f in section.fields}
    if section.numbering:
        values[section.numbering] = str(index + 1)
    return Row(prefix=f"{section.name}-{index}-", index=index, values=values)
