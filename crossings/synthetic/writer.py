"""Streaming CSV output: one file per country and record type, appended chunk by chunk.

Cells are quoted only when they must be (comma, quote or line break), so the files read like
the spreadsheets officers keep; the bytes depend only on the data, so the same seed gives the
same files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crossings.synthetic import formats as fm

NEEDS_QUOTES = r'[",\r\n]'


def encode(columns: Sequence[pa.Array]) -> memoryview:
    """Rows of the given columns as CSV bytes (UTF-8, comma, ``\\n`` line ends)."""
    cells = []
    for column in columns:
        col = pc.fill_null(fm.text(column), "")
        quoted = fm.join('"', pc.replace_substring(col, '"', '""'), '"')
        cells.append(pc.if_else(pc.match_substring_regex(col, NEEDS_QUOTES), quoted, col))
    return _bytes(fm.join(pc.binary_join_element_wise(*cells, ","), "\n"))


def _bytes(lines: pa.Array) -> memoryview:
    lines = lines.cast(pa.large_string())
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64, count=len(lines) + 1,
                            offset=lines.offset * 8)
    data = lines.buffers()[2]
    if data is None:
        return memoryview(b"")
    return memoryview(data)[int(offsets[0]):int(offsets[-1])]


class CsvFiles:
    """Open CSV files under one directory, written in append mode as chunks arrive."""

    def __init__(self, root: Path):
        self.root = root
        self.rows: Counter[str] = Counter()
        self._files: dict[str, BinaryIO] = {}

    def header(self, relative: str, columns: Sequence[str]) -> None:
        """Create the file with its header row (once)."""
        if relative in self._files:
            return
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("wb")
        handle.write((",".join(columns) + "\n").encode())
        self._files[relative] = handle
        self.rows[relative] += 0

    def write(self, relative: str, columns: Sequence[str], table: dict[str, pa.Array]) -> None:
        """Append rows; fields missing from ``table`` are written empty."""
        self.header(relative, columns)
        n = len(next(iter(table.values())))
        if n == 0:
            return
        arrays = [table.get(c, pa.nulls(n, pa.string())) for c in columns]
        self._files[relative].write(encode(arrays))
        self.rows[relative] += n

    def close(self) -> None:
        """Close every file."""
        for handle in self._files.values():
            handle.close()
        self._files.clear()

    def __enter__(self) -> CsvFiles:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
