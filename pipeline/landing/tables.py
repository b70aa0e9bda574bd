"""The landing schema of the warehouse: one table per delivered file, the quarantine, the log.

Each municipality's rows in a file table come from its newest accepted delivery: storing a
delivery replaces that municipality's rows in one transaction, so re-ingesting the same delivery
gives the same tables, and a rejected delivery leaves the previous rows in place.
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


def store_outcome(
    conn: duckdb.DuckDBPyConnection, outcome: DeliveryOutcome, run_id: str, at: dt.datetime
) -> None:
    """Write one delivery's verdict; its rows only if it was accepted. One transaction."""
    delivery = outcome.delivery
    key = [delivery.municipality_code, delivery.delivery_date]
    conn.execute("begin transaction")
    try:
        conn.execute(
            "delete from landing.quarantine where municipality_code = ? and delivery_date = ?", key
        )
        if len(outcome.quarantine):
            quarantine = outcome.quarantine.assign(
                run_id=run_id,
                municipality_code=delivery.municipality_code,
                delivery_date=pd.Timestamp(delivery.delivery_date),
                quarantined_at=pd.Timestamp(at),
            )
            conn.register("quarantine_rows", quarantine)
            conn.execute("insert into landing.quarantine by name select * from quarantine_rows")
            conn.unregister("quarantine_rows")
        conn.execute(
            "insert or replace into landing.deliveries values (?, ?, ?, ?, ?, ?, ?)",
            [
                *key,
                "accepted" if outcome.accepted_ok else "rejected",
                outcome.rejection,
                outcome.warnings,
                run_id,
                at,
            ],
        )
        conn.execute(
            "delete from landing.delivery_files where municipality_code = ? and delivery_date = ?",
            key,
        )
        for file in outcome.files.values():
            conn.execute(
                "insert into landing.delivery_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    *key,
                    file.file,
                    file.present,
                    file.rows_read,
                    file.rows_accepted,
                    file.rows_quarantined,
                    file.encoding,
                    file.delimiter,
                    list(file.unknown_columns),
                ],
            )
        if outcome.accepted_ok:
            for spec in FILES:
                conn.execute(
                    f"delete from {SCHEMA}.{spec.name} where municipality_code = ?",
                    [delivery.municipality_code],
                )
                frame = outcome.accepted.get(spec.name)
                if frame is not None and len(frame):
                    conn.register("accepted_rows", frame)
                    conn.execute(
                        f"insert into {SCHEMA}.{spec.name} by name select * from accepted_rows"
                    )
                    conn.unregister("accepted_rows")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
