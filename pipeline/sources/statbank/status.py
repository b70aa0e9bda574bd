"""What the last run made of each StatBank table's snapshot (SPEC §6, degrade, never halt).

`statbank.table_status` holds one row per table: `loaded`, `previous_kept` (the snapshot could
not be used; the tables of an earlier one stay) or `unavailable` (no usable snapshot was ever
loaded; the tables are empty), with the reason. The publication record copies it, so BI can
see which figures lack their Danmarks Statistik input and why, and dbt reads it (source
`statbank.table_status`, asset `statbank/table_status`) to make the figures of an unusable table
`not_available` with the reason instead of reading its empty tables as "nothing published".
"""

from __future__ import annotations

import duckdb

SCHEMA = "statbank"
STATUS = "table_status"
LOADED_STATUS = "loaded"
PREVIOUS_KEPT_STATUS = "previous_kept"
UNAVAILABLE_STATUS = "unavailable"
# Why a snapshot could not be used, as a code dbt words in English and Danish
# (dbt_project/macros/statbank_notes.sql); the reason beside it is the operator's full text.
SNAPSHOT_MISSING = "snapshot_missing"
SNAPSHOT_UNREADABLE = "snapshot_unreadable"
CONTRACT_BROKEN = "contract_broken"
REASON_CODES = (SNAPSHOT_MISSING, SNAPSHOT_UNREADABLE, CONTRACT_BROKEN)


def record_status(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    status: str,
    reason: str | None,
    run_id: str,
    reason_code: str | None = None,
) -> None:
    """What the last run made of the table's snapshot; the publication record and dbt read it.
    `reason_code` (one of REASON_CODES) is given with a reason."""
    if reason_code is not None and reason_code not in REASON_CODES:
        raise ValueError(f"unknown StatBank reason code {reason_code!r}")
    ensure_status_table(conn)
    conn.execute(
        f"insert or replace into {SCHEMA}.{STATUS} "
        "(table_code, status, reason, run_id, checked_at, reason_code) "
        "values (?, ?, ?, ?, now(), ?)",
        [table, status, reason, run_id, reason_code],
    )


def ensure_status_table(conn: duckdb.DuckDBPyConnection) -> None:
    """The status table, empty when no StatBank step has run yet (dbt reads it as a source)."""
    conn.execute(f"create schema if not exists {SCHEMA}")
    conn.execute(
        f"create table if not exists {SCHEMA}.{STATUS} (table_code varchar primary key, "
        "status varchar, reason varchar, run_id varchar, checked_at timestamptz, "
        "reason_code varchar)"
    )
    # A warehouse whose table predates reason_code.
    conn.execute(f"alter table {SCHEMA}.{STATUS} add column if not exists reason_code varchar")


def table_statuses(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str | None]]:
    """table -> (status, reason) as the last StatBank step left it; empty before any."""
    present = conn.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [SCHEMA, STATUS],
    ).fetchone()
    if present is None or present[0] == 0:
        return {}
    rows = conn.execute(f"select table_code, status, reason from {SCHEMA}.{STATUS}").fetchall()
    return {table: (status, reason) for table, status, reason in rows}
