"""The nightly schedule (02:00 Europe/Copenhagen unless `NOEGLETAL_NIGHTLY_CRON` says otherwise).

It ingests every municipality whose newest complete delivery has not been read yet (the build
and publication follow through the build sensor); a night without new deliveries launches
nothing. Deliveries are also picked up during the day by the delivery sensor; the schedule is
the safety net that catches a delivery whose sensor run was missed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import dagster as dg

from pipeline.automation.delivery_sensor import is_ready, settle_seconds
from pipeline.automation.plans import ingest_request
from pipeline.landing.ledger import WarehouseBusy, read_delivery_keys
from pipeline.settings import Settings
from pipeline.sources.extracts.deliveries import Delivery, list_deliveries

DEFAULT_NIGHTLY_CRON = "0 2 * * *"
TIMEZONE = "Europe/Copenhagen"


def unread_deliveries(deliveries: list[Delivery], warehouse_path: Path) -> list[Delivery]:
    """Per municipality, the newest complete delivery, unless the warehouse has read it (by any
    path: the schedule, the sensor or the command line; accepted or rejected)."""
    newest: dict[str, Delivery] = {}
    now, settle = time.time(), settle_seconds()
    for delivery in deliveries:
        if is_ready(delivery, now, settle):
            newest[delivery.municipality_code] = delivery
    read = read_delivery_keys(warehouse_path)
    return [d for _, d in sorted(newest.items()) if d.key not in read]


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
        settings = Settings.from_env()
        try:
            unread = unread_deliveries(
                list_deliveries(settings.landing_dir), settings.warehouse_path
            )
        except WarehouseBusy as exc:
            return dg.SkipReason(f"{exc}; the deliveries are read by that run or the next one")
        if not unread:
            return dg.SkipReason("no unread complete delivery")
        stamp = (
            context.scheduled_execution_time.isoformat() if context.scheduled_execution_time else ""
        )
        return [ingest_request([d.municipality_code for d in unread], run_key=f"nightly-{stamp}")]

    return nightly
