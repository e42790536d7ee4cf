"""Capture-history tables: how many people were seen on which combination of lists.

A table has one 0/1 column per list and a count column. Internally the counts are kept
as a dense vector over every non-empty capture pattern, indexed by bitmask (bit ``j`` set
when the person is on list ``j``), so that cell ``c`` is at position ``c - 1``. The
all-zero pattern (people on no list) is the unknown that estimation is about, so it is
never stored.

Input problems are collected, not raised one by one: a :class:`TableError` carries
every :class:`Problem` found, and its message is one line naming the source, row,
column and value of the first problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

MAX_LISTS = 12
"""Largest number of lists accepted (4,095 capture patterns)."""

COUNT_NAMES = frozenset(
    {"count", "counts", "n", "freq", "frequency", "number", "cases", "total", "persons"}
)
"""Column names recognised as the count column when none is named explicitly."""

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input table.

    Attributes:
        message: What is wrong, in words an officer understands.
        row: Spreadsheet-style row number (the header is row 1), when one row is at fault.
        column: Column name, when one column is at fault.
        value: The offending value as text.
    """

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def describe(self) -> str:
        """Return the problem as ``row 4, column 'B': value '2' ...`` text."""
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        value = f"value {self.value!r} " if self.value is not None else ""
        text = f"{value}{self.message}"
        return f"{prefix}: {text}" if prefix else text


class TableError(ValueError):
    """A capture-history table could not be read; carries every problem found."""

    def __init__(self, problems: Sequence[Problem], source: str = "table") -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """One line naming the source and the first problem, counting the others."""
        first = self.problems[0].describe() if self.problems else "unreadable table"
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        return f"{self.source}: {first}{tail}"


@dataclass(frozen=True, eq=False)
class CaptureTable:
    """Counts of people by capture pattern over a fixed set of lists.

    Attributes:
        lists: List names, in column order; list ``j`` is bit ``j`` of a pattern.
        cells: Counts for patterns ``1 .. 2**m - 1`` (position ``c - 1`` holds pattern ``c``).
    """

    lists: tuple[str, ...]
    cells: IntArray

    @property
    def n_lists(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def observed(self) -> int:
        """Number of distinct people seen on at least one list."""
        return int(self.cells.sum())

    def observed_patterns(self) -> IntArray:
        """Bitmasks of the patterns with a positive count, in increasing order."""
        return np.flatnonzero(self.cells) + 1

    def list_totals(self) -> dict[str, int]:
        """Number of people on each list."""
        masks = np.arange(1, len(self.cells) + 1)
        return {
            name: int(self.cells[(masks >> j) & 1 == 1].sum()) for j, name in enumerate(self.lists)
        }

    def overlap(self, first: int, second: int) -> int:
        """Number of people on both list ``first`` and list ``second`` (any others too)."""
        pair = (1 << first) | (1 << second)
        masks = np.arange(1, len(self.cells) + 1)
        return int(self.cells[(masks & pair) == pair].sum())

    def with_cells(self, cells: IntArray) -> CaptureTable:
        """The same lists with other counts (used by resampling)."""
        return CaptureTable(self.lists, np.asarray(cells, dtype=np.int64))

    def to_frame(self) -> pd.DataFrame:
        """The observed patterns as a DataFrame: one 0/1 column per list and ``count``."""
        masks = self.observed_patterns()
        data = {name: (masks >> j) & 1 for j, name in enumerate(self.lists)}
        data["count"] = self.cells[masks - 1]
        return pd.DataFrame(data)

    @classmethod
    def from_patterns(
        cls, lists: Sequence[str], patterns: npt.ArrayLike, counts: npt.ArrayLike
    ) -> CaptureTable:
        """Build a table from 0/1 pattern rows and their counts (duplicates are summed).

        Args:
            lists: List names.
            patterns: Array of shape (rows, lists) holding 0 or 1.
            counts: Non-negative counts, one per row.
        """
        pattern_array = np.asarray(patterns, dtype=np.int64).reshape(-1, len(lists))
        masks = pattern_array @ (1 << np.arange(len(lists), dtype=np.int64))
        cells = np.zeros((1 << len(lists)) - 1, dtype=np.int64)
        count_array = np.asarray(counts, dtype=np.int64)
        keep = masks > 0
        np.add.at(cells, masks[keep] - 1, count_array[keep])
        return cls(tuple(lists), cells)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        count_column: str | None = None,
        exclude: Sequence[str] = (),
        source: str = "table",
    ) -> CaptureTable:
        """Build a table from a DataFrame, checking every cell.

        Args:
            frame: One 0/1 column per list and a count column.
            count_column: Name of the count column; found by name or position if omitted.
            exclude: Columns that are neither lists nor the count (e.g. a stratum column).
            source: Name used in error messages (usually the file name).

        Raises:
            TableError: Carrying every problem found.
        """
        lists, _, patterns, counts = parse_frame(frame, count_column, exclude, source)
        return cls.from_patterns(lists, patterns, counts)

    @classmethod
    def from_csv(cls, path: str | Path, count_column: str | None = None) -> CaptureTable:
        """Read a table from a CSV file (see :func:`read_csv`)."""
        return cls.from_frame(read_csv(path), count_column, source=str(path))


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV as text so that every cell can be checked, or raise a one-line error."""
    file = Path(path)
    if not file.is_file():
        raise TableError([Problem("file not found")], source=str(path))
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else "not a readable CSV file"
        raise TableError([Problem(f"not a readable CSV file ({message})")], str(path)) from exc
    return frame


def parse_frame(
    frame: pd.DataFrame,
    count_column: str | None,
    exclude: Sequence[str],
    source: str,
) -> tuple[list[str], str, IntArray, IntArray]:
    """Check a frame and split it into list names, count name, 0/1 patterns and counts.

    Raises:
        TableError: Carrying every problem found (structure problems stop early,
            because cell checks make no sense without a count column).
    """
    columns = [str(c) for c in frame.columns]
    missing = [c for c in exclude if c not in columns]
    if missing:
        raise TableError([Problem("column not found", column=c) for c in missing], source)
    count_name = _find_count_column(frame, columns, count_column, exclude, source)
    lists = [c for c in columns if c != count_name and c not in exclude]
    problems = _structure_problems(lists)
    if problems:
        raise TableError(problems, source)
    patterns, pattern_problems = _parse_patterns(frame, lists)
    counts, count_problems = _parse_counts(frame[count_name], count_name)
    problems = pattern_problems + count_problems
    if not problems:
        problems = _content_problems(patterns, counts, lists)
    if problems:
        raise TableError(problems, source)
    return lists, count_name, patterns, counts


def _find_count_column(
    frame: pd.DataFrame,
    columns: list[str],
    count_column: str | None,
    exclude: Sequence[str],
    source: str,
) -> str:
    """Name the count column: the one given, one with a count-like name, or the last."""
    if count_column is not None:
        if count_column not in columns:
            raise TableError([Problem("count column not found", column=count_column)], source)
        return count_column
    candidates = [c for c in columns if c not in exclude]
    named = [c for c in candidates if c.strip().lower() in COUNT_NAMES]
    if len(named) == 1:
        return named[0]
    if candidates:
        last = candidates[-1]
        values = pd.to_numeric(frame[last], errors="coerce")
        if (values > 1).any():
            return last
    hint = "name it one of count, n, freq (or pass the count column name)"
    raise TableError([Problem(f"no count column found; {hint}")], source)


def _structure_problems(lists: list[str]) -> list[Problem]:
    """Problems with the number of list columns."""
    if len(lists) > MAX_LISTS:
        message = f"{len(lists)} list columns; at most {MAX_LISTS} lists are supported"
        return [Problem(message)]
    if len(lists) < 2:
        return [Problem(f"{len(lists)} list column(s); at least 2 lists are needed")]
    return []


def _parse_patterns(frame: pd.DataFrame, lists: list[str]) -> tuple[IntArray, list[Problem]]:
    """Read the list columns as 0/1, collecting every cell that is not 0 or 1."""
    problems: list[Problem] = []
    patterns = np.zeros((len(frame), len(lists)), dtype=np.int64)
    for j, name in enumerate(lists):
        text = frame[name].astype(str).str.strip()
        values = pd.to_numeric(text, errors="coerce")
        bad = ~values.isin([0, 1])
        for position in np.flatnonzero(bad.to_numpy()):
            value = str(text.iloc[position])
            problems.append(Problem("is not 0 or 1", int(position) + 2, name, value))
        patterns[:, j] = values.where(~bad, 0).to_numpy(dtype=np.int64)
    return patterns, problems


def _parse_counts(column: pd.Series, name: str) -> tuple[IntArray, list[Problem]]:
    """Read the count column, collecting every value that is not a whole number >= 0."""
    text = column.astype(str).str.strip()
    values = pd.to_numeric(text, errors="coerce")
    whole = values.notna() & (values >= 0) & (values == values.round())
    problems = [
        Problem("is not a whole number of people >= 0", int(row) + 2, name, text.iloc[row])
        for row in np.flatnonzero(~whole.to_numpy())
    ]
    return values.where(whole, 0).to_numpy(dtype=np.int64), problems


def _content_problems(patterns: IntArray, counts: IntArray, lists: list[str]) -> list[Problem]:
    """Problems with what the table says: unobservable rows, nobody observed."""
    problems = [
        Problem("a row on no list cannot have been observed; its count must be 0", int(row) + 2)
        for row in np.flatnonzero((patterns.sum(axis=1) == 0) & (counts > 0))
    ]
    if not problems and counts.sum() == 0:
        problems.append(Problem("nobody observed: every count is 0"))
    return problems
