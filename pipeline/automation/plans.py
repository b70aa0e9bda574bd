"""Which runs to launch: shared by `noegletal run`, the schedule and the sensors, so the command
line and the daemon start the same jobs with the same configuration (pipeline/scope.py).

An ingestion run covers any set of municipalities (each delivery gets its own verdict); a
build run covers the accepted ones with the chosen cut-off dates, in one `dbt build`. Which
deliveries were read, and their verdicts, come from the warehouse (pipeline/landing/ledger.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg

from pipeline.scope import (
    SCOPE_TAG,
    BuildScope,
    build_run_config,
    checked_municipalities,
    ingest_run_config,
    scope_label,
)


def ingest_tags(municipalities: Iterable[str]) -> dict[str, str]:
    codes = checked_municipalities(municipalities)
    return {SCOPE_TAG: f"{len(codes)} municipalities" if len(codes) > 5 else ", ".join(codes)}


def ingest_request(municipalities: Iterable[str], run_key: str | None = None) -> dg.RunRequest:
    return dg.RunRequest(
        run_key=run_key,
        run_config=ingest_run_config(municipalities),
        tags=ingest_tags(municipalities),
    )


def build_request(scope: BuildScope, run_key: str | None = None) -> dg.RunRequest:
    return dg.RunRequest(
        run_key=run_key, run_config=build_run_config(scope), tags={SCOPE_TAG: scope_label(scope)}
    )
