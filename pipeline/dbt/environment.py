"""The environment variables a dbt process gets from the pipeline: the warehouse
(profiles.yml), its memory limit, the small-cell threshold (macros/suppression.sql), the
provisional days (macros/provisional.sql) and the run's scope (macros/run_scope.sql). One
function for every dbt call of a run (the builds in pipeline/assets/dbt.py, the docs in
pipeline/dbt/docs.py): dbt parses again whatever reads a variable whose value changed, so
calls that agree can start from each other's parse."""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.scope import dbt_scope_environment
from pipeline.settings import Settings


def dbt_variables(
    settings: Settings, scope: Mapping[str, list[str]] | None = None
) -> dict[str, str]:
    return {
        "NOEGLETAL_WAREHOUSE_PATH": str(settings.warehouse_path),
        "NOEGLETAL_SUPPRESSION_THRESHOLD": str(settings.suppression_threshold),
        "NOEGLETAL_PROVISIONAL_DAYS": str(settings.provisional_days),
        "NOEGLETAL_DUCKDB_MEMORY_LIMIT": settings.duckdb_memory_limit,
        **dbt_scope_environment(scope),
    }
