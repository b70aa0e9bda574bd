"""Dagster resources. All configuration comes from the environment (README, "Configuration"),
read when a run starts, so the CLI, `dagster dev`, the daemon and the tests read the same
settings and a changed environment needs no reload of the code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from pipeline.settings import Settings


class SettingsResource(dg.ConfigurableResource):
    """Gives assets the run's settings. It has no fields on purpose: the pseudonym key must never
    be run configuration, which Dagster stores and shows in its UI."""

    def load(self) -> Settings:
        return Settings.from_env()


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse, `<data-dir>/warehouse/noegletal.duckdb`.

    Connections come from dagster-duckdb's DuckDBResource (it retries while another process
    holds the write lock); the path is resolved when the connection is made, not when the
    definitions are loaded.
    """

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        settings = Settings.from_env()
        settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
        with DuckDBResource(
            database=str(settings.warehouse_path),
            connection_config={"memory_limit": settings.duckdb_memory_limit},
        ).get_connection() as conn:
            # DuckDBResource closes only after a clean exit; a failed step must release the
            # file too, or the next connection in this process is refused.
            try:
                yield conn
            finally:
                conn.close()
