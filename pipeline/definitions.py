"""Everything Dagster shows: assets, checks, jobs, schedules, sensors and resources."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from pipeline.assets.dbt import (
    dbt_indicators,
    dbt_project,
    dbt_publication,
    dbt_reference_and_staging,
)
from pipeline.assets.landing import deliveries
from pipeline.assets.publish import build_publication_asset
from pipeline.assets.statbank import statbank_assets
from pipeline.progress import progress_logger
from pipeline.resources import SettingsResource, WarehouseResource

INGEST_JOB = "ingest_deliveries"
BUILD_JOB = "build_indicators"

BUILT = [*statbank_assets, dbt_reference_and_staging, dbt_indicators, dbt_publication]
# Publication waits for every asset the build job materialises before it.
publication = build_publication_asset([key for assets in BUILT for key in assets.keys])

ingest_job = dg.define_asset_job(
    INGEST_JOB,
    selection=dg.AssetSelection.assets(deliveries),
    description="Read each municipality's newest delivery into the landing tables.",
)
build_job = dg.define_asset_job(
    BUILD_JOB,
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(deliveries),
    description="Reference data, staging, indicators and publication from the landing tables.",
)

defs = dg.Definitions(
    assets=[deliveries, *BUILT, publication],
    jobs=[ingest_job, build_job],
    loggers={"progress": progress_logger},
    resources={
        "settings": SettingsResource(),
        "warehouse": WarehouseResource(),
        # The venv's own dbt, so nothing depends on PATH (cron, the daemon, CI).
        "dbt": DbtCliResource(
            project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt")
        ),
    },
)
