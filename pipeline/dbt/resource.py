"""The dbt resource the dbt assets run `dbt build` with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliInvocation, DbtCliResource
from dagster_dbt.compat import DBT_PYTHON_VERSION

from pipeline.dbt.child import WRAPPER, write_call_environment


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt resource, with the environment of a call passed explicitly, and
    without two start-up costs it pays on every `dbt` call, which this project does not use
    (seconds per run: benchmarks/README.md, item 6):

    - a dbt Core adapter opened in the Dagster process, which dagster-dbt uses only to fetch
      row counts and column metadata, which we do not ask for;
    - `dbt --version` in a subprocess to tell dbt Core from the Fusion engine; dbt here is
      always the dbt-core installed beside dagster-dbt (pinned together in
      requirements.lock).

    Both override private methods of dagster-dbt; tests/test_resources.py fails when a new
    dagster-dbt renames them.
    """

    def cli(
        self,
        args: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        target_path: Path | None = None,
        **kwargs: Any,
    ) -> DbtCliInvocation:
        """dagster-dbt's `cli`, plus `env`: variables for this dbt call only, on top of the
        process's environment, which stays as it is. dagster-dbt (0.29) cannot add variables
        to the dbt process it starts, so they reach dbt through the `noegletal-dbt` wrapper
        (pipeline/dbt/child.py), in the call's own target folder."""
        if env is not None:
            if Path(self.dbt_executable).name != WRAPPER:
                raise RuntimeError(
                    f"dbt variables need the {WRAPPER} wrapper beside the Python running the "
                    f"pipeline (make setup installs it), not {self.dbt_executable}"
                )
            if target_path is None:
                raise ValueError("a dbt call with variables of its own needs its target_path")
            # A relative target folder is the project's, as for dbt (started in the project).
            folder = target_path if target_path.is_absolute() else self.project_dir / target_path
            write_call_environment(Path(folder), env)
        return super().cli(args, target_path=target_path, **kwargs)

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> Any:
        return None

    @cached_property
    def _cli_version(self) -> Any:
        return DBT_PYTHON_VERSION
