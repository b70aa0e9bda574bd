"""The rows stored are the rows the contract accepted: a check on the warehouse after ingestion.

The pandera contract runs once, on the typed rows before they are stored (check_delivery.py),
and decides every row's fate there. What can still go wrong is the write: rows lost, doubled,
or left over from another delivery. So the check compares, per municipality and file, the rows
in the landing table with the number the contract accepted (`landing.delivery_files`) for the
delivery those rows must come from: the municipality's newest accepted one. One grouped scan
per table, in SQL; running the whole contract again on the rows read back cost a national run
several seconds (benchmarks/README.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Mismatch:
    municipality_code: str
    delivery_date: dt.date | None
    accepted: int  # by the contract, for the delivery the rows must come from
    stored: int  # rows of that municipality and delivery in the landing table

    def describe(self) -> dict[str, object]:
        return {
            "municipality_code": self.municipality_code,
            "delivery_date": None if self.delivery_date is None else str(self.delivery_date),
            "accepted": self.accepted,
            "stored": self.stored,
        }


def stored_row_mismatches(
    conn: duckdb.DuckDBPyConnection, file: str, municipalities: list[str]
) -> tuple[int, list[Mismatch]]:
    """The rows of `landing.<file>` for the municipalities, and where they differ from what the
    contract accepted (empty when every municipality's rows are its accepted delivery's)."""
    rows = conn.execute(
        f"""
        with chosen as (
            select unnest(?::varchar[]) as municipality_code
        ),

        stored as (
            select municipality_code, delivery_date, count(*) as stored
            from landing.{file}
            where municipality_code in (select municipality_code from chosen)
            group by all
        ),

        current_delivery as (
            select municipality_code, max(delivery_date) as delivery_date
            from landing.deliveries
            where status = 'accepted'
                and municipality_code in (select municipality_code from chosen)
            group by all
        ),

        accepted as (
            select files.municipality_code, files.delivery_date, files.rows_accepted as accepted
            from landing.delivery_files as files
            inner join current_delivery using (municipality_code, delivery_date)
            where files.file = ?
        )

        select
            municipality_code,
            delivery_date,
            coalesce(accepted.accepted, 0) as accepted,
            coalesce(stored.stored, 0) as stored
        from accepted
        full outer join stored using (municipality_code, delivery_date)
        order by municipality_code, delivery_date
        """,
        [municipalities, file],
    ).fetchall()
    total = sum(int(row[3]) for row in rows)
    mismatches = [
        Mismatch(str(code), day, int(accepted), int(stored))
        for code, day, accepted, stored in rows
        if accepted != stored
    ]
    return total, mismatches
