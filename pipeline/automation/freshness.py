"""Freshness checks, visible on the assets in the Dagster UI and run by the `freshness`
schedule every morning:
- `deliveries_fresh` (on landing/deliveries): every municipality's newest delivery is at most
  `NOEGLETAL_DELIVERY_MAX_AGE_DAYS` old (default 35: municipalities deliver at least monthly);
- `snapshot_fresh` (on each StatBank asset): the snapshot was fetched at most
  `NOEGLETAL_STATBANK_MAX_AGE_DAYS` ago (default 100: FOLK1A is quarterly, the others yearly,
  so a snapshot older than a quarter has missed a publication).
They fail (severity ERROR) without blocking anything: stale data is a reason to call the
municipality or refresh StatBank, not to stop publishing.
"""

from __future__ import annotations

import datetime as dt
import os

import dagster as dg

from pipeline.assets.landing import DELIVERIES_KEY
from pipeline.assets.statbank import statbank_key
from pipeline.settings import Settings
from pipeline.sources.extracts.deliveries import newest_deliveries
from pipeline.sources.statbank.snapshots import snapshot_age
from pipeline.sources.statbank.tables import STATBANK_TABLES

DEFAULT_DELIVERY_MAX_AGE_DAYS = 35
DEFAULT_STATBANK_MAX_AGE_DAYS = 100


def _days(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def delivery_ages(today: dt.date) -> dict[str, int]:
    landing = Settings.from_env().landing_dir
    return {d.municipality_code: (today - d.delivery_date).days for d in newest_deliveries(landing)}


@dg.asset_check(
    asset=DELIVERIES_KEY,
    name="deliveries_fresh",
    description="Every municipality's newest delivery is at most NOEGLETAL_DELIVERY_MAX_AGE_DAYS "
    "(default 35) days old.",
)
def deliveries_fresh() -> dg.AssetCheckResult:
    limit = _days("NOEGLETAL_DELIVERY_MAX_AGE_DAYS", DEFAULT_DELIVERY_MAX_AGE_DAYS)
    ages = delivery_ages(dt.date.today())
    stale = {code: age for code, age in ages.items() if age > limit}
    return dg.AssetCheckResult(
        passed=bool(ages) and not stale,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            "no deliveries in the landing area"
            if not ages
            else f"older than {limit} days: {stale}"
            if stale
            else None
        ),
        metadata={"max_age_days": limit, "age_days_by_municipality": dg.MetadataValue.json(ages)},
    )


def _snapshot_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=statbank_key(table),
        name="snapshot_fresh",
        description=f"The {table} snapshot was fetched at most NOEGLETAL_STATBANK_MAX_AGE_DAYS "
        "(default 100) days ago.",
    )
    def snapshot_fresh() -> dg.AssetCheckResult:
        limit = _days("NOEGLETAL_STATBANK_MAX_AGE_DAYS", DEFAULT_STATBANK_MAX_AGE_DAYS)
        age = snapshot_age(table, Settings.from_env().statbank_dir)
        days = None if age is None else round(age.total_seconds() / 86400, 1)
        return dg.AssetCheckResult(
            passed=days is not None and days <= limit,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None if days is not None else f"no {table} snapshot",
            metadata={"max_age_days": limit, "age_days": days if days is not None else -1},
        )

    return snapshot_fresh


freshness_checks = [deliveries_fresh, *(_snapshot_check(t) for t in STATBANK_TABLES)]

freshness_job = dg.define_asset_job(
    "check_freshness",
    selection=dg.AssetSelection.checks(*freshness_checks),
    description="Runs the freshness checks of the deliveries and the StatBank snapshots.",
)

freshness_schedule = dg.ScheduleDefinition(
    name="freshness",
    job=freshness_job,
    cron_schedule="0 7 * * *",
    execution_timezone="Europe/Copenhagen",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every morning at 07:00: are the deliveries and StatBank snapshots recent?",
)
