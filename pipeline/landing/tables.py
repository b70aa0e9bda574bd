"""The landing schema of the warehouse: one table per delivered file, the quarantine, the log.

Each municipality's rows in a file table come from its newest accepted delivery: storing a
batch of deliveries replaces their municipalities' rows in one transaction, so re-ingesting the
same delivery gives the same tables, and a rejected delivery leaves the previous rows in place.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from pipeline.landing.check_delivery import DeliveryOutcome
from pipeline.landing.columns import landing_columns
from pipeline.sources.extracts.spec import FILES

SCHEMA = "landing"

_QUARANTINE = """
create table if not exists landing.quarantine (
    run_id varchar not null,
    municipality_code varchar not null,
    delivery_date date not null,
    file varchar not null,
    line_number bigint,
    "column" varchar,
    rule varchar not null,
    person_id varchar,
    quarantined_at timestamp not null
)
"""
# The row's own id, what it refers to, a date rule's two dates (check_delivery.py).
_QUARANTINE_DETAILS = (
    ("row_id", "varchar"),
    ("refers_to", "varchar"),
    ("found_date", "date"),
    ("compared_date", "date"),
)

_DELIVERIES = """
create table if not exists landing.deliveries (
    municipality_code varchar not null,
    delivery_date date not null,
    status varchar not null,
    rejection varchar,
    warnings varchar[],
    run_id varchar not null,
    ingested_at timestamp not null,
    primary key (municipality_code, delivery_date)
)
"""

_DELIVERY_FILES = """
create table if not exists landing.delivery_files (
    municipality_code varchar not null,
    delivery_date date not null,
    file varchar not null,
    present boolean not null,
    rows_read bigint not null,
    rows_accepted bigint not null,
    rows_quarantined bigint not null,
    encoding varchar,
    delimiter varchar,
    unknown_columns varchar[],
    primary key (municipality_code, delivery_date, file)
)
"""


class LandingLayoutError(RuntimeError):
    """A landing table was made by an older version of the pipeline."""


def ensure_landing_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(f"create schema if not exists {SCHEMA}")
    for spec in FILES:
        columns = landing_columns(spec)
        body = ",\n    ".join(f'"{c.name}" {c.duckdb_type}' for c in columns)
        conn.execute(f"create table if not exists {SCHEMA}.{spec.name} (\n    {body}\n)")
        existing = [
            row[0]
            for row in conn.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [SCHEMA, spec.name],
            ).fetchall()
        ]
        if existing != [c.name for c in columns]:
            raise LandingLayoutError(
                f"{SCHEMA}.{spec.name} has the columns of an older pipeline version; "
                "rebuild the warehouse (delete <data-dir>/warehouse and run again: every "
                "municipality's newest delivery is read back from the landing area)"
            )
    for ddl in (_QUARANTINE, _DELIVERIES, _DELIVERY_FILES):
        conn.execute(ddl)
    # Added for the feedback report (SPEC §13); a warehouse made before keeps its rows.
    for column, kind in _QUARANTINE_DETAILS:
        conn.execute(f"alter table {SCHEMA}.quarantine add column if not exists {column} {kind}")


def store_outcomes(
    conn: duckdb.DuckDBPyConnection, outcomes: list[DeliveryOutcome], run_id: str, at: dt.datetime
) -> None:
    """Write the verdicts of a batch of deliveries (at most one per municipality), and the rows
    of those accepted, in one transaction: a failure leaves every table as it was.

    The rows of a file are stacked and inserted once per batch: DuckDB's fixed cost per
    statement, times 16 files, made inserting them per delivery several times slower
    (benchmarks/README.md, item 16)."""
    if not outcomes:
        return
    keys = pd.DataFrame(
        {
            "municipality_code": [o.delivery.municipality_code for o in outcomes],
            "delivery_date": pd.to_datetime([o.delivery.delivery_date for o in outcomes]),
        }
    )
    accepted = [o for o in outcomes if o.accepted_ok]
    conn.execute("begin transaction")
    try:
        conn.register("batch_keys", keys)
        for table in ("quarantine", "delivery_files"):
            conn.execute(
                f"delete from {SCHEMA}.{table} using batch_keys "
                f"where {table}.municipality_code = batch_keys.municipality_code "
                f"and {table}.delivery_date = batch_keys.delivery_date"
            )
        _insert(conn, "quarantine", [_quarantine_rows(o, run_id, at) for o in outcomes])
        conn.executemany(
            f"insert or replace into {SCHEMA}.deliveries values (?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    o.delivery.municipality_code,
                    o.delivery.delivery_date,
                    "accepted" if o.accepted_ok else "rejected",
                    o.rejection,
                    o.warnings,
                    run_id,
                    at,
                ]
                for o in outcomes
            ],
        )
        _insert(conn, "delivery_files", [_file_rows(o) for o in outcomes])
        codes = [o.delivery.municipality_code for o in accepted]
        for spec in FILES:
            if codes:
                conn.execute(
                    f"delete from {SCHEMA}.{spec.name} "
                    "where municipality_code in (select unnest(?::varchar[]))",
                    [codes],
                )
            _insert(conn, spec.name, [o.accepted.get(spec.name) for o in accepted])
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    finally:
        conn.unregister("batch_keys")


def _insert(conn: duckdb.DuckDBPyConnection, table: str, frames: list[pd.DataFrame | None]) -> None:
    present = [frame for frame in frames if frame is not None and len(frame)]
    if not present:
        return
    rows = present[0] if len(present) == 1 else pd.concat(present, ignore_index=True)
    conn.register("batch_rows", rows)
    try:
        conn.execute(f"insert into {SCHEMA}.{table} by name select * from batch_rows")
    finally:
        conn.unregister("batch_rows")


def _quarantine_rows(outcome: DeliveryOutcome, run_id: str, at: dt.datetime) -> pd.DataFrame:
    return outcome.quarantine.assign(
        run_id=run_id,
        municipality_code=outcome.delivery.municipality_code,
        delivery_date=pd.Timestamp(outcome.delivery.delivery_date),
        quarantined_at=pd.Timestamp(at),
    )


def _file_rows(outcome: DeliveryOutcome) -> pd.DataFrame:
    files = list(outcome.files.values())
    return pd.DataFrame(
        {
            "municipality_code": outcome.delivery.municipality_code,
            "delivery_date": pd.Timestamp(outcome.delivery.delivery_date),
            "file": pd.Series([f.file for f in files], dtype=object),
            "present": pd.Series([f.present for f in files], dtype=bool),
            "rows_read": pd.Series([f.rows_read for f in files], dtype="int64"),
            "rows_accepted": pd.Series([f.rows_accepted for f in files], dtype="int64"),
            "rows_quarantined": pd.Series([f.rows_quarantined for f in files], dtype="int64"),
            "encoding": pd.Series([f.encoding for f in files], dtype=object),
            "delimiter": pd.Series([f.delimiter for f in files], dtype=object),
            "unknown_columns": pd.Series([list(f.unknown_columns) for f in files], dtype=object),
        }
    )
