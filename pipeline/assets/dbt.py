"""dbt models as Dagster assets, and the dbt tests as asset checks.

The dbt command line is built by small pure functions (tested directly). Models partitioned by
municipality and cut-off date are added in the indicator layer; everything else (seeds,
staging views) is one unpartitioned `dbt build`.
"""

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from pipeline.paths import DBT_PROJECT_DIR
from pipeline.resources import SettingsResource
from pipeline.settings import Settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


class Translator(DagsterDbtTranslator):
    """Groups follow the dbt layers, so the asset graph reads as the data flow."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


translator = Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def dbt_build_args(scope: Mapping[str, list[str]] | None = None) -> list[str]:
    """`dbt build`, with the run's municipalities and cut-off dates as vars when it has any."""
    args = ["build"]
    if scope:
        args += ["--vars", json.dumps(dict(scope), sort_keys=True)]
    return args


@contextmanager
def dbt_environment(settings: Settings) -> Iterator[None]:
    """dbt runs as a subprocess in its project folder; it finds the warehouse through this
    variable (profiles.yml). Set only for the duration of the call."""
    previous = os.environ.get("NOEGLETAL_WAREHOUSE_PATH")
    os.environ["NOEGLETAL_WAREHOUSE_PATH"] = str(settings.warehouse_path)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("NOEGLETAL_WAREHOUSE_PATH", None)
        else:
            os.environ["NOEGLETAL_WAREHOUSE_PATH"] = previous


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    exclude="config.materialized:incremental",
    pool="warehouse",
)
def dbt_reference_and_staging(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: SettingsResource
) -> Iterator[Any]:
    with dbt_environment(settings.load()):
        yield from dbt.cli(dbt_build_args(), context=context).stream()
