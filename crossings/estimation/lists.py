"""Capture histories from list memberships: who was on which list.

Multiple systems estimation starts from *lists* -- each a source (an agency, a unit, a
list type) within a period -- and the people on them, recognised across lists by one
identity. This module turns membership rows ``(list, identity[, stratum])`` into the
capture-history table that :class:`~crossings.estimation.table.CaptureTable` and
:func:`~crossings.estimation.cli.estimate_frame` read: one 0/1 column per list, a
``count`` column and, when strata are given, a stratum column.

Pure: no Django. The record store's side (which persons, which identities) lives in
``crossings.web.intelligence.estimates``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from crossings.estimation.table import MAX_LISTS, Problem, TableError

COUNT = "count"
"""Name of the count column of the tables made here."""


@dataclass(frozen=True)
class Membership:
    """One person (by identity) seen on one list.

    Attributes:
        list_id: The list (e.g. a unit code).
        identity: The person's identity, the same on every list they are on.
        stratum: The person's stratum value (citizenship, sex, ...), if estimating by stratum.
    """

    list_id: str
    identity: str
    stratum: str | None = None


Row = Membership | tuple[str, str] | tuple[str, str, str | None]


def capture_histories(
    rows: Iterable[Row],
    lists: Sequence[str] | None = None,
    *,
    by: str | None = None,
    source: str = "lists",
) -> pd.DataFrame:
    """The capture-history table of the memberships: one row per observed pattern.

    Args:
        rows: Memberships, or ``(list_id, identity[, stratum])`` tuples. A person listed
            twice on one list counts once.
        lists: The lists, in column order; by default the lists met, in order of first
            appearance. A list named here with nobody on it is an error, not a zero column.
        by: Name of the stratum column. Each identity gets the stratum value it has most
            often over its memberships (ties: the first in sort order); rows without a
            value go to ``UNKNOWN``.
        source: Name used in error messages.

    Returns:
        A DataFrame with one 0/1 column per list, the stratum column (when ``by``) and
        ``count``, sorted by stratum and pattern.

    Raises:
        TableError: Fewer than 2 lists, more than the supported number, a list with nobody
            on it, a row naming an unknown list, or an empty identity or list.
    """
    members = [_as_membership(row) for row in rows]
    names = list(lists) if lists is not None else list(dict.fromkeys(m.list_id for m in members))
    _check(members, names, source)
    position = {name: j for j, name in enumerate(names)}
    patterns: dict[str, list[int]] = {}
    strata: dict[str, Counter[str]] = {}
    for member in members:
        pattern = patterns.setdefault(member.identity, [0] * len(names))
        pattern[position[member.list_id]] = 1
        if by is not None:
            value = member.stratum if member.stratum not in (None, "") else "UNKNOWN"
            strata.setdefault(member.identity, Counter())[str(value)] += 1
    frame = pd.DataFrame(list(patterns.values()), columns=names, dtype="int64")
    keys = list(names)
    if by is not None:
        frame.insert(0, by, [_mode(strata[i]) for i in patterns])
        keys = [by, *names]
    table = frame.groupby(keys, sort=True).size().reset_index(name=COUNT)
    order = [True] * (len(keys) - len(names)) + [False] * len(names)
    return table.sort_values(keys, ascending=order, ignore_index=True)


def _as_membership(row: Row) -> Membership:
    if isinstance(row, Membership):
        return row
    list_id, identity, *rest = row
    stratum = rest[0] if rest else None
    return Membership(str(list_id), str(identity), None if stratum is None else str(stratum))


def _check(members: list[Membership], names: list[str], source: str) -> None:
    """Collect every problem with the memberships and raise them together."""
    problems: list[Problem] = []
    if len(names) < 2:
        problems.append(Problem(f"{len(names)} list(s); at least 2 lists are needed"))
    if len(names) > MAX_LISTS:
        problems.append(Problem(f"{len(names)} lists; at most {MAX_LISTS} are supported"))
    if len(set(names)) != len(names):
        problems.append(Problem("a list is named twice"))
    known = set(names)
    seen = Counter(m.list_id for m in members if m.list_id in known)
    problems += [Problem("nobody is on this list", column=name) for name in names
                 if not seen[name]]
    unknown = sorted({m.list_id for m in members} - known)
    problems += [Problem("a membership names a list that is not among the lists",
                         column=name) for name in unknown]
    if any(not m.identity or not m.list_id for m in members):
        problems.append(Problem("a membership has an empty list or identity"))
    if problems:
        raise TableError(problems, source)


def _mode(values: Counter[str]) -> str:
    """The most frequent value; ties go to the first in sort order."""
    return min(values.items(), key=lambda item: (-item[1], item[0]))[0]
