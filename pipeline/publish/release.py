"""Write, audit, publish: the publication step of a run, in one place.

1. Stage: everything is written under `<target>/.incoming-<run id>/` (same filesystem as the
   publication, so a rename is atomic): dbt docs, the serving DuckDB file (checkpointed and
   closed), Parquet, workbooks, report.
2. Audit: the staged files are checked (audit.py); a problem fails the step.
3. Publish: each staged file is fsynced (a carried-over one is already on disk) and renamed
   over its published name with os.replace, the serving DuckDB file last (its `publication`
   record marks the release complete); files of an older release that this one no longer has
   are removed.

A step that fails at 1 or 2 removes its staging folder and leaves every published byte as it
was. A process killed at 1 or 2 leaves only the staging folder, which the next publication
removes. A reader holding the old serving file keeps reading the old file (os.replace gives
the name to a new file; the old one lives until the reader closes it) and sees the new release
when it reconnects.

With suppression switched off (threshold 0) the same release is written to
`<data-dir>/internal/audit-copy/` instead: an internal audit copy that never reaches serving/.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.dbt.docs import write_docs
from pipeline.feedback.report import (
    FeedbackAuditError,
    feedback_folder,
    read_facts,
    revision_facts,
    write_feedback,
)
from pipeline.publish.audit import audit_release, known_pseudonyms, raise_on_problems
from pipeline.publish.files import write_files
from pipeline.publish.movements_page import write_movement_pages
from pipeline.publish.record import (
    PublicationRecord,
    deliveries_used,
    git_commit,
    pipeline_version,
    statbank_snapshots_used,
)
from pipeline.publish.report import BENCHMARK_COLUMNS, PEER_MEDIAN_COLUMNS
from pipeline.publish.revisions import (
    KEY,
    PendingChanges,
    drop_staged_revisions,
    record_history,
    revised_figures,
    stage_revisions,
)
from pipeline.publish.serving import (
    PARQUET_DIR,
    RECORD_TABLE,
    SERVING_FILE,
    published_relations,
    write_parquet,
    write_record_parquet,
    write_serving_database,
)
from pipeline.settings import Settings

STAGING_PREFIX = ".incoming-"
PUBLISHED_VALUES = "publication.indicator_values"
BENCHMARK_TABLE = "indicator_benchmarks"
SWAP_MARKER = ".swap-in-progress"
# The folders a release owns: files in them that a new release does not have are removed.
MANAGED_FOLDERS = (PARQUET_DIR, "excel", "report", "docs")

Connect = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]
Log = Callable[[str], None]


@dataclass(frozen=True)
class PublicationResult:
    target: Path
    record: PublicationRecord
    files: int
    suppressed_rows: int
    audit_copy: bool
    # What this publication changed against the history (None for an audit copy).
    changes: PendingChanges | None = None


def publication_folder(settings: Settings) -> Path:
    """serving/ for BI; an internal folder when suppression is switched off."""
    if settings.suppression_threshold == 0:
        return settings.data_dir / "internal" / "audit-copy"
    return settings.serving_dir


def publish(settings: Settings, run_id: str, connect: Connect, log: Log) -> PublicationResult:
    target = publication_folder(settings)
    target.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target, log)
    staging = target / f"{STAGING_PREFIX}{run_id}"
    staging.mkdir()
    try:
        log("staging: dbt docs")
        interrupted = (target / SWAP_MARKER).exists()  # then the folder may be a mix
        docs = write_docs(settings, staging / "docs", None if interrupted else target / "docs")
        if docs.carried:
            log("staging: dbt docs unchanged since the previous publication, carried over")
        log("staging: serving file and Parquet")
        published_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with connect() as conn:
            # The revisions this release would make are published with it; the history keeps
            # them only after the swap (revisions.py). An audit copy is compared with nothing.
            changes = None
            if settings.suppression_threshold == 0:
                drop_staged_revisions(conn)
            else:
                changes = stage_revisions(conn, run_id, published_at, PUBLISHED_VALUES)
            relations = published_relations(conn)
            record = PublicationRecord(
                run_id=run_id,
                published_at=published_at,
                pipeline_version=pipeline_version(),
                git_commit=git_commit(),
                suppression_threshold=settings.suppression_threshold,
                deliveries=deliveries_used(conn),
                statbank_snapshots=statbank_snapshots_used(conn, settings),
            )
            serving_file = staging / SERVING_FILE
            tables = write_serving_database(conn, serving_file, relations, record)
            record = replace(record, tables=tables)
            write_parquet(conn, staging / PARQUET_DIR, relations, run_id)
            values = conn.execute(f"select * from {PUBLISHED_VALUES}").df()
            if changes is not None:
                values = values.merge(revised_figures(conn), how="left", on=list(KEY))
            indicators = conn.execute("select * from publication.indicators").df()
            benchmarks = _benchmarks(conn, relations)
            medians = conn.execute(
                f"select {', '.join(PEER_MEDIAN_COLUMNS)} from publication.peer_medians"
            ).df()
            movements = _movements(conn, relations)
            pseudonyms = known_pseudonyms(conn)
        write_record_parquet(serving_file, staging / PARQUET_DIR, run_id)
        municipalities = values["municipality_code"].nunique()
        log(f"staging: workbooks and report for {municipalities} municipalities")
        previous = None if interrupted else target
        files = write_files(
            values, indicators, record, staging, benchmarks, previous, medians=medians
        )
        if movements is not None:
            write_movement_pages(*movements, record, staging / "report")
        log(
            f"staging: {files.workbooks} workbooks and {files.pages} report pages "
            f"({files.workbooks_carried_over} and {files.pages_carried_over} unchanged since "
            f"the previous publication, carried over), in {files.processes} processes"
        )
        log("audit")
        # One cache per publication folder: an audit copy's files would push out serving's.
        scan_cache = settings.data_dir / "internal" / f"audit-scan-cache-{target.name}.json"
        raise_on_problems(
            audit_release(staging, serving_file, tables, pseudonyms, scan_cache=scan_cache)
        )
        log(f"publish: swapping into {target}")
        files = swap_in(staging, target, run_id)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    if changes is not None:
        with connect() as conn:
            record_history(conn, run_id, published_at, PUBLISHED_VALUES)
            log(
                f"history: {changes.new} new figures, {changes.revised} revised, "
                f"{changes.withdrawn} withdrawn"
            )
            _add_revisions_to_feedback(settings, conn, record, changes, pseudonyms, log)
    return PublicationResult(
        target=target,
        record=record,
        files=files,
        suppressed_rows=int(values["suppressed"].sum()),
        audit_copy=record.is_audit_copy,
        changes=changes,
    )


def _add_revisions_to_feedback(
    settings: Settings,
    conn: duckdb.DuckDBPyConnection,
    record: PublicationRecord,
    changes: PendingChanges,
    pseudonyms: set[str],
    log: Log,
) -> None:
    """The feedback report of each municipality's current delivery lists the published
    figures it revised (SPEC §13): written when the delivery is first published, and again
    when a publication revises its figures. The publication has been made; a report that
    cannot be written is logged, and the next publication tries again."""
    for delivery in record.deliveries:
        code, day = delivery["municipality_code"], dt.date.fromisoformat(delivery["delivery_date"])
        folder = feedback_folder(settings.feedback_dir, code, day)
        facts = read_facts(folder)
        if facts is None or (facts["revisions"] is not None and code not in changes.municipalities):
            continue
        facts["revisions"] = revision_facts(conn, code, day)
        try:
            write_feedback(folder, facts, pseudonyms)
        except (OSError, FeedbackAuditError) as exc:
            log(f"ERROR: the feedback report of {code}/{day} was not updated: {exc}")


def _benchmarks(conn: duckdb.DuckDBPyConnection, relations: list[str]) -> pd.DataFrame | None:
    """The published benchmark series for the report, when the publication layer has them."""
    if BENCHMARK_TABLE not in relations:
        return None
    columns = ", ".join(BENCHMARK_COLUMNS)
    return conn.execute(f"select {columns} from publication.{BENCHMARK_TABLE}").df()


def _movements(
    conn: duckdb.DuckDBPyConnection, relations: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The published movement tables (SPEC §12) for the report's movement pages."""
    if not {"ladder_transitions", "placement_durations"} <= set(relations):
        return None
    return (
        conn.execute("select * from publication.ladder_transitions").df(),
        conn.execute("select * from publication.placement_durations").df(),
    )


def remove_leftovers(target: Path, log: Log) -> None:
    """Staging folders of killed runs; and a note when a swap was interrupted."""
    for folder in target.glob(f"{STAGING_PREFIX}*"):
        log(f"removing {folder.name}, left by a run that did not finish publishing")
        shutil.rmtree(folder, ignore_errors=True)
    marker = target / SWAP_MARKER
    if marker.exists():
        log(
            "the previous publication was interrupted while swapping files in; this one "
            "replaces every file"
        )


def _staged_files(staging: Path) -> Iterator[Path]:
    """Every staged file, the serving DuckDB file last: it commits the release."""
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    yield from (p for p in files if p.relative_to(staging).as_posix() != SERVING_FILE)
    yield from (p for p in files if p.relative_to(staging).as_posix() == SERVING_FILE)


def swap_in(staging: Path, target: Path, run_id: str) -> int:
    staged = list(_staged_files(staging))
    for path in staged:
        # A file carried over is a hard link to the published file (carry_over.py), whose data
        # was synced when it was published: only the files written by this run need it (5,000
        # opened and synced took about 1 s nationally).
        if path.stat().st_nlink == 1:
            _fsync(path)
    marker = target / SWAP_MARKER
    marker.write_text(run_id, encoding="utf-8")
    published: set[Path] = set()
    for path in staged:
        destination = target / path.relative_to(staging)
        destination.parent.mkdir(parents=True, exist_ok=True)
        path.replace(destination)  # os.replace: atomic on the same filesystem
        published.add(destination)
    for folder in MANAGED_FOLDERS:
        for old in (target / folder).rglob("*") if (target / folder).exists() else []:
            if old.is_file() and old not in published:
                old.unlink()
    _fsync_directory(target)
    marker.unlink()
    return len(published)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def current_publication(settings: Settings) -> dict[str, object] | None:
    """The record of what BI sees now (from its Parquet copy, so the serving file itself is
    never opened by the pipeline), or None when nothing was published yet."""
    path = settings.serving_dir / PARQUET_DIR / f"{RECORD_TABLE}.parquet"
    if not path.exists():
        return None
    with duckdb.connect() as conn:
        rows = conn.execute(
            "select run_id, published_at from read_parquet(?)", [str(path)]
        ).fetchall()
    if not rows:
        return None
    run_id, published_at = rows[0]
    return {"run_id": str(run_id), "published_at": published_at}
