"""Dagster resources. All configuration comes from the environment (README, "Configuration"),
so the CLI, `dagster dev` and the daemon read the same settings."""

from __future__ import annotations

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.settings import Settings


class SettingsResource(dg.ConfigurableResource):
    """Gives assets the run's settings. It has no fields on purpose: the pseudonym key must never
    be run configuration, which Dagster stores and shows in its UI."""

    def load(self) -> Settings:
        return Settings.from_env()


def warehouse_resource(settings: Settings) -> DuckDBResource:
    """The warehouse file; DuckDBResource retries while another process holds the write lock."""
    return DuckDBResource(database=str(settings.warehouse_path))
