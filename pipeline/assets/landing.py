"""Landing assets: each municipality's newest delivery, validated and pseudonymised, in DuckDB.

One multi-asset reads a delivery as a unit (a follow-up must point at a measure of the same
delivery). A run covers the municipalities of its configuration (`IngestScope` in
pipeline/scope.py; empty = every municipality with a delivery): each delivery gets its own
verdict, and a rejected one leaves that municipality's previous rows in place.

Blocking checks: every landing table holds exactly the rows its contract accepted (the contract
itself runs once, before the rows are stored: landing/check_delivery.py), and "newest delivery
accepted". Downstream assets in the same run do not start when one fails.
Metadata carries counts only: never a person-level row, never a CPR number.
"""

import datetime as dt
import time
from collections.abc import Callable, Iterator

import dagster as dg

from pipeline.feedback.report import (
    delivery_facts,
    feedback_folder,
    store_profiles,
    write_feedback,
)
from pipeline.landing.batches import checked_batches
from pipeline.landing.check_delivery import DeliveryOutcome
from pipeline.landing.stored_rows import stored_row_mismatches
from pipeline.landing.tables import ensure_landing_schema, store_outcomes
from pipeline.resources import SettingsResource, WarehouseResource
from pipeline.scope import INGEST_OP, IngestScope, checked_municipalities
from pipeline.settings import Settings
from pipeline.sources.extracts.deliveries import newest_deliveries, refused_folders
from pipeline.sources.extracts.spec import FILES

GROUP = "landing"
FILE_KEYS = {spec.name: dg.AssetKey([GROUP, spec.name]) for spec in FILES}
QUARANTINE_KEY = dg.AssetKey([GROUP, "quarantine"])
DELIVERIES_KEY = dg.AssetKey([GROUP, "deliveries"])
DELIVERY_FILES_KEY = dg.AssetKey([GROUP, "delivery_files"])
STORED_CHECK = "stored_rows_are_the_accepted_rows"
# Deliveries typed and validated together; bounds memory at national scale (98 municipalities).
# Checking batches in a process per core saved 9 of 48 s nationally and took memory from 0.9
# to 2.1 GiB (benchmarks/README.md): not done.
BATCH_SIZE = 25
ACCEPTED_CHECK = "newest_delivery_accepted"
Log = Callable[[str], None]


def _file_spec(name: str, core: bool, feeds: str) -> dg.AssetSpec:
    role = "core file" if core else f"optional file (feeds {feeds})"
    return dg.AssetSpec(
        FILE_KEYS[name],
        description=(
            f"{name}.csv of each municipality's newest accepted delivery ({role}), typed and "
            "pseudonymised; rows that break the input contract are in landing/quarantine."
        ),
        group_name=GROUP,
        kinds={"duckdb", "pandas"},
    )


SPECS = [
    *(_file_spec(spec.name, spec.core, spec.feeds) for spec in FILES),
    dg.AssetSpec(
        QUARANTINE_KEY,
        description="Rows of the newest deliveries that broke a rule: file, line, column, rule, "
        "run id, the person's pseudonym (never the CPR number), the row's own id and a date "
        "rule's dates (for the feedback report in <data-dir>/feedback/).",
        group_name=GROUP,
        kinds={"duckdb"},
    ),
    dg.AssetSpec(
        DELIVERIES_KEY,
        description="Log of the deliveries read: verdict, rejection reason and warnings.",
        group_name=GROUP,
        kinds={"duckdb"},
    ),
    dg.AssetSpec(
        DELIVERY_FILES_KEY,
        description="Per delivery and file of input contract v1: present or not, rows read, "
        "accepted and quarantined, encoding and delimiter detected, unknown columns.",
        group_name=GROUP,
        kinds={"duckdb"},
    ),
]
CHECK_SPECS = [
    *(
        dg.AssetCheckSpec(
            STORED_CHECK,
            asset=FILE_KEYS[spec.name],
            blocking=True,
            description=(
                f"For every municipality of the run, the rows of {spec.name}.csv in the table "
                "are those its pandera contract accepted from the newest accepted delivery: as "
                "many, and from that delivery."
            ),
        )
        for spec in FILES
    ),
    dg.AssetCheckSpec(
        ACCEPTED_CHECK,
        asset=DELIVERIES_KEY,
        blocking=True,
        description="The newest delivery of every municipality in the run was accepted (core "
        "files present, every file readable, quarantined share under the threshold).",
    ),
]


@dg.multi_asset(
    name=INGEST_OP,
    specs=SPECS,
    check_specs=CHECK_SPECS,
    # As a schema, not a `config` argument: that name is the run's settings below.
    config_schema=IngestScope.to_fields_dict(),
    pool="warehouse",
)
def deliveries(
    context: dg.AssetExecutionContext, settings: SettingsResource, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    config = settings.load()
    key = config.pseudonym_key  # refuses a production run without a key, before any reading
    if config.uses_demo_key:
        context.log.warning(
            "DEMO MODE: CPR numbers are pseudonymised with the public demo key. "
            "Use this only with synthetic data."
        )
    config.make_dirs()
    chosen = checked_municipalities(
        IngestScope(**(context.op_execution_context.op_config or {})).municipalities
    )
    found = {d.municipality_code: d for d in newest_deliveries(config.landing_dir, chosen or None)}
    municipalities = chosen or sorted(found)

    absent = {
        m: f"no delivery folder in the landing area (expected {config.landing_dir / m}/<date>/)"
        for m in municipalities
        if m not in found
    }
    for municipality, message in absent.items():
        context.log.error(f"{municipality}: {message}")
    refused = refused_folders(config.landing_dir, municipalities)
    for folder in refused:
        context.log.warning(folder.describe())
    outcomes: list[DeliveryOutcome] = []
    seconds: dict[str, float] = {}
    reports: dict[str, str] = {}  # municipality -> its feedback report (SPEC §13)
    with warehouse.get_connection() as conn:
        ensure_landing_schema(conn)
        codes = sorted(found)
        batches = [
            [found[m] for m in codes[i : i + BATCH_SIZE]] for i in range(0, len(codes), BATCH_SIZE)
        ]
        started = time.perf_counter()
        for checked in checked_batches(batches, key, config.quarantine_threshold):
            batch = [outcome.delivery.municipality_code for outcome in checked]
            store_outcomes(conn, checked, context.run.run_id, dt.datetime.now(dt.UTC))
            store_profiles(conn, checked)
            reports.update(
                _write_feedback(conn, checked, config, context.run.run_id, context.log.info)
            )
            for outcome in checked:
                _log(context, outcome)
                outcome.accepted = {}  # stored: not needed again, and a batch is large
            # Batches are checked side by side: a batch's share is the time since the last one.
            per_delivery = round((time.perf_counter() - started) / len(batch), 2)
            started = time.perf_counter()
            seconds.update(dict.fromkeys(batch, per_delivery))
            outcomes += checked
        totals = _table_rows(conn)
        stored_results = [_stored_result(conn, spec.name, municipalities) for spec in FILES]

    for spec in FILES:
        yield dg.MaterializeResult(
            asset_key=FILE_KEYS[spec.name],
            metadata=_file_metadata(spec.name, outcomes, totals[spec.name]),
        )
    yield dg.MaterializeResult(asset_key=QUARANTINE_KEY, metadata=_quarantine_metadata(outcomes))
    yield dg.MaterializeResult(
        asset_key=DELIVERIES_KEY,
        metadata={
            **_deliveries_metadata(outcomes, seconds, reports),
            "refused_folders": dg.MetadataValue.json([f.describe() for f in refused]),
        },
    )
    yield dg.MaterializeResult(
        asset_key=DELIVERY_FILES_KEY,
        metadata={"files_by_municipality": dg.MetadataValue.json(_files_present(outcomes))},
    )
    yield from stored_results
    yield _accepted_result(outcomes, absent)


def _log(context: dg.AssetExecutionContext, outcome: DeliveryOutcome) -> None:
    delivery = outcome.delivery
    read = sum(f.rows_read for f in outcome.files.values())
    quarantined = sum(f.rows_quarantined for f in outcome.files.values())
    if outcome.accepted_ok:
        context.log.info(
            f"{delivery.key}: accepted, {read} rows read, {quarantined} quarantined "
            f"{outcome.quarantined_by_rule()}"
        )
    else:
        context.log.error(f"{delivery.municipality_code}: REJECTED: {outcome.rejection}")
    for warning in outcome.warnings:
        context.log.warning(f"{delivery.municipality_code}: {warning}")


def _table_rows(conn: object) -> dict[str, int]:
    return {
        spec.name: conn.execute(f"select count(*) from landing.{spec.name}").fetchone()[0]  # type: ignore[attr-defined]
        for spec in FILES
    }


def _files_present(outcomes: list[DeliveryOutcome]) -> dict[str, list[str]]:
    return {
        o.delivery.municipality_code: sorted(f.file for f in o.files.values() if f.present)
        for o in outcomes
    }


def _file_metadata(name: str, outcomes: list[DeliveryOutcome], total: int) -> dict[str, object]:
    """Totals for the run; the per-delivery figures are in landing.delivery_files and the
    `landing/delivery_files` asset (a per-municipality table here would grow with the number of
    municipalities on every asset of every run)."""
    accepted = [o for o in outcomes if o.accepted_ok and name in o.files]
    return {
        "dagster/row_count": total,
        "deliveries_this_run": len(outcomes),
        "rows_read_this_run": sum(o.files[name].rows_read for o in accepted),
        "rows_accepted_this_run": sum(o.files[name].rows_accepted for o in accepted),
        "rows_quarantined_this_run": sum(o.files[name].rows_quarantined for o in accepted),
        "municipalities_without_the_file": dg.MetadataValue.json(
            sorted(
                o.delivery.municipality_code
                for o in outcomes
                if name not in o.files or not o.files[name].present
            )
        ),
        "municipalities_rejected": dg.MetadataValue.json(
            sorted(o.delivery.municipality_code for o in outcomes if not o.accepted_ok)
        ),
    }


def _quarantine_metadata(outcomes: list[DeliveryOutcome]) -> dict[str, object]:
    by_rule: dict[str, int] = {}
    for outcome in outcomes:
        for rule, count in outcome.quarantined_by_rule().items():
            by_rule[rule] = by_rule.get(rule, 0) + count
    return {
        "rows_quarantined_this_run": sum(len(o.quarantine) for o in outcomes),
        "by_rule": dg.MetadataValue.json(dict(sorted(by_rule.items()))),
    }


def _write_feedback(
    conn: object, outcomes: list[DeliveryOutcome], config: Settings, run_id: str, log: Log
) -> dict[str, str]:
    """The feedback report of each delivery of a batch, accepted or rejected (SPEC §13).
    Searched for the batch's own pseudonyms before it is written (report.write_feedback)."""
    pseudonyms: set[str] = set()
    for outcome in outcomes:
        for frame in (*outcome.accepted.values(), outcome.quarantine):
            if "person_id" in frame:
                pseudonyms.update(frame["person_id"].dropna().astype(str))
    written = {}
    for outcome in outcomes:
        delivery = outcome.delivery
        facts = delivery_facts(conn, outcome, run_id, config.quarantine_threshold)  # type: ignore[arg-type]
        folder = feedback_folder(
            config.feedback_dir, delivery.municipality_code, delivery.delivery_date
        )
        written[delivery.municipality_code] = str(write_feedback(folder, facts, pseudonyms))
        log(f"{delivery.key}: feedback report {folder}")
    return written


def _deliveries_metadata(
    outcomes: list[DeliveryOutcome], seconds: dict[str, float], reports: dict[str, str]
) -> dict[str, object]:
    verdicts = {o.delivery.key: "accepted" if o.accepted_ok else "rejected" for o in outcomes}
    single = (
        {"feedback_report": dg.MetadataValue.path(next(iter(reports.values())))}
        if len(reports) == 1
        else {}
    )
    return {
        # SPEC §13: where the municipality's own staff read what happened to their delivery.
        "verdicts": dg.MetadataValue.json(verdicts),
        "feedback_reports": dg.MetadataValue.json(reports),
        **single,
        # For the UI only: the sensors, the schedule and `noegletal run` take the verdicts from
        # the warehouse (landing/ledger.py).
        "processed": dg.MetadataValue.json([o.delivery.key for o in outcomes]),
        "accepted": dg.MetadataValue.json([o.delivery.key for o in outcomes if o.accepted_ok]),
        "rejected": dg.MetadataValue.json(
            {o.delivery.municipality_code: o.rejection for o in outcomes if not o.accepted_ok}
        ),
        "warnings": dg.MetadataValue.json(
            {o.delivery.municipality_code: o.warnings for o in outcomes if o.warnings}
        ),
        "seconds_per_delivery": dg.MetadataValue.json(seconds),
    }


def _stored_result(conn: object, name: str, municipalities: list[str]) -> dg.AssetCheckResult:
    total, mismatches = stored_row_mismatches(conn, name, municipalities)  # type: ignore[arg-type]
    return dg.AssetCheckResult(
        asset_key=FILE_KEYS[name],
        check_name=STORED_CHECK,
        passed=not mismatches,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows_checked": total,
            "mismatches": dg.MetadataValue.json([m.describe() for m in mismatches]),
        },
    )


def _accepted_result(
    outcomes: list[DeliveryOutcome], absent: dict[str, str]
) -> dg.AssetCheckResult:
    rejected = {o.delivery.municipality_code: o.rejection for o in outcomes if not o.accepted_ok}
    rejected.update(absent)
    return dg.AssetCheckResult(
        asset_key=DELIVERIES_KEY,
        check_name=ACCEPTED_CHECK,
        passed=not rejected,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None if not rejected else "; ".join(f"{k}: {v}" for k, v in rejected.items()),
        metadata={"rejected": dg.MetadataValue.json(rejected)},
    )
