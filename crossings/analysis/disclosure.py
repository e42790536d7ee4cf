"""Disclosure control: the one gate every table passes before it crosses a sharing boundary.

A table is a set of cells (interior cells and their margins) bound by additive relations
(``total = sum of parts``). Protection, in order:

1. **primary suppression**: a cell counting 1 to ``threshold - 1`` (default 10), or resting on
   fewer than ``min_incidents`` incidents, is suppressed; zeros are published (an empty cell
   says nothing about a person).
2. **secondary suppression**: no relation may be left with exactly one suppressed cell
   (differencing), and every suppressed cell must stay uncertain to an attacker who knows every
   published cell and every relation: the interval of values it can take, computed by linear
   programming (``scipy.optimize.linprog``, minimising and maximising the cell subject to the
   relations and non-negativity), must be at least ``protection`` wide (default: the
   threshold). While a cell is not, the smallest published cell of one of its relations is
   suppressed too, and the audit starts again.
3. **rounding**: published counts are rounded to the nearest multiple of ``base`` (default 5),
   margins independently (so released tables need not add up exactly).

The audit runs on the unrounded published values, i.e. against an attacker who knows more than
the release shows; rounding only widens the intervals.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

Key = tuple[Hashable, ...]
TOTAL = "_T"


@dataclass(frozen=True)
class Rules:
    """The disclosure rules of a release."""

    threshold: int = 10
    base: int = 5
    min_incidents: int = 3
    protection: int | None = None  # width of the interval a suppressed cell must keep

    @property
    def width(self) -> int:
        return self.threshold if self.protection is None else self.protection


@dataclass
class Table:
    """Cells and the additive relations between them."""

    cells: dict[Key, int]
    relations: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)
    n_incidents: dict[Key, int] | None = None


@dataclass
class Protected:
    """The outcome: which cells are suppressed and why, and the released (rounded) values."""

    table: Table
    primary: set[Key]
    secondary: set[Key]
    released: dict[Key, int | None]
    released_n: dict[Key, int | None]

    @property
    def suppressed(self) -> set[Key]:
        return self.primary | self.secondary


def round_to(value: int, base: int) -> int:
    """Round half up to the nearest multiple of ``base``."""
    return int(base * ((value + base / 2) // base)) if base > 1 else value


# -- building tables with their margins --------------------------------------------------------
def cube(cells: dict[Key, int], *, additive_axes: Sequence[bool] | None = None,
         n_incidents: dict[Key, int] | None = None) -> Table:
    """A k-way table with every margin (``_T``) along each additive axis, and its relations.

    Combinations absent from ``cells`` are zeros. Margins of ``n_incidents`` are summed the
    same way (exact when each incident falls in one cell).
    """
    if not cells:
        return Table({}, [], {} if n_incidents is not None else None)
    k = len(next(iter(cells)))
    axes = list(additive_axes) if additive_axes is not None else [True] * k
    codes = [sorted({key[a] for key in cells}, key=str) for a in range(k)]
    levels = [[*c, TOTAL] if axes[a] else c for a, c in enumerate(codes)]
    full: dict[Key, int] = {}
    full_n: dict[Key, int] = {}
    for key in itertools.product(*levels):
        parts = [tuple(p) for p in itertools.product(*[
            [key[a]] if key[a] != TOTAL else codes[a] for a in range(k)])]
        full[key] = sum(cells.get(p, 0) for p in parts)
        if n_incidents is not None:
            full_n[key] = sum(n_incidents.get(p, 0) for p in parts)
    relations: list[tuple[Key, tuple[Key, ...]]] = []
    for key in full:
        for a in range(k):
            if key[a] == TOTAL:
                members = tuple((*key[:a], code, *key[a + 1:]) for code in codes[a])
                relations.append((key, members))
    return Table(full, relations, full_n if n_incidents is not None else None)


def hierarchy(leaves: dict[Key, int], n_incidents: dict[Key, int] | None = None) -> Table:
    """Nested totals: a leaf key is a path (region, country, unit); every prefix is a total.

    The grand total has the key ``()``.
    """
    cells: dict[Key, int] = {}
    counts: dict[Key, int] = {}
    children: dict[Key, set[Key]] = {}
    for path, value in leaves.items():
        for depth in range(len(path) + 1):
            prefix = path[:depth]
            cells[prefix] = cells.get(prefix, 0) + value
            if n_incidents is not None:
                counts[prefix] = counts.get(prefix, 0) + n_incidents.get(path, 0)
            if depth < len(path):
                children.setdefault(prefix, set()).add(path[:depth + 1])
    relations = [(parent, tuple(sorted(kids, key=str))) for parent, kids in children.items()]
    return Table(cells, relations, counts if n_incidents is not None else None)


# -- the attacker's view: feasible intervals ---------------------------------------------------
def feasible_intervals(table: Table, hidden: set[Key],
                       known: dict[Key, float] | None = None) -> dict[Key, tuple[float, float]]:
    """For each hidden cell, the least and greatest value consistent with what is published.

    ``known`` gives the published values (default: the table's own, i.e. exact knowledge).
    """
    known = known if known is not None else {k: v for k, v in table.cells.items()
                                             if k not in hidden}
    order = sorted(hidden, key=str)
    index = {key: i for i, key in enumerate(order)}
    rows, rhs = [], []
    for total, parts in table.relations:
        members = [(total, 1.0)] + [(p, -1.0) for p in parts]
        if not any(m in index for m, _ in members):
            continue
        row = np.zeros(len(order))
        constant = 0.0
        for member, sign in members:
            if member in index:
                row[index[member]] += sign
            else:
                constant += sign * known[member]
        rows.append(row)
        rhs.append(-constant)
    return {key: _bounds(index[key], len(order), rows, rhs) for key in order}


def _bounds(i: int, n: int, rows: list[np.ndarray], rhs: list[float]) -> tuple[float, float]:
    objective = np.zeros(n)
    objective[i] = 1.0
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * n, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * n, method="highs")
    lower = float(low.fun) if low.status == 0 else 0.0
    upper = float(-high.fun) if high.status == 0 else float("inf")
    return lower, upper


# -- protection --------------------------------------------------------------------------------
def primary_cells(table: Table, rules: Rules) -> set[Key]:
    """Cells that are too small by themselves."""
    small = {k for k, v in table.cells.items() if 0 < v < rules.threshold}
    if table.n_incidents is not None:
        small |= {k for k, n in table.n_incidents.items()
                  if 0 < n < rules.min_incidents and table.cells.get(k, 0) > 0}
    return small


def _candidates(table: Table, key: Key, suppressed: set[Key]) -> list[Key]:
    """Published cells sharing a relation with ``key``, best first (small, interior, non-zero)."""
    found: set[Key] = set()
    for total, parts in table.relations:
        members = (total, *parts)
        if key in members:
            found |= {m for m in members if m not in suppressed}
    return sorted(found, key=lambda m: (table.cells[m] == 0, TOTAL in m or m == (),
                                        table.cells[m], str(m)))


def _anywhere(table: Table, suppressed: set[Key]) -> list[Key]:
    """Any published cell, smallest non-zero first (the last resort; ends with all hidden)."""
    rest = [k for k in table.cells if k not in suppressed]
    return sorted(rest, key=lambda m: (table.cells[m] == 0, table.cells[m], str(m)))


def _lonely(table: Table, suppressed: set[Key]) -> list[Key]:
    """Suppressed cells alone in one of their relations (recoverable by differencing)."""
    found: list[Key] = []
    for total, parts in table.relations:
        hidden = [m for m in (total, *parts) if m in suppressed]
        if len(hidden) == 1 and hidden[0] not in found:
            found.append(hidden[0])
    return found


def _weak(table: Table, suppressed: set[Key], rules: Rules) -> list[Key]:
    """Suppressed cells whose feasible interval is narrower than the protection width."""
    if not suppressed:
        return []
    found = [key for key, (low, high) in sorted(feasible_intervals(table, suppressed).items(),
                                                key=lambda kv: str(kv[0]))
             if high - low < rules.width - 1e-9]
    if not found and table.n_incidents is not None:
        counts = Table(table.n_incidents, table.relations)
        found = [key for key, (low, high) in feasible_intervals(counts, suppressed).items()
                 if table.cells[key] > 0 and high - low < rules.min_incidents - 1e-9]
    return found


def _still_lonely(table: Table, key: Key, suppressed: set[Key]) -> bool:
    return any(key in (total, *parts) and sum(m in suppressed for m in (total, *parts)) == 1
               for total, parts in table.relations)


def protect(table: Table, rules: Rules | None = None) -> Protected:
    """Suppress (primary, then secondary until the audit passes) and round.

    Each round protects every exposed cell found by the audit at once (one more cell
    suppressed for each), then audits again: fewer linear programs than one cell per round,
    at the price of an occasional extra suppression.
    """
    rules = rules or Rules()
    primary = primary_cells(table, rules)
    suppressed = set(primary)
    while True:
        lonely = _lonely(table, suppressed)
        exposed = lonely or _weak(table, suppressed, rules)
        added = False
        for key in exposed:
            if lonely and not _still_lonely(table, key, suppressed):
                continue
            extra = _candidates(table, key, suppressed) or _anywhere(table, suppressed)
            if extra:
                suppressed.add(extra[0])
                added = True
        if not added:
            break  # protected, or everything is suppressed
    released = {k: None if k in suppressed else round_to(v, rules.base)
                for k, v in table.cells.items()}
    counts = table.n_incidents or {}
    released_n = {k: None if k in suppressed else round_to(counts[k], rules.base)
                  for k in counts}
    return Protected(table, primary, suppressed - primary, released, released_n)


def recoverable(table: Table, released: dict[Key, int | None], rules: Rules,
                base: int | None = None) -> list[Key]:
    """Suppressed cells an attacker can pin down from a release (used by tests and audits).

    The attacker knows each published value up to rounding (±``base``/2) and every relation.
    """
    hidden = {k for k, v in released.items() if v is None}
    if not hidden:
        return []
    half = (base if base is not None else rules.base) // 2
    known = {k: float(v) for k, v in released.items() if v is not None}
    exact = feasible_intervals(table, hidden, known) if half == 0 else _rounded_bounds(
        table, hidden, known, half)
    return [k for k, (low, high) in exact.items() if high - low < rules.width - 1e-9]


def _rounded_bounds(table: Table, hidden: set[Key], known: dict[Key, float],
                    half: int) -> dict[Key, tuple[float, float]]:
    """Intervals when published cells are only known within ±half (they become variables)."""
    keys = sorted(table.cells, key=str)
    index = {k: i for i, k in enumerate(keys)}
    rows = []
    for total, parts in table.relations:
        row = np.zeros(len(keys))
        row[index[total]] = 1.0
        for p in parts:
            row[index[p]] -= 1.0
        rows.append(row)
    bounds = [(max(0.0, known[k] - half), known[k] + half) if k in known else (0, None)
              for k in keys]
    out = {}
    for key in hidden:
        c = np.zeros(len(keys))
        c[index[key]] = 1.0
        a_eq = np.array(rows) if rows else None
        b_eq = np.zeros(len(rows)) if rows else None
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        out[key] = (float(low.fun) if low.status == 0 else 0.0,
                    float(-high.fun) if high.status == 0 else float("inf"))
    return out


def flatten_keys(keys: Iterable[Key]) -> list[str]:
    """Readable keys for messages."""
    return [" / ".join(str(p) for p in key) or TOTAL for key in keys]
