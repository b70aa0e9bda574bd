"""Write, audit, publish: the publication step of a run, in one place.

BI reads `<data-dir>/serving`, a symbolic link to one whole release folder in
`<data-dir>/serving.releases/`. Publishing is switching that one link, so a process killed at
any instant leaves BI one whole publication, the old or the new (SPEC §10).

1. Stage: everything is written under `serving.releases/.incoming-<run id>/`: dbt docs, the
   serving DuckDB file (checkpointed and closed), Parquet, workbooks, report.
2. Audit: the staged files are checked (audit.py); a problem fails the step.
3. Publish: the files this run wrote are fsynced (a carried-over one is already on disk), the
   staging folder is renamed to its release name, and a new link is renamed over `serving`
   (rename(2) is atomic). Releases other than the new one and the one before it are removed.

A step that fails at 1 or 2 removes its staging folder and leaves every published byte as it
was; a process killed before the link switch leaves only a folder that the next publication
removes. A reader holding the old serving file keeps reading it (its release is kept until the
next publication, and an open file outlives its name) and sees the new release when it
reconnects.

With suppression switched off (threshold 0) the same release is published as
`<data-dir>/internal/audit-copy` instead: an internal audit copy that never reaches serving/.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
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
from pipeline.publish.movements_page import movement_page_codes, write_movement_pages
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
RELEASES_SUFFIX = ".releases"
LINK_SUFFIX = ".link"
# Written by the file-by-file swap of earlier versions while it ran: such a folder may mix runs.
LEGACY_SWAP_MARKER = ".swap-in-progress"
PUBLISHED_VALUES = "publication.indicator_values"
BENCHMARK_TABLE = "indicator_benchmarks"

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
    releases = releases_folder(target)
    releases.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target, log)
    staging = releases / f"{STAGING_PREFIX}{run_id}"
    staging.mkdir()
    previous = current_release(target)
    try:
        log("staging: dbt docs")
        docs = write_docs(settings, staging / "docs", previous / "docs" if previous else None)
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
        linked = () if movements is None else movement_page_codes(*movements)
        files = write_files(
            values,
            indicators,
            record,
            staging,
            benchmarks,
            previous,
            medians=medians,
            movement_pages=linked,
        )
        log(
            f"staging: {files.workbooks} workbooks and {files.pages} report pages "
            f"({files.workbooks_carried_over} and {files.pages_carried_over} unchanged since "
            f"the previous publication, carried over), in {files.processes} "
            f"{'process' if files.processes == 1 else 'processes'}"
        )
        if movements is not None:
            moves = write_movement_pages(
                *movements, record, staging / "report", previous / "report" if previous else None
            )
            log(
                f"staging: {len(moves.fingerprints)} movement pages ({moves.carried} unchanged "
                "since the previous publication, carried over)"
            )
        log("audit")
        # One cache per publication folder: an audit copy's files would push out serving's.
        scan_cache = settings.data_dir / "internal" / f"audit-scan-cache-{target.name}.json"
        raise_on_problems(
            audit_release(staging, serving_file, tables, pseudonyms, scan_cache=scan_cache)
        )
        log(f"publish: switching {target} to this release")
        files = switch_to(staging, target, release_name(published_at, run_id))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
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
    """The published movement tables (SPEC §12) for the report's movement pages. A page draws
    each municipality's newest matrix per interval only: the other 50 cut-off dates (about
    600,000 cells nationally) cost seconds to read into pandas and to filter out again."""
    if not {"ladder_transitions", "placement_durations"} <= set(relations):
        return None
    return (
        conn.execute(
            "select * from publication.ladder_transitions qualify cutoff_date = "
            "max(cutoff_date) over (partition by municipality_code, transition_interval)"
        ).df(),
        conn.execute("select * from publication.placement_durations").df(),
    )


def releases_folder(target: Path) -> Path:
    """Where the releases behind the link `target` live: beside it, on the same filesystem."""
    return target.with_name(target.name + RELEASES_SUFFIX)


def current_release(target: Path) -> Path | None:
    """The folder BI reads now, or None before the first publication. A `serving` directory
    written before releases were switched by a link is read as the current release."""
    if target.is_symlink():
        folder = target.resolve()
        return folder if folder.is_dir() else None
    if target.is_dir() and not (target / LEGACY_SWAP_MARKER).exists():
        return target
    return None  # nothing yet, or an old-layout folder whose file-by-file swap was killed


def release_name(published_at: dt.datetime, run_id: str) -> str:
    """Sorts by time; the run id says which run it is."""
    return f"{published_at:%Y%m%dT%H%M%SZ}-{run_id}"


def remove_leftovers(target: Path, log: Log) -> None:
    """What a run killed before it published left: its staging folder, or the new link it had
    made but not yet renamed over `target` (a release folder left unlinked goes with the next
    switch)."""
    for folder in releases_folder(target).glob(f"{STAGING_PREFIX}*"):
        log(f"removing {folder.name}, left by a run that did not finish publishing")
        shutil.rmtree(folder, ignore_errors=True)
    for link in target.parent.glob(f".{target.name}-*{LINK_SUFFIX}"):
        link.unlink(missing_ok=True)


def switch_to(staging: Path, target: Path, name: str) -> int:
    """Make the staged folder the release `target` points to; returns its number of files."""
    files = [p for p in staging.rglob("*") if p.is_file()]
    for path in files:
        # A file carried over is a hard link to a published file (carry_over.py), whose data
        # was synced when it was published: only the files written by this run need it.
        if path.stat().st_nlink == 1:
            _fsync(path)
    for folder in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
        _fsync_directory(folder)
    releases = staging.parent
    release = releases / name
    if release.exists():  # the same run published twice within a second
        shutil.rmtree(release)
    staging.rename(release)
    _fsync_directory(releases)
    previous = current_release(target)
    if target.exists() and not target.is_symlink():
        # A folder of the layout before links: it becomes a release, so the one link can take
        # its name. BI sees no `serving` for the moment between the two renames, once.
        adopted = releases / f"{name}-previous-layout"
        target.rename(adopted)
        previous = None if previous is None else adopted
    link = target.with_name(f".{target.name}-{name}{LINK_SUFFIX}")
    link.unlink(missing_ok=True)
    link.symlink_to(Path(releases.name) / name)
    link.replace(target)  # the publication: one rename(2), atomic
    _fsync_directory(target.parent)
    keep = {release.resolve(), previous.resolve() if previous else None}
    for old in releases.iterdir():
        if old.resolve() in keep:
            continue
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
    return len(files)


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
