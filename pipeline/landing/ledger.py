"""Which deliveries were read, their verdicts and what they landed: `landing.deliveries`,
`landing.delivery_files` and `landing.quarantine` in the warehouse.

The warehouse is the one record of what was ingested. The delivery sensor, the nightly
schedule, the build sensor and `noegletal run` all read it here, so a delivery read by one path
(the command line, say) is not read again by another (the UI's sensor), and no verdict or count
is kept a second time in Dagster's metadata (the assets' metadata is for the UI).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb


class WarehouseBusy(RuntimeError):
    """A run holds the warehouse; the caller tries again later (a sensor: on its next tick)."""


@dataclass(frozen=True)
class Verdict:
    municipality_code: str
    delivery_date: str  # YYYY-MM-DD, as the delivery folder is named
    accepted: bool
    rejection: str | None
    run_id: str

    @property
    def key(self) -> str:
        """`<municipality>/<date>`, as `Delivery.key`."""
        return f"{self.municipality_code}/{self.delivery_date}"


def read_verdicts(warehouse_path: Path, run_id: str | None = None) -> list[Verdict]:
    """Every delivery read so far (or only those of one ingestion run), oldest first. A
    warehouse that does not exist yet has read none."""
    if not warehouse_path.exists():
        return []
    try:
        conn = duckdb.connect(str(warehouse_path), read_only=True)
    except duckdb.Error as exc:
        # Another process writes (DuckDB has one writer per file and no readers beside it).
        raise WarehouseBusy(f"the warehouse {warehouse_path} is in use by a run") from exc
    with conn:
        present = conn.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'landing' and table_name = 'deliveries'"
        ).fetchone()
        if not present or not present[0]:
            return []
        rows = conn.execute(
            "select municipality_code, strftime(delivery_date, '%Y-%m-%d'), status = 'accepted', "
            "rejection, run_id from landing.deliveries "
            "where ? is null or run_id = ? order by delivery_date, municipality_code",
            [run_id, run_id],
        ).fetchall()
    return [Verdict(*row) for row in rows]


@dataclass(frozen=True)
class Landed:
    """What one ingestion run landed, as the warehouse holds it."""

    rows_accepted: int  # rows of the accepted deliveries' files now in the landing tables
    quarantine_records: int  # rows of landing.quarantine (a row can have several)
    quarantined_by_rule: dict[str, int]  # quarantined rows per rule (a row under each it broke)
    accepted: list[str]  # the accepted deliveries' keys, by municipality
    warnings: dict[str, list[str]]  # municipality -> its delivery's warnings, rejected ones too


def read_landed(warehouse_path: Path, run_id: str) -> Landed | None:
    """What the ingestion run `run_id` landed: its deliveries (landing.deliveries), their
    files' accepted rows (landing.delivery_files) and its quarantine (landing.quarantine).
    None when the warehouse has no landing tables yet (the run failed before it made them)."""
    if not warehouse_path.exists():
        return None
    with duckdb.connect(str(warehouse_path), read_only=True) as conn:
        [(tables,)] = conn.execute(
            "select count(*) from information_schema.tables where table_schema = 'landing' "
            "and table_name in ('deliveries', 'delivery_files', 'quarantine')"
        ).fetchall()
        if tables < 3:
            return None
        deliveries = conn.execute(
            "select municipality_code, strftime(delivery_date, '%Y-%m-%d'), status, warnings "
            "from landing.deliveries where run_id = ? order by municipality_code, delivery_date",
            [run_id],
        ).fetchall()
        [(rows_accepted,)] = conn.execute(
            "select coalesce(sum(files.rows_accepted), 0) from landing.delivery_files as files "
            "inner join landing.deliveries using (municipality_code, delivery_date) "
            "where deliveries.run_id = ? and deliveries.status = 'accepted'",
            [run_id],
        ).fetchall()
        [(records,)] = conn.execute(
            "select count(*) from landing.quarantine where run_id = ?", [run_id]
        ).fetchall()
        # A row is one (delivery, file, line); it counts once under each rule it broke.
        by_rule = conn.execute(
            "select rule, count(*) from (select distinct municipality_code, delivery_date, "
            "file, line_number, rule from landing.quarantine where run_id = ?) "
            "group by rule order by rule",
            [run_id],
        ).fetchall()
    return Landed(
        rows_accepted=int(rows_accepted),
        quarantine_records=int(records),
        quarantined_by_rule={str(rule): int(n) for rule, n in by_rule},
        accepted=[f"{code}/{day}" for code, day, status, _ in deliveries if status == "accepted"],
        warnings={code: list(found) for code, _, _, found in deliveries if found},
    )


def read_delivery_keys(warehouse_path: Path) -> set[str]:
    """The keys of every delivery read so far, accepted or rejected."""
    return {verdict.key for verdict in read_verdicts(warehouse_path)}


def run_verdicts(warehouse_path: Path, run_id: str) -> tuple[list[str], dict[str, str]]:
    """(accepted municipalities, rejected municipality -> reason) of one ingestion run."""
    verdicts = read_verdicts(warehouse_path, run_id)
    accepted = sorted(v.municipality_code for v in verdicts if v.accepted)
    rejected = {v.municipality_code: v.rejection or "" for v in verdicts if not v.accepted}
    return accepted, rejected
