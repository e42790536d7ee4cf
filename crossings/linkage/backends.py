"""Where Splink computes: DuckDB in-process by default, Spark when one machine is not enough.

A backend only knows how to make Splink's database API and register a prepared table with it;
the model and the comparisons are the same on both.
"""

from __future__ import annotations

import tempfile
from typing import Any, Protocol

import pyarrow as pa
from splink.backends.duckdb import DuckDBAPI


class Backend(Protocol):
    """Something that registers a prepared table with a Splink database API."""

    dialect: str

    def register(self, table: pa.Table, name: str) -> Any:
        """The table as a Splink dataframe, ready for ``Linker``."""
        ...


class DuckDBBackend:
    """In-process DuckDB (the default): one machine, no server.

    Args:
        threads: DuckDB worker threads (default: all cores).
        memory_limit: e.g. ``"6GB"``; DuckDB spills to disk beyond it.
        temp_directory: where it spills.
    """

    dialect = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None,
                 temp_directory: str | None = None) -> None:
        import duckdb  # noqa: PLC0415 - keep the module import-light

        self.connection = duckdb.connect()
        # Splink 5.0.0 writes array lambdas as `x -> ...`, which DuckDB 2 refuses by default.
        self.connection.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")
        for key, value in (("threads", threads), ("memory_limit", memory_limit),
                           ("temp_directory", temp_directory)):
            if value is not None:
                self.connection.execute(f"SET {key} = '{value}'")
        self.api = DuckDBAPI(connection=self.connection)
        self.registered = 0

    def register(self, table: pa.Table, name: str) -> Any:
        """Register an Arrow table (no copy) under a name not used before on this backend."""
        self.registered += 1
        return self.api.register(table, table_name=f"{name}_{self.registered}",
                                 dataset_display_name=name)


class SparkBackend:
    """Spark (local or a cluster) through Splink's SparkAPI.

    Needs ``pyspark`` (``pip install pyspark==4.3.0``) and Java 17. The session is the
    caller's: a deployment configures its cluster, tests use ``local[2]``. It must load
    Splink's similarity functions: ``.config("spark.jars",
    splink.backends.spark.similarity_jar_location())``.
    """

    dialect = "spark"

    def __init__(self, spark: Any, num_partitions: int = 8) -> None:
        from splink.backends.spark import SparkAPI  # noqa: PLC0415 - optional dependency

        if not spark.sparkContext.getCheckpointDir():
            # Splink breaks long lineages with checkpoints; a session may not have a place set.
            spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="crossings-spark-"))
        self.spark = spark
        self.api = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=spark, break_lineage_method="parquet",
                            num_partitions_on_repartition=num_partitions)

    def register(self, table: pa.Table, name: str) -> Any:
        """Copy an Arrow table into a Spark dataframe and register it."""
        self.registered = getattr(self, "registered", 0) + 1
        # An explicit schema: a column with no value at all (no aliases) would be VOID.
        schema = ", ".join(f"`{f.name}` {_spark_type(f.type)}" for f in table.schema)
        frame = self.spark.createDataFrame(table.to_pylist(), schema=schema)
        return self.api.register(frame, table_name=f"{name}_{self.registered}",
                                 dataset_display_name=name)


def _spark_type(arrow: pa.DataType) -> str:
    """The Spark SQL type of an Arrow column of the prepared table."""
    if pa.types.is_list(arrow):
        return f"array<{_spark_type(arrow.value_type)}>"
    if pa.types.is_integer(arrow):
        return "bigint" if arrow.bit_width > 32 else "int"
    if pa.types.is_floating(arrow):
        return "double"
    return "string"
