"""Danmarks Statistik tables as assets: the offline snapshot, parsed, validated and stored.

One step per table reads `<landing>/statbank/<TABLE>.csv` (a live answer saved by `noegletal
statbank refresh` or the nightly refresh, or the demo's synthetic file), parses it, validates it
with its pandera contract and only then replaces two tables, each its own asset:
`statbank.<table>` (municipality rows, asset `statbank/<table>`) and `statbank.<table>_national`
(all Denmark, asset `statbank/<table>_national`). A snapshot that is missing, cannot be read or
breaks its contract does not fail the step (SPEC §6, degrade, never halt): the previous tables
stay, or empty ones are made, the non-blocking check `snapshot_usable` fails with the reason,
and the figures that need the table are not available. Rows with a code the pipeline does not
know are left out with a warning. A snapshot already loaded by the same code
(`statbank.loaded_snapshots`) is not parsed again: its tables and metadata stay as they are.
"""

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pandas as pd
import pandera.pandas as pa

from pipeline.code_version import code_key
from pipeline.contracts import statbank as statbank_contracts
from pipeline.contracts.statbank import validate_parsed, without_unknown_codes
from pipeline.resources import SettingsResource, WarehouseResource
from pipeline.sources.statbank import bulk
from pipeline.sources.statbank.bulk import ParsedTable, empty_table, parse_table
from pipeline.sources.statbank.errors import BulkFormatError, SnapshotError, SnapshotMissingError
from pipeline.sources.statbank.nightly import refresh_stale_snapshots
from pipeline.sources.statbank.snapshots import (
    SnapshotMeta,
    read_snapshot,
    read_snapshot_meta,
    snapshot_age,
)
from pipeline.sources.statbank.status import (
    CONTRACT_BROKEN,
    LOADED_STATUS,
    PREVIOUS_KEPT_STATUS,
    SNAPSHOT_MISSING,
    SNAPSHOT_UNREADABLE,
    UNAVAILABLE_STATUS,
    ensure_status_table,
    record_status,
    table_statuses,
)
from pipeline.sources.statbank.tables import STATBANK_TABLES

GROUP = "statbank"
SCHEMA = "statbank"

# The marts read a cell that BULK left out as 0 (see dbt_project/models/intermediate/statbank):
# that holds only while the table's suppressedDataValue is "0".
ABSENT_CELL_VALUE = "0"

_DESCRIPTIONS = {
    "FOLK1A": "Residents on the first day of the quarter (FOLK1A), by municipality, sex, age "
    "and marital status: the 0-17 denominators of the per-1000 indicators.",
    "ANBAAR12": "Placed children and young people on 31 December by administering municipality "
    "(handlekommune) and placement type (ANBAAR12): the benchmark's placement mix.",
    "ANBAAR9": "Placed children and young people on 31 December by administering municipality "
    "(handlekommune) and age group (ANBAAR9): reconciliation of the own count.",
    "BU43": "Share of the age group receiving support on 31 December (BU43), by municipality, "
    "measure group and age group: the benchmark's national comparison.",
}


def statbank_key(table: str, *, national: bool = False) -> dg.AssetKey:
    """`statbank/<table>` (municipality rows) or `statbank/<table>_national` (all Denmark)."""
    return dg.AssetKey([GROUP, table.lower() + ("_national" if national else "")])


SNAPSHOTS_KEY = dg.AssetKey([GROUP, "snapshots"])
TABLE_STATUS_KEY = dg.AssetKey([GROUP, "table_status"])
# Which snapshot each table was loaded from (load_key), with the metadata of that load.
LOADED = "loaded_snapshots"
USABLE_CHECK = "snapshot_usable"
# What is not available when a table is not (SPEC §6).
DEPENDENT_FIGURES = {
    "FOLK1A": "the per-1000 indicators and rates",
    "ANBAAR12": "the benchmark's placement mix",
    "ANBAAR9": "the reconciliation",
    "BU43": "the benchmark",
}


@dg.asset(
    key=SNAPSHOTS_KEY,
    group_name=GROUP,
    description="The offline StatBank snapshots in <landing>/statbank/: refreshed from "
    "Danmarks Statistik when older than NOEGLETAL_STATBANK_MAX_AGE_HOURS, unless "
    "NOEGLETAL_STATBANK_OFFLINE is on (the default in demo mode). A table that cannot be "
    "fetched keeps its last snapshot (reported here and by the snapshot_fresh checks).",
    kinds={"file"},
    pool="warehouse",
)
def statbank_snapshots(
    context: dg.AssetExecutionContext, settings: SettingsResource
) -> dg.MaterializeResult:
    results = refresh_stale_snapshots(settings.load())
    for result in results:
        if not result.ok:
            context.log.warning(f"{result.table}: refresh failed, snapshot kept: {result.error}")
    return dg.MaterializeResult(
        metadata={
            "status_by_table": dg.MetadataValue.json({r.table: r.status for r in results}),
            "fetched": sum(r.status == "fetched" for r in results),
            "failed": sum(not r.ok for r in results),
        }
    )


def _build(table: str) -> dg.AssetsDefinition:
    municipal_key = statbank_key(table)
    national_key = statbank_key(table, national=True)

    @dg.multi_asset(
        name=f"statbank_{table.lower()}",
        specs=[
            dg.AssetSpec(
                municipal_key,
                group_name=GROUP,
                description=_DESCRIPTIONS[table],
                kinds={"duckdb", "pandas"},
                deps=[SNAPSHOTS_KEY],
            ),
            dg.AssetSpec(
                national_key,
                group_name=GROUP,
                description=f"All-Denmark rows (area 000) of {table}, from the same snapshot.",
                kinds={"duckdb", "pandas"},
                deps=[SNAPSHOTS_KEY],
            ),
        ],
        check_specs=[
            dg.AssetCheckSpec(
                USABLE_CHECK,
                asset=municipal_key,
                blocking=False,
                description=f"The {table} snapshot could be read and holds to its contract. "
                "When it fails, the run goes on without it (SPEC §6): "
                f"not available: {DEPENDENT_FIGURES[table]}, or the previous tables are used.",
            )
        ],
        pool="warehouse",
    )
    def _asset(
        context: dg.AssetExecutionContext, settings: SettingsResource, warehouse: WarehouseResource
    ) -> Any:
        config = settings.load()
        try:
            meta = read_snapshot_meta(table, config.statbank_dir)
            text = read_snapshot(table, config.statbank_dir)
            key = load_key(text)
            with warehouse.get_connection() as conn:
                kept = loaded_metadata(conn, table, key)
            loaded = kept if kept is not None else _load(table, text, key, context, warehouse)
        except SnapshotMissingError as exc:
            yield from _unavailable(context, warehouse, table, str(exc), SNAPSHOT_MISSING)
            return
        except TableUnavailable as exc:
            yield from _unavailable(context, warehouse, table, str(exc), exc.reason_code)
            return
        except SnapshotError as exc:
            yield from _unavailable(context, warehouse, table, str(exc), SNAPSHOT_UNREADABLE)
            return
        municipal, national = loaded
        with warehouse.get_connection() as conn:
            record_status(conn, table, LOADED_STATUS, None, context.run.run_id)
        if kept is not None:
            # The same snapshot through the same parser and contract gives the same tables.
            context.log.info(f"{table}: snapshot unchanged since it was loaded; tables kept")
        if municipal.get("unknown_codes"):
            context.log.warning(str(municipal["unknown_codes_note"]))
        if meta.synthetic:
            context.log.warning(
                f"{table} is a synthetic demo snapshot, not Danmarks Statistik data"
            )
        if meta.suppressed_data_value not in (None, ABSENT_CELL_VALUE):
            context.log.warning(
                f"{table}: tableinfo gives suppressedDataValue {meta.suppressed_data_value!r}, "
                f"but the marts read a cell missing from the BULK answer as "
                f"{ABSENT_CELL_VALUE}; check the intermediate statbank models"
            )
        common = {
            **snapshot_metadata(meta, snapshot_age(table, config.statbank_dir)),
            "status": LOADED_STATUS,
            "reloaded": kept is None,
        }
        yield dg.MaterializeResult(
            asset_key=municipal_key,
            metadata={
                **municipal,
                "excluded_area_codes": dg.MetadataValue.json(municipal["excluded_area_codes"]),
                "unknown_codes": dg.MetadataValue.json(municipal.get("unknown_codes", {})),
                **common,
            },
        )
        yield dg.MaterializeResult(asset_key=national_key, metadata={**national, **common})
        yield dg.AssetCheckResult(
            asset_key=municipal_key,
            check_name=USABLE_CHECK,
            passed=True,
            metadata={"unknown_code_rows": int(municipal.get("unknown_code_rows", 0))},
        )

    def _unavailable(
        context: dg.AssetExecutionContext,
        warehouse: WarehouseResource,
        table: str,
        reason: str,
        reason_code: str,
    ) -> Any:
        """Degrade, never halt (SPEC §6): the tables stay as they were, or are created empty,
        and the run goes on; the figures that need the table say why they are missing."""
        with warehouse.get_connection() as conn:
            previous = _tables_present(conn, table)
            if not previous:
                _store(conn, table, empty_table(table), None, context.run.run_id, None)
            status = PREVIOUS_KEPT_STATUS if previous else UNAVAILABLE_STATUS
            record_status(conn, table, status, reason, context.run.run_id, reason_code)
        consequence = (
            "the tables of the previously loaded snapshot are used"
            if previous
            else f"not available: {DEPENDENT_FIGURES[table]}"
        )
        context.log.warning(f"{table}: {reason}; {consequence}")
        metadata = {
            "status": status,
            "reason": reason,
            "reason_code": reason_code,
            "consequence": consequence,
        }
        yield dg.MaterializeResult(asset_key=municipal_key, metadata=metadata)
        yield dg.MaterializeResult(asset_key=national_key, metadata=metadata)
        yield dg.AssetCheckResult(
            asset_key=municipal_key,
            check_name=USABLE_CHECK,
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            description=f"{reason}; {consequence}",
            metadata=metadata,
        )

    return _asset


class TableUnavailable(Exception):
    """A snapshot that cannot be parsed or breaks its contract; the message says which and
    names no value of a data row (StatBank rows are aggregates, not persons)."""

    def __init__(self, message: str, reason_code: str) -> None:
        super().__init__(message)
        self.reason_code = reason_code


def _load(
    table: str,
    text: str,
    key: str,
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parse, take out unknown codes, validate and store one snapshot; its asset metadata."""
    try:
        parsed, unknown = without_unknown_codes(parse_table(table, text))
        validate_parsed(parsed)
    except BulkFormatError as exc:
        raise TableUnavailable(
            f"{table} snapshot cannot be parsed: {exc}", SNAPSHOT_UNREADABLE
        ) from None
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        raise TableUnavailable(
            f"{table} snapshot breaks its contract: {_summary(exc)}", CONTRACT_BROKEN
        ) from None
    municipal = {
        **frame_metadata(parsed.municipalities),
        "municipalities": int(parsed.municipalities["municipality_code"].nunique()),
        "excluded_area_codes": list(parsed.excluded_area_codes),
        "excluded_rows": parsed.excluded_rows,
        "unknown_codes": unknown.codes,
        "unknown_code_rows": unknown.rows,
        "unknown_codes_note": unknown.describe(table) if unknown.rows else "",
    }
    national = frame_metadata(parsed.national)
    with warehouse.get_connection() as conn:
        _store(conn, table, parsed, key, context.run.run_id, (municipal, national))
    return municipal, national


def _tables_present(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    names = [table.lower(), f"{table.lower()}_national"]
    found = conn.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = ? and table_name in (select unnest(?))",
        [SCHEMA, names],
    ).fetchone()
    return found is not None and found[0] == len(names)


def frame_metadata(frame: pd.DataFrame) -> dict[str, Any]:
    """Row count and the newest period (TID: '2024K1' or '2023') of one parsed frame."""
    period = "quarter" if "quarter" in frame.columns else "year"
    return {
        "dagster/row_count": len(frame),
        "newest_period": str(frame[period].max()) if len(frame) else "",
    }


def snapshot_metadata(meta: SnapshotMeta, age: timedelta | None) -> dict[str, Any]:
    """Where the snapshot came from: the request, when, and whether it is synthetic."""
    metadata: dict[str, Any] = {
        "provenance": meta.provenance,
        "sha256": meta.sha256 or "",
        "modified_at": meta.modified_at.isoformat() if meta.modified_at else "",
        "synthetic": meta.synthetic,
        "fetched_at": meta.fetched_at.isoformat() if meta.fetched_at else "",
        "table_updated": meta.table_updated or "",
        "suppressed_data_value": meta.suppressed_data_value or "",
        "request": dg.MetadataValue.json(meta.request or {}),
    }
    if age is not None:
        metadata["snapshot_age_hours"] = round(age.total_seconds() / 3600, 1)
    return metadata


def load_key(snapshot_text: str) -> str:
    """What a loaded table is made from: the snapshot and the code that parses, checks and
    stores it. FOLK1A alone takes seconds to parse; a nightly run usually has the same one."""
    code = code_key(Path(__file__), Path(bulk.__file__), Path(statbank_contracts.__file__))
    return hashlib.sha256((code + snapshot_text).encode("utf-8")).hexdigest()


def loaded_metadata(
    conn: duckdb.DuckDBPyConnection, table: str, key: str
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The metadata of the municipal and national tables when they were loaded from `key` and
    are still there; None when the snapshot must be loaded."""
    names = [table.lower(), f"{table.lower()}_national", LOADED]
    present = conn.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = ? and table_name in (select unnest(?))",
        [SCHEMA, names],
    ).fetchone()
    if present is None or present[0] != len(names):
        return None
    row = conn.execute(
        f"select metadata from {SCHEMA}.{LOADED} where table_code = ? and load_key = ?",
        [table, key],
    ).fetchone()
    if row is None:
        return None
    municipal, national = json.loads(row[0])
    return municipal, national


def _store(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    parsed: ParsedTable,
    key: str | None,
    run_id: str,
    metadata: tuple[dict[str, Any], dict[str, Any]] | None,
) -> None:
    """Replace the table's two warehouse tables; `key` None: empty stand-ins, not a load."""
    conn.execute(f"create schema if not exists {SCHEMA}")
    conn.execute(
        f"create table if not exists {SCHEMA}.{LOADED} (table_code varchar primary key, "
        "load_key varchar, run_id varchar, loaded_at timestamptz, metadata json)"
    )
    conn.execute("begin transaction")
    try:
        for suffix, frame in (("", parsed.municipalities), ("_national", parsed.national)):
            name = f"{SCHEMA}.{table.lower()}{suffix}"
            conn.register("parsed_rows", frame)
            conn.execute(f"create or replace table {name} as select * from parsed_rows")
            conn.unregister("parsed_rows")
        if key is not None:
            conn.execute(
                f"insert or replace into {SCHEMA}.{LOADED} values (?, ?, ?, now(), ?)",
                [table, key, run_id, json.dumps(metadata)],
            )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise


def _summary(exc: Exception) -> str:
    cases = getattr(exc, "failure_cases", None)
    if isinstance(cases, pd.DataFrame) and len(cases):
        counts = cases.groupby(["column", "check"], dropna=False).size()
        return "; ".join(f"{c} {k}: {n} rows" for (c, k), n in counts.items())
    return str(exc).splitlines()[0]


@dg.asset(
    key=TABLE_STATUS_KEY,
    group_name=GROUP,
    description="What this run made of each StatBank snapshot (statbank.table_status: loaded, "
    "previous_kept or unavailable, with the reason), as the tables' steps left it. dbt reads it "
    "so that the figures of an unusable table are not_available with the reason (SPEC §6).",
    kinds={"duckdb"},
    deps=[statbank_key(table) for table in STATBANK_TABLES],
    pool="warehouse",
)
def statbank_table_status(warehouse: WarehouseResource) -> dg.MaterializeResult:
    # Written by the steps above (record_status); this step only makes sure the table exists
    # for dbt and shows it. No "reason" key: pipeline/run.py reads that as a missing table.
    with warehouse.get_connection() as conn:
        ensure_status_table(conn)
        statuses = table_statuses(conn)
    not_usable = sorted(t for t, (status, _) in statuses.items() if status == UNAVAILABLE_STATUS)
    return dg.MaterializeResult(
        metadata={
            "status_by_table": dg.MetadataValue.json({t: s for t, (s, _) in statuses.items()}),
            "not_usable": dg.MetadataValue.json(not_usable),
        }
    )


statbank_assets = [
    statbank_snapshots,
    *(_build(table) for table in STATBANK_TABLES),
    statbank_table_status,
]
