"""Everything Dagster shows: assets, checks, jobs, schedules, sensors and resources."""

from __future__ import annotations

import dagster as dg

from pipeline.assets import OWNER
from pipeline.assets.dbt import SEED_KEYS, dbt_models, dbt_project
from pipeline.assets.landing import deliveries
from pipeline.assets.publish import build_publication_asset
from pipeline.assets.statbank import statbank_assets
from pipeline.automation.alerts import alert_on_run_failure
from pipeline.automation.build_sensor import build_after_ingest_sensors
from pipeline.automation.delivery_sensor import build_delivery_sensor
from pipeline.automation.freshness import freshness_checks, freshness_job, freshness_schedule
from pipeline.automation.schedules import build_nightly_schedule
from pipeline.dbt.child import dbt_executable
from pipeline.dbt.resource import DbtCli
from pipeline.platform.progress import progress_logger
from pipeline.resources import SettingsResource, WarehouseResource

INGEST_JOB = "ingest_deliveries"
BUILD_JOB = "build_indicators"

BUILT = [*statbank_assets, dbt_models]
# Publication waits for every asset the build job materialises before it. Not on the seeds
# directly (the models it waits for read them): a build that leaves unchanged seeds out
# (pipeline/dbt/seeds.py) must not make Dagster skip the publication for want of them.
publication = build_publication_asset(
    [key for assets in BUILT for key in assets.keys if key not in SEED_KEYS]
)

# The freshness checks run on their own schedule, not in every ingestion or build.
_freshness = dg.AssetSelection.checks(*freshness_checks)
ingest_job = dg.define_asset_job(
    INGEST_JOB,
    selection=dg.AssetSelection.assets(deliveries) - _freshness,
    description="Read each municipality's newest delivery into the landing tables.",
)
build_job = dg.define_asset_job(
    BUILD_JOB,
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(deliveries) - _freshness,
    description="Reference data, staging, indicators and publication from the landing tables.",
)


def _owned(spec: dg.AssetSpec) -> dg.AssetSpec:
    return spec if spec.owners else spec.replace_attributes(owners=[OWNER])


defs = dg.Definitions(
    assets=dg.map_asset_specs(_owned, [deliveries, *BUILT, publication]),
    asset_checks=freshness_checks,
    jobs=[ingest_job, build_job, freshness_job],
    schedules=[build_nightly_schedule(INGEST_JOB), freshness_schedule],
    sensors=[
        build_delivery_sensor(INGEST_JOB),
        *build_after_ingest_sensors(ingest_job, build_job),
        alert_on_run_failure,
    ],
    loggers={"progress": progress_logger},
    # One process per run: DuckDB has one writer per file, so a run's steps must not write in
    # parallel; runs are kept apart by the "warehouse" pool (dagster.yaml).
    executor=dg.in_process_executor,
    resources={
        "settings": SettingsResource(),
        "warehouse": WarehouseResource(),
        # The venv's own dbt, so nothing depends on PATH (cron, the daemon, CI), started so
        # that it dies with the run's process (pipeline/dbt/child.py).
        "dbt": DbtCli(project_dir=dbt_project, dbt_executable=dbt_executable()),
    },
)
