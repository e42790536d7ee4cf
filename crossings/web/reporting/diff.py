"""What changed between two versions of a record's document, field by field."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

MISSING: Any = object()


@dataclass(frozen=True)
class FieldChange:
    """One difference: ``path`` like ``migrant_groups[0].total``; ``kind`` added, removed or
    changed; the old and new values (None when absent)."""

    path: str
    kind: str
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def diff_documents(old: Any, new: Any, path: str = "") -> list[FieldChange]:
    """Every difference between two JSON documents, in a stable order (keys sorted, rows by
    position)."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[FieldChange] = []
        for key in sorted(set(old) | set(new)):
            changes += _diff_value(old.get(key, MISSING), new.get(key, MISSING),
                                   f"{path}.{key}" if path else str(key))
        return changes
    if isinstance(old, list) and isinstance(new, list) and _rows(old) and _rows(new):
        changes = []
        for i in range(max(len(old), len(new))):
            changes += _diff_value(old[i] if i < len(old) else MISSING,
                                   new[i] if i < len(new) else MISSING, f"{path}[{i}]")
        return changes
    return [] if old == new else [FieldChange(path, "changed", old, new)]


def _rows(value: list[Any]) -> bool:
    return all(isinstance(item, dict) for item in value)


def _diff_value(old: Any, new: Any, path: str) -> list[FieldChange]:
    if old is MISSING:
        return [FieldChange(path, "added", None, new)]
    if new is MISSING:
        return [FieldChange(path, "removed", old, None)]
    return diff_documents(old, new, path)
