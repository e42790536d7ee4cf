"""The analytical store: a DuckDB file of flat tables derived from approved records.

It is derived data. ``rebuild`` writes a new file from every analysable record and swaps it in
whole (readers never see half a store; a failed rebuild leaves the old one). ``refresh`` keeps it
current record by record: a record whose ``(uid, version)`` is already stored is skipped, a new
or revised one replaces every row of its uid, and a withdrawn or deleted one is removed. Rows go
in through Arrow tables (DuckDB's bulk path), never row by row.

No Django here: the web app (``crossings.web.dashboards``) hands in plain records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from crossings.analysis.flatten import Columns, SourceRecord, flatten
from crossings.analysis.fx import load_rates
from crossings.analysis.schema import SCHEMA_VERSION, TABLES, create_sql

ARROW_TYPES: dict[str, pa.DataType] = {
    "UUID": pa.string(), "VARCHAR": pa.string(), "SMALLINT": pa.int16(), "TINYINT": pa.int8(),
    "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "DATE": pa.date32(),
    "VARCHAR[]": pa.list_(pa.string())}
CHUNK = 50_000
LOCK_WAIT_SECONDS = 10.0
VERSIONED = ("incidents", "aggregate_returns")
"""Tables with one row per record, holding its version."""


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did."""

    upserted: int
    removed: int
    unchanged: int
    seconds: float


def _arrow(columns: dict[str, list[Any]], table: str) -> pa.Table:
    """One table's gathered columns as an Arrow table of the store's types."""
    arrays = {}
    for name, kind in TABLES[table]:
        values = columns[name]
        if kind == "UUID":
            values = [str(v) for v in values]
        arrays[name] = pa.array(values, ARROW_TYPES[kind])
    return pa.table(arrays)


def _insert(con: duckdb.DuckDBPyConnection, gathered: Columns) -> None:
    """Bulk-insert every table's gathered rows."""
    for table in TABLES:
        if gathered.size(table):
            staged = _arrow(gathered.data[table], table)
            con.register("staged", staged)
            con.execute(f'INSERT INTO "{table}" SELECT * FROM staged')  # noqa: S608 (names are ours)
            con.unregister("staged")


ALIAS = "store"
_ENGINE_LOCK = threading.Lock()
_ENGINES: dict[int, duckdb.DuckDBPyConnection] = {}


def _engine() -> duckdb.DuckDBPyConnection:
    """This process's in-memory DuckDB instance (a new one after a fork)."""
    pid = os.getpid()
    if pid not in _ENGINES:
        _ENGINES.clear()
        _ENGINES[pid] = duckdb.connect(":memory:")
    return _ENGINES[pid]


def _quoted(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def _uid(value: uuid.UUID | str) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


class AnalyticsStore:
    """A DuckDB analytical store at ``path`` (``":memory:"`` for tests)."""

    def __init__(self, path: Path | str):
        self.path = str(path)
        self._memory: duckdb.DuckDBPyConnection | None = None
        if self.path == ":memory:":
            self._memory = duckdb.connect(":memory:")
            self._create(self._memory)

    # -- connections -------------------------------------------------------------------------
    @contextlib.contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the store, attached for this use only.

        Starting a DuckDB instance costs ~20 ms, attaching a file ~1 ms: each process keeps one
        in-memory instance and attaches the file per use, so the file's lock is held only while
        a query or a write runs and other processes (web workers, the CLI) can take turns.
        Waits a little when another process holds the write lock.
        """
        if self._memory is not None:
            yield self._memory
            return
        if not Path(self.path).exists():
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            read_only = False
        with _ENGINE_LOCK:
            cursor = _engine().cursor()
            try:
                self._attach(cursor, read_only)
                try:
                    cursor.execute(f"USE {ALIAS}")
                    if not read_only:
                        self._create(cursor)
                    yield cursor
                finally:
                    cursor.execute("USE memory")
                    cursor.execute(f"DETACH {ALIAS}")
            finally:
                cursor.close()

    def _attach(self, cursor: duckdb.DuckDBPyConnection, read_only: bool) -> None:
        mode = " (READ_ONLY)" if read_only else ""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                cursor.execute(f"ATTACH ? AS {ALIAS}{mode}".replace("?", _quoted(self.path)))
                return
            except duckdb.IOException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @staticmethod
    def _create(con: duckdb.DuckDBPyConnection) -> None:
        for table in TABLES:
            con.execute(create_sql(table))
        con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")

    @staticmethod
    def _stamp(con: duckdb.DuckDBPyConnection, key: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        values = {key: now, "schema_version": SCHEMA_VERSION,
                  "exchange_rates_compiled": str(load_rates().metadata.get("compiled", ""))}
        for name, value in values.items():
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [name, value])

    # -- writing -----------------------------------------------------------------------------
    def rebuild(self, records: Iterable[SourceRecord], chunk: int = CHUNK) -> int:
        """Replace the whole store by the given records; returns the number of records."""
        if self._memory is not None:
            for table in TABLES:
                self._memory.execute(f'DELETE FROM "{table}"')  # noqa: S608
            return self._load(self._memory, records, chunk)
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = target.with_name(f"{target.name}.rebuild-{os.getpid()}")
        fresh.unlink(missing_ok=True)
        con = duckdb.connect(str(fresh))
        try:
            self._create(con)
            count = self._load(con, records, chunk)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        fresh.replace(target)
        Path(f"{target}.wal").unlink(missing_ok=True)
        return count

    def _load(self, con: duckdb.DuckDBPyConnection, records: Iterable[SourceRecord],
              chunk: int) -> int:
        count, iterator = 0, iter(records)
        while batch := list(islice(iterator, chunk)):
            _insert(con, flatten(batch))
            count += len(batch)
        self._stamp(con, "built_at")
        return count

    def refresh(self, records: Iterable[SourceRecord],
                removed: Iterable[uuid.UUID | str] = ()) -> RefreshResult:
        """Upsert changed records and delete removed ones, in one transaction."""
        start = time.perf_counter()
        incoming = {_uid(r.uid): r for r in records}
        gone = {_uid(u) for u in removed} - set(incoming)
        with self.connect() as con:
            stored = self._stored_versions(con, set(incoming) | gone)
            changed = [r for uid, r in incoming.items() if stored.get(uid) != r.version]
            doomed = [uid for uid in gone if uid in stored]
            doomed += [_uid(r.uid) for r in changed if _uid(r.uid) in stored]
            con.execute("BEGIN TRANSACTION")
            try:
                self._delete(con, doomed)
                _insert(con, flatten(changed))
                self._stamp(con, "refreshed_at")
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        return RefreshResult(upserted=len(changed), removed=len([u for u in gone if u in stored]),
                             unchanged=len(incoming) - len(changed),
                             seconds=time.perf_counter() - start)

    @staticmethod
    def _stored_versions(con: duckdb.DuckDBPyConnection, uids: set[str]) -> dict[str, int]:
        if not uids:
            return {}
        con.register("wanted", pa.table({"uid": pa.array(sorted(uids), pa.string())}))
        try:
            rows = con.execute(
                "SELECT CAST(uid AS VARCHAR), version FROM incidents "
                "WHERE uid IN (SELECT CAST(uid AS UUID) FROM wanted) "
                "UNION ALL SELECT CAST(uid AS VARCHAR), version FROM aggregate_returns "
                "WHERE uid IN (SELECT CAST(uid AS UUID) FROM wanted)").fetchall()
        finally:
            con.unregister("wanted")
        return dict(rows)

    @staticmethod
    def _delete(con: duckdb.DuckDBPyConnection, uids: list[str]) -> None:
        if not uids:
            return
        con.register("doomed", pa.table({"uid": pa.array(uids, pa.string())}))
        try:
            for table in TABLES:
                con.execute(f'DELETE FROM "{table}" '  # noqa: S608 (table names are ours)
                            "WHERE uid IN (SELECT CAST(uid AS UUID) FROM doomed)")
        finally:
            con.unregister("doomed")

    # -- reading -----------------------------------------------------------------------------
    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame."""
        with self.connect(read_only=True) as con:
            return con.execute(sql, params or []).fetchdf()

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.connect(read_only=True) as con:
            return {table: int(con.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                               .fetchone()[0])  # type: ignore[index]
                    for table in TABLES}

    def stale(self) -> bool:
        """A store file written with another schema version (it needs a rebuild)."""
        if self._memory is not None or not Path(self.path).exists():
            return False
        return self.meta().get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION

    def meta(self) -> dict[str, str]:
        """When the store was built and refreshed, its schema version and rate table date."""
        with self.connect(read_only=True) as con:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())
