"""The delivery sensor: a new delivery folder starts an ingestion run for its municipality.

Convention for municipalities (README, "Deliveries"): write the CSV files, then an empty file
named `_SUCCESS` as the very last step. The sensor picks up a folder only when
- `_SUCCESS` is there, and
- no file in the folder was modified after `_SUCCESS`, and
- no file was modified in the last `NOEGLETAL_DELIVERY_SETTLE_SECONDS` (default 60),
so a delivery that is still being copied (files still growing) is never read half-written. The
cursor remembers the newest delivery started per municipality, so each delivery starts one run;
a delivery the warehouse has already read (`noegletal run` read it, say) starts none.
"""

from __future__ import annotations

import json
import os
import time

import dagster as dg

from pipeline.automation.plans import ingest_request
from pipeline.landing.ledger import WarehouseBusy, read_delivery_keys
from pipeline.settings import Settings
from pipeline.sources.extracts.deliveries import SUCCESS_MARKER, Delivery, list_deliveries

DEFAULT_SETTLE_SECONDS = 60


def settle_seconds() -> float:
    return float(os.environ.get("NOEGLETAL_DELIVERY_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS))


def is_ready(delivery: Delivery, now: float, settle: float) -> bool:
    """Complete by the `_SUCCESS` convention and no longer changing."""
    marker = delivery.path / SUCCESS_MARKER
    if not marker.exists():
        return False
    marked_at = marker.stat().st_mtime
    for path in delivery.path.iterdir():
        modified = path.stat().st_mtime
        if modified > marked_at or now - modified < settle:
            return False
    return True


def new_ready_deliveries(
    deliveries: list[Delivery], seen: dict[str, str], now: float, settle: float
) -> list[Delivery]:
    """Per municipality, the newest ready delivery that is newer than the one last started."""
    newest: dict[str, Delivery] = {}
    for delivery in deliveries:
        if is_ready(delivery, now, settle):
            newest[delivery.municipality_code] = delivery  # list_deliveries is oldest first
    return [
        d for code, d in sorted(newest.items()) if d.delivery_date.isoformat() > seen.get(code, "")
    ]


def build_delivery_sensor(job_name: str) -> dg.SensorDefinition:
    @dg.sensor(
        name="new_delivery",
        job_name=job_name,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Starts an ingestion run for each new complete delivery folder "
        "(<landing>/<municipality>/<YYYY-MM-DD>/ with a _SUCCESS marker, no longer changing).",
    )
    def new_delivery(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
        settings = Settings.from_env()
        landing = settings.landing_dir
        ready = new_ready_deliveries(list_deliveries(landing), seen, time.time(), settle_seconds())
        if ready:
            try:
                read = read_delivery_keys(settings.warehouse_path)
            except WarehouseBusy as exc:
                return dg.SkipReason(f"{exc}; looking again on the next tick")
            ready = [d for d in ready if d.key not in read]
        if not ready:
            return dg.SkipReason(f"no new complete delivery in {landing}")
        for delivery in ready:
            seen[delivery.municipality_code] = delivery.delivery_date.isoformat()
        return dg.SensorResult(
            run_requests=[
                ingest_request([d.municipality_code], run_key=f"delivery-{d.key}") for d in ready
            ],
            cursor=json.dumps(seen, sort_keys=True),
        )

    return new_delivery
