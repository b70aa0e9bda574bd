"""After an ingestion run, build and publish for the municipalities whose delivery it accepted.

An ingestion run that rejected one delivery still ends as failed (its blocking check), so the
sensor watches both outcomes; the verdicts the run stored in the warehouse
(`landing.deliveries`) say which municipalities were accepted. A municipality whose delivery
was rejected is not rebuilt, so its last published figures stay in place.
"""

from __future__ import annotations

import dagster as dg

from pipeline.automation.plans import build_request
from pipeline.landing.ledger import run_verdicts
from pipeline.scope import build_scope
from pipeline.settings import Settings


def build_requests(ingest_run_id: str) -> list[dg.RunRequest]:
    """One build run (every cut-off date) for the municipalities the ingestion run accepted."""
    accepted, _ = run_verdicts(Settings.from_env().warehouse_path, ingest_run_id)
    if not accepted:
        return []
    return [build_request(build_scope(accepted), run_key=f"build-after-{ingest_run_id}")]


def build_after_ingest_sensors(
    ingest_job: dg.UnresolvedAssetJobDefinition, build_job: dg.UnresolvedAssetJobDefinition
) -> list[dg.SensorDefinition]:
    def make(status: dg.DagsterRunStatus) -> dg.SensorDefinition:
        word = status.value.lower()

        @dg.run_status_sensor(
            name=f"build_after_ingest_{word}",
            run_status=status,
            monitored_jobs=[ingest_job],
            request_job=build_job,
            default_status=dg.DefaultSensorStatus.RUNNING,
            description=f"When an ingestion run ends ({word}), builds and publishes the "
            "indicators of the municipalities whose delivery it accepted.",
        )
        def sensor(context: dg.RunStatusSensorContext) -> list[dg.RunRequest] | dg.SkipReason:
            requests = build_requests(context.dagster_run.run_id)
            if not requests:
                return dg.SkipReason("the ingestion run accepted no delivery")
            return requests

        return sensor

    return [make(dg.DagsterRunStatus.SUCCESS), make(dg.DagsterRunStatus.FAILURE)]
