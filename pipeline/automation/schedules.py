"""The nightly schedule (02:00 Europe/Copenhagen unless `NOEGLETAL_NIGHTLY_CRON` says otherwise).

It ingests every municipality whose newest complete delivery has not been read yet (the build
and publication follow through the build sensor); a night without new deliveries launches
nothing. Deliveries are also picked up during the day by the delivery sensor; the schedule is
the safety net that catches a delivery whose sensor run was missed.
"""

from __future__ import annotations

import os
import time

import dagster as dg

from pipeline.automation.delivery_sensor import is_ready, settle_seconds
from pipeline.automation.plans import DELIVERIES_ASSET, ingest_run_tags
from pipeline.partitions import MUNICIPALITY
from pipeline.settings import Settings
from pipeline.sources.extracts.deliveries import Delivery, list_deliveries

DEFAULT_NIGHTLY_CRON = "0 2 * * *"
TIMEZONE = "Europe/Copenhagen"


def processed_deliveries(instance: dg.DagsterInstance, municipality: str) -> set[str]:
    """Delivery keys the latest ingestion of `municipality` read (accepted or rejected)."""
    result = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=DELIVERIES_ASSET, asset_partitions=[municipality]),
        limit=1,
    )
    if not result.records:
        return set()
    materialization = result.records[0].asset_materialization
    processed = materialization.metadata.get("processed") if materialization else None
    return set(processed.value) if processed else set()


def unread_deliveries(instance: dg.DagsterInstance, deliveries: list[Delivery]) -> list[Delivery]:
    newest: dict[str, Delivery] = {}
    now, settle = time.time(), settle_seconds()
    for delivery in deliveries:
        if is_ready(delivery, now, settle):
            newest[delivery.municipality_code] = delivery
    return [
        d for code, d in sorted(newest.items()) if d.key not in processed_deliveries(instance, code)
    ]


def build_nightly_schedule(job_name: str) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="nightly",
        cron_schedule=os.environ.get("NOEGLETAL_NIGHTLY_CRON", DEFAULT_NIGHTLY_CRON),
        execution_timezone=TIMEZONE,
        job_name=job_name,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Ingests every municipality's newest complete delivery not read yet; the "
        "build and publication follow through the build_after_ingest sensors.",
    )
    def nightly(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest] | dg.SkipReason:
        unread = unread_deliveries(
            context.instance, list_deliveries(Settings.from_env().landing_dir)
        )
        if not unread:
            return dg.SkipReason("no unread complete delivery")
        codes = [d.municipality_code for d in unread]
        known = set(context.instance.get_dynamic_partitions(MUNICIPALITY))
        if set(codes) - known:
            context.instance.add_dynamic_partitions(MUNICIPALITY, sorted(set(codes) - known))
        order = context.instance.get_dynamic_partitions(MUNICIPALITY)
        stamp = (
            context.scheduled_execution_time.isoformat() if context.scheduled_execution_time else ""
        )
        return [
            dg.RunRequest(run_key=f"nightly-{stamp}-{i}", tags=tags)
            for i, tags in enumerate(ingest_run_tags(order, codes))
        ]

    return nightly
