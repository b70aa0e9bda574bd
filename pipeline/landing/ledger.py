"""Which deliveries were read, and their verdicts: `landing.deliveries` in the warehouse.

The warehouse is the one record of what was ingested. The delivery sensor, the nightly
schedule, the build sensor and `noegletal run` all read it here, so a delivery read by one path
(the command line, say) is not read again by another (the UI's sensor), and no verdict is kept
a second time in Dagster's metadata.
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


def read_delivery_keys(warehouse_path: Path) -> set[str]:
    """The keys of every delivery read so far, accepted or rejected."""
    return {verdict.key for verdict in read_verdicts(warehouse_path)}


def run_verdicts(warehouse_path: Path, run_id: str) -> tuple[list[str], dict[str, str]]:
    """(accepted municipalities, rejected municipality -> reason) of one ingestion run."""
    verdicts = read_verdicts(warehouse_path, run_id)
    accepted = sorted(v.municipality_code for v in verdicts if v.accepted)
    rejected = {v.municipality_code: v.rejection or "" for v in verdicts if not v.accepted}
    return accepted, rejected
