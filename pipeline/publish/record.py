"""The `publication` record: which run published what, from which inputs, with which code.

One row, written into the serving file and as Parquet beside the tables, so a BI developer can
see which run they are looking at (every Parquet file also carries the run id in its metadata).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass, field
from importlib import metadata

import duckdb

from pipeline.paths import PROJECT_DIR
from pipeline.publish.db import scalar
from pipeline.settings import Settings
from pipeline.sources.statbank.snapshots import read_snapshot_meta
from pipeline.sources.statbank.status import table_statuses
from pipeline.sources.statbank.tables import STATBANK_TABLES


@dataclass(frozen=True)
class PublicationRecord:
    run_id: str
    published_at: dt.datetime
    pipeline_version: str
    git_commit: str
    suppression_threshold: int
    deliveries: list[dict[str, object]] = field(default_factory=list)
    statbank_snapshots: list[dict[str, object]] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def is_audit_copy(self) -> bool:
        return self.suppression_threshold == 0

    def as_row(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "published_at": self.published_at,
            "pipeline_version": self.pipeline_version,
            "git_commit": self.git_commit,
            "suppression_threshold": self.suppression_threshold,
            "is_audit_copy": self.is_audit_copy,
            "deliveries": json.dumps(self.deliveries, ensure_ascii=False),
            "statbank_snapshots": json.dumps(self.statbank_snapshots, ensure_ascii=False),
            "tables": json.dumps(self.tables, sort_keys=True),
        }


# Column comments of the `publication` table in the serving file.
RECORD_COLUMNS = {
    "run_id": "Dagster run id of the run that published.",
    "published_at": "When the publication was swapped in (UTC).",
    "pipeline_version": "Version of the noegletal package.",
    "git_commit": "Git commit of the pipeline code ('+dirty' when it had uncommitted changes).",
    "suppression_threshold": "Small-cell threshold t: counts 1 .. t - 1 are suppressed.",
    "is_audit_copy": "True for an internal audit copy without suppression (never in serving/).",
    "deliveries": "JSON list of the deliveries used: municipality_code, delivery_date and "
    "files_not_available (files of input contract v1 the delivery lacked or that could not be "
    "read; the figures they feed are not available).",
    "statbank_snapshots": "JSON list of the Danmarks Statistik snapshots used: table, status "
    "(loaded; previous_kept or unavailable with the reason), provenance (fetched, synthetic, "
    "placed by hand with sha256 and modification time), when fetched, and the newest period.",
    "tables": "JSON object: published table -> row count.",
}


def deliveries_used(conn: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """The delivery whose rows each municipality's figures come from, and the files of input
    contract v1 it did not hold or that could not be read (their figures are not available:
    SPEC §6, the record names what was missing)."""
    rows = conn.execute(
        "select d.municipality_code, strftime(d.delivery_date, '%Y-%m-%d'), "
        "list(f.file order by f.file) filter (where not f.present) "
        "from intermediate.int_current_deliveries as d "
        "left join landing.delivery_files as f "
        "on f.municipality_code = d.municipality_code and f.delivery_date = d.delivery_date "
        "group by all order by 1"
    ).fetchall()
    return [
        {"municipality_code": m, "delivery_date": d, "files_not_available": missing or []}
        for m, d, missing in rows
    ]


def statbank_snapshots_used(
    conn: duckdb.DuckDBPyConnection, settings: Settings
) -> list[dict[str, object]]:
    snapshots: list[dict[str, object]] = []
    statuses = table_statuses(conn)
    for table in STATBANK_TABLES:
        entry: dict[str, object] = {"table": table}
        # What the run's StatBank step made of it (SPEC §6: the record names what was missing).
        status, reason = statuses.get(table, (None, None))
        entry["status"] = status
        if reason:
            entry["reason"] = reason
        try:
            meta = read_snapshot_meta(table, settings.statbank_dir)
        except Exception as exc:  # a missing snapshot is worth a note, not a failed publication
            entry["error"] = f"{type(exc).__name__}"
        else:
            entry["provenance"] = meta.provenance
            entry["synthetic"] = meta.synthetic
            entry["fetched_at"] = meta.fetched_at.isoformat() if meta.fetched_at else None
            if meta.placed_by_hand:
                entry["sha256"] = meta.sha256
                entry["modified_at"] = meta.modified_at.isoformat() if meta.modified_at else None
        entry["newest_period"] = _newest_period(conn, table)
        snapshots.append(entry)
    return snapshots


def _newest_period(conn: duckdb.DuckDBPyConnection, table: str) -> str | None:
    name = table.lower()
    columns = {
        c
        for (c,) in conn.execute(
            "select column_name from duckdb_columns() "
            "where schema_name = 'statbank' and table_name = ?",
            [name],
        ).fetchall()
    }
    period = next((c for c in ("quarter", "year") if c in columns), None)
    if period is None:
        return None
    found = scalar(conn, f'select max("{period}")::varchar from statbank."{name}"')
    return None if found is None else str(found)


def pipeline_version() -> str:
    try:
        return metadata.version("noegletal")
    except metadata.PackageNotFoundError:
        return "unknown"


def git_commit() -> str:
    """The commit of the code that runs, or 'unknown' outside a git checkout."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}+dirty" if status else head
