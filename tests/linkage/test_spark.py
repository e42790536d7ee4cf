"""The same model on Spark (local[2]): trained on DuckDB, applied on Spark, same identities."""

from __future__ import annotations

import shutil

import pytest

from crossings.linkage.pipeline import link_persons

pyspark = pytest.importorskip("pyspark")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (SparkSession.builder.master("local[2]").appName("crossings-linkage-test")
               .config("spark.jars", similarity_jar_location())
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.ui.enabled", "false").getOrCreate())
    yield session
    session.stop()


def test_spark_gives_the_identities_duckdb_gives(spark, persons, trained):
    from crossings.linkage.backends import SparkBackend

    sample = persons.slice(0, 600)
    on_duckdb = link_persons(sample, trained)
    on_spark = link_persons(sample, trained, backend=SparkBackend(spark, num_partitions=4))
    assert on_spark.identities == on_duckdb.identities
