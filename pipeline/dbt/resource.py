"""The dbt resource the dbt assets run `dbt build` with."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from dagster_dbt import DbtCliResource
from dagster_dbt.compat import DBT_PYTHON_VERSION


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt resource without two start-up costs it pays on every `dbt` call, which
    this project does not use (about 7 s, measured when a run made three dbt calls):

    - a dbt Core adapter opened in the Dagster process (about 1.8 s per call), which
      dagster-dbt uses only to fetch row counts and column metadata, which we do not ask for;
    - `dbt --version` in a subprocess (about 2 s per run) to tell dbt Core from the Fusion
      engine; dbt here is always the dbt-core installed beside dagster-dbt (pinned together
      in requirements.lock).

    Both override private methods of dagster-dbt; tests/test_resources.py fails when a new
    dagster-dbt renames them.
    """

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> Any:
        return None

    @cached_property
    def _cli_version(self) -> Any:
        return DBT_PYTHON_VERSION
