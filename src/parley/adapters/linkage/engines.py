"""The two Splink backends: DuckDB in process (default) and Spark in local mode.

Spark is slow to start (~10 s), so one session is kept per process and reused.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from parley.errors import N_, InvalidInput

ENGINES: tuple[str, ...] = ("duckdb", "spark")
DUCKDB_MEMORY_LIMIT = os.environ.get("PARLEY_DUCKDB_MEMORY_LIMIT", "3GB")
_spark_session: Any = None


def spark_session() -> Any:
    """A local[2] Spark session with Splink's similarity UDF jar and a checkpoint directory."""
    global _spark_session
    if _spark_session is not None:
        return _spark_session
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)  # type: ignore[attr-defined]
    session = (
        SparkSession.builder.master("local[2]")
        .appName("parley-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "3g")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="parley-spark-"))
    _spark_session = session
    return session


def _drop_previous_views(session: Any) -> None:
    """Forget the temporary views an earlier run left in the process's one Spark session.

    Unlike a DuckDB connection, the Spark session outlives a run, and Splink refuses to register
    a table whose name exists already, so a second run in the same process would fail.
    """
    for table in session.catalog.listTables():
        if table.isTemporary and table.name.startswith(("parley_", "__splink")):
            session.catalog.dropTempView(table.name)


def db_api(engine: str) -> Any:
    """A fresh Splink database API for ``engine``."""
    if engine == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        # A bounded memory limit makes DuckDB spill to disk instead of growing past what a
        # shared machine can give; temp files go to the system temp directory.
        connection = duckdb.connect(
            config={"memory_limit": DUCKDB_MEMORY_LIMIT, "temp_directory": tempfile.gettempdir()}
        )
        return DuckDBAPI(connection)
    if engine == "spark":
        from splink import SparkAPI

        session = spark_session()
        _drop_previous_views(session)
        spark_api: Any = SparkAPI
        return spark_api(spark_session=session, num_partitions_on_repartition=8)
    raise InvalidInput(N_("unknown engine '%(engine)s' (expected one of: %(engines)s)"),
                       engine=engine, engines=", ".join(ENGINES))


def for_scoring(api: Any) -> None:
    """Let DuckDB write blocked and scored pairs in any order from here on.

    Keeping insertion order makes DuckDB hold a large join's output in order before it can
    spill; scoring does not need it (the pipeline orders its result itself). Training keeps
    the order, since random sampling of pairs reads the table in order.
    """
    con = getattr(api, "duckdb_con", None)
    if con is not None:
        con.execute("SET preserve_insertion_order = false")


def close(api: Any) -> None:
    """Hand a finished DuckDB connection's memory back now, not when the garbage collector
    finds the API object (a Spark session is kept for the next run)."""
    con = getattr(api, "duckdb_con", None)
    if con is not None:
        con.close()
