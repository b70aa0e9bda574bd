"""A dbt-duckdb plugin that gives dbt's DuckDB connection the interval functions.

profiles.yml loads it (`plugins: - module: pipeline.dbt.functions`), so the publication
models can call, in SQL:

- `wilson_lower(x, n)`, `wilson_upper(x, n)`: Wilson score limits of the proportion x / n (0-1);
- `poisson_exact_lower(k)`, `poisson_exact_upper(k)`: Garwood's exact limits of a count.

They are vectorised (Arrow) wrappers of `pipeline.publish.intervals`: one implementation for
SQL and for the tests. NULL in gives NULL out.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin

from pipeline.publish.intervals import poisson_exact_interval, wilson_interval

DOUBLE = duckdb.sqltype("DOUBLE")


def _as_float(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)


def _result(values: np.ndarray) -> pa.Array:
    # NaN (no interval) becomes SQL NULL.
    return pa.array(values, type=pa.float64(), mask=np.isnan(values))


def _wilson(side: int) -> Callable[[pa.Array, pa.Array], pa.Array]:
    def limit(x: pa.Array, n: pa.Array) -> pa.Array:
        return _result(wilson_interval(_as_float(x), _as_float(n))[side])

    return limit


def _poisson(side: int) -> Callable[[pa.Array], pa.Array]:
    def limit(k: pa.Array) -> pa.Array:
        return _result(poisson_exact_interval(_as_float(k))[side])

    return limit


def register_interval_functions(conn: duckdb.DuckDBPyConnection) -> None:
    """Register the four interval functions on a DuckDB connection."""
    for name, function, arity in (
        ("wilson_lower", _wilson(0), 2),
        ("wilson_upper", _wilson(1), 2),
        ("poisson_exact_lower", _poisson(0), 1),
        ("poisson_exact_upper", _poisson(1), 1),
    ):
        conn.create_function(
            name,
            function,
            [DOUBLE] * arity,
            DOUBLE,
            type="arrow",
            # The functions see NULLs themselves and return NULL where there is no interval
            # (e.g. 0 of 0), which DuckDB's default handling does not allow.
            null_handling="special",
        )


class Plugin(BasePlugin):
    """Loaded by dbt-duckdb for every connection dbt opens."""

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register_interval_functions(conn)
