"""What the last run made of each StatBank table's snapshot (SPEC §6, degrade, never halt).

`statbank.table_status` holds one row per table: `loaded`, `previous_kept` (the snapshot could
not be used; the tables of an earlier one stay) or `unavailable` (no usable snapshot was ever
loaded; the tables are empty), with the reason. The publication record copies it, so BI can
see which figures lack their Danmarks Statistik input and why.
"""

from __future__ import annotations

import duckdb

SCHEMA = "statbank"
STATUS = "table_status"
LOADED_STATUS = "loaded"
PREVIOUS_KEPT_STATUS = "previous_kept"
UNAVAILABLE_STATUS = "unavailable"


def record_status(
    conn: duckdb.DuckDBPyConnection, table: str, status: str, reason: str | None, run_id: str
) -> None:
    """What the last run made of the table's snapshot; the publication record reads it."""
    conn.execute(f"create schema if not exists {SCHEMA}")
    conn.execute(
        f"create table if not exists {SCHEMA}.{STATUS} (table_code varchar primary key, "
        "status varchar, reason varchar, run_id varchar, checked_at timestamptz)"
    )
    conn.execute(
        f"insert or replace into {SCHEMA}.{STATUS} values (?, ?, ?, ?, now())",
        [table, status, reason, run_id],
    )


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
