"""Revisions (SPEC §13): the history of every published figure, and `indicator_revisions`.

The warehouse keeps `history.indicator_value_versions`: one row per version of a published
(suppressed) row of `indicator_values`, with the runs between which it was published
(`valid_from_run`, the publication that first showed it; `valid_to_run`, the publication that
replaced or withdrew it, NULL while BI still sees it). A new version is made only when the
published row changes: value, numerator, denominator, suppression or status (numbers compared to
ten significant digits, as the carried-over files are: DuckDB's parallel sums may differ in
the last bits between two runs on the same rows). A run that changes nothing adds no row.

Why a Python step of the publication and not a dbt incremental model or snapshot: the history
must hold what BI was shown, and only that. dbt builds before the audit and the swap, and a
command with several build runs publishes once, after the last; a model would record versions
of builds that were never published, or of a publication whose audit then failed. Here the
changes are worked out before the swap (so `indicator_revisions` is published in the same
release and audited with it) and recorded only after the swap succeeded (`record_history`):
a failed or killed run writes no history. A process killed between the swap and the record
leaves that publication's changes to be recorded by the next publication, under its run id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from pipeline.publish.db import literal, scalar

HISTORY_SCHEMA = "history"
VERSIONS = f"{HISTORY_SCHEMA}.indicator_value_versions"
REVISIONS_TABLE = "indicator_revisions"
KEY = ("municipality_code", "cutoff_date", "indicator_id")
COMPARED = ("numerator", "denominator", "value", "suppressed", "status")

_VERSIONS_DDL = f"""
create table if not exists {VERSIONS} (
    municipality_code varchar not null,
    cutoff_date date not null,
    indicator_id varchar not null,
    version integer not null,
    numerator double,
    denominator double,
    value double,
    suppressed boolean not null,
    status varchar not null,
    provisional boolean,
    delivery_date date,
    valid_from_run varchar not null,
    valid_from_at timestamp not null,
    valid_to_run varchar,
    valid_to_at timestamp,
    primary key (municipality_code, cutoff_date, indicator_id, version)
)
"""

# Column comments of the published table (the serving file and Parquet carry them).
REVISION_COLUMNS = {
    "municipality_code": "Municipality (kommune), Danmarks Statistik's 3-digit code.",
    "cutoff_date": "Cut-off date (skæringsdato) of the revised figure.",
    "indicator_id": "Indicator id, as in indicator_values.",
    "revision": "The figure's version number after this change (2 = its first revision).",
    "change": "revised (the published row changed) or withdrawn (no longer published).",
    "cause": "new_delivery (the change came with a newer delivery) or recomputed (same "
    "delivery, changed definitions, reference data or Danmarks Statistik figures).",
    "previous_numerator": "Numerator of the version before the change (NULL when suppressed).",
    "previous_denominator": "Denominator of the version before the change.",
    "previous_value": "Value of the version before the change.",
    "previous_suppressed": "Whether the version before the change was suppressed.",
    "previous_status": "Status (ok / not_available) of the version before the change.",
    "previous_delivery_date": "Delivery the version before the change was computed from.",
    "previous_run_id": "Run that first published the version before the change.",
    "numerator": "Numerator after the change (NULL when suppressed or withdrawn).",
    "denominator": "Denominator after the change.",
    "value": "Value after the change.",
    "suppressed": "Whether the figure is suppressed after the change (NULL when withdrawn).",
    "status": "Status after the change (NULL when withdrawn).",
    "delivery_date": "The delivery that changed the figure: the one the new version is "
    "computed from (NULL when withdrawn).",
    "run_id": "Run whose publication made the change.",
    "revised_at": "When that publication was made (UTC).",
    "first_value": "The value this figure had when it was first published (version 1).",
    "first_suppressed": "Whether the figure was suppressed when it was first published.",
    "first_run_id": "Run that first published the figure.",
}
_TABLE_COMMENT = (
    "Revisions of published figures (SPEC §13): one row per change of a published row of "
    "indicator_values (value, numerator, denominator, suppression or status) between two "
    "publications, with both versions, both run ids, the delivery that changed it and the "
    "figure's first published value. A figure never revised is not here: its first published "
    "value is its value in indicator_values. One row per municipality, cut-off date, "
    "indicator and revision."
)


@dataclass(frozen=True)
class PendingChanges:
    """What this publication changes against the history: counts, before anything is kept."""

    new: int
    revised: int
    withdrawn: int
    municipalities: tuple[str, ...]  # with a revised or withdrawn figure

    @property
    def revisions(self) -> int:
        return self.revised + self.withdrawn


def ensure_history(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(f"create schema if not exists {HISTORY_SCHEMA}")
    conn.execute(_VERSIONS_DDL)


def _significant(expression: str) -> str:
    """`expression` to ten significant digits (NULL and 0 as they are)."""
    return (
        f"(case when {expression} is null or {expression} = 0 then {expression} "
        f"else round({expression}, 9 - floor(log10(abs({expression})))::integer) end)"
    )


def _changes_sql(source: str) -> str:
    """Every figure whose published row in `source` is new, changed or gone, against the
    versions BI sees now; column `change` says which."""
    differs = " or ".join(
        f"{_significant(f'now.{c}')} is distinct from {_significant(f'open.{c}')}"
        if c in ("numerator", "denominator", "value")
        else f"now.{c} is distinct from open.{c}"
        for c in COMPARED
    )
    key = ", ".join(KEY)
    return f"""
        with open as (select * from {VERSIONS} where valid_to_run is null),
        latest as (select {key}, max(version) as last_version from {VERSIONS} group by {key}),
        now as (
            select {key}, {", ".join(COMPARED)}, provisional, delivery_date from {source}
        ),
        joined as (
            select
                {", ".join(f"coalesce(now.{k}, open.{k}) as {k}" for k in KEY)},
                open.version as open_version,
                -- a withdrawn figure that is published again goes on counting its versions
                coalesce(latest.last_version, 0) + 1 as next_version,
                {", ".join(f"now.{c}" for c in (*COMPARED, "provisional", "delivery_date"))},
                case
                    when open.version is null then 'new'
                    when now.indicator_id is null then 'withdrawn'
                    when {differs} then 'revised'
                end as change
            from now
            full outer join open using ({key})
            left join latest
                on {" and ".join(f"latest.{k} = coalesce(now.{k}, open.{k})" for k in KEY)}
        )
        select * from joined where change is not null
    """


def stage_revisions(
    conn: duckdb.DuckDBPyConnection, run_id: str, at: dt.datetime, source: str
) -> PendingChanges:
    """Write `publication.indicator_revisions` (every revision kept so far, and those this
    publication of `source` would make) for the release to publish; keeps no history."""
    ensure_history(conn)
    conn.execute(f"create or replace temp table pending_changes as {_changes_sql(source)}")
    run, when = literal(run_id), f"timestamp {literal(at.replace(tzinfo=None).isoformat())}"
    prev = ", ".join(f"previous.{c} as previous_{c}" for c in COMPARED)
    conn.execute(
        f"""
        create or replace table publication.{REVISIONS_TABLE} as
        with versions as (
            select * from {VERSIONS}
            union all
            -- this publication's new versions, as record_history will keep them
            select
                {", ".join(KEY)}, next_version as version,
                numerator, denominator, value, suppressed, status, provisional, delivery_date,
                {run} as valid_from_run, {when} as valid_from_at, null, null
            from pending_changes where change in ('new', 'revised')
        ),
        closed as (
            select {", ".join(KEY)}, version, valid_to_run, valid_to_at from {VERSIONS}
            where valid_to_run is not null
            union all
            select {", ".join(KEY)}, open_version, {run}, {when} from pending_changes
            where change in ('revised', 'withdrawn')
        ),
        changes as (
            select
                {", ".join(f"previous.{k}" for k in KEY)},
                previous.version + 1 as revision,
                case when following.version is null then 'withdrawn' else 'revised' end
                    as change,
                case
                    when following.delivery_date is distinct from previous.delivery_date
                        and following.version is not null then 'new_delivery'
                    when following.version is not null then 'recomputed'
                end as cause,
                {prev},
                previous.delivery_date as previous_delivery_date,
                previous.valid_from_run as previous_run_id,
                {", ".join(f"following.{c}" for c in COMPARED)},
                following.delivery_date,
                closed.valid_to_run as run_id,
                closed.valid_to_at as revised_at
            from closed
            inner join versions as previous using ({", ".join(KEY)}, version)
            left join versions as following
                on {" and ".join(f"following.{k} = previous.{k}" for k in KEY)}
                and following.version = previous.version + 1
                -- the successor of a withdrawn figure published again later is not a revision
                and following.valid_from_run = closed.valid_to_run
        )
        select
            changes.*,
            first.value as first_value,
            first.suppressed as first_suppressed,
            first.valid_from_run as first_run_id
        from changes
        inner join versions as first
            on {" and ".join(f"first.{k} = changes.{k}" for k in KEY)} and first.version = 1
        order by municipality_code, cutoff_date, indicator_id, revision
        """
    )
    conn.execute(f"comment on table publication.{REVISIONS_TABLE} is {literal(_TABLE_COMMENT)}")
    for column, comment in REVISION_COLUMNS.items():
        conn.execute(
            f"comment on column publication.{REVISIONS_TABLE}.{column} is {literal(comment)}"
        )
    counts = dict(
        conn.execute("select change, count(*) from pending_changes group by change").fetchall()
    )
    municipalities = [
        code
        for (code,) in conn.execute(
            "select distinct municipality_code from pending_changes "
            "where change <> 'new' order by 1"
        ).fetchall()
    ]
    return PendingChanges(
        new=int(counts.get("new", 0)),
        revised=int(counts.get("revised", 0)),
        withdrawn=int(counts.get("withdrawn", 0)),
        municipalities=tuple(municipalities),
    )


def drop_staged_revisions(conn: duckdb.DuckDBPyConnection) -> None:
    """An internal audit copy (no suppression) is compared with nothing and publishes none."""
    conn.execute(f"drop table if exists publication.{REVISIONS_TABLE}")


def record_history(
    conn: duckdb.DuckDBPyConnection, run_id: str, at: dt.datetime, source: str
) -> int:
    """After the swap: keep this publication's changes (the same comparison as
    stage_revisions; the warehouse pool keeps anything from writing `source` in between).
    One transaction: returns the versions added."""
    ensure_history(conn)
    when = at.replace(tzinfo=None)
    key = ", ".join(KEY)
    conn.execute("begin transaction")
    try:
        conn.execute(f"create or replace temp table pending_changes as {_changes_sql(source)}")
        conn.execute(
            f"""
            update {VERSIONS} as kept set valid_to_run = ?, valid_to_at = ?
            from pending_changes
            where {" and ".join(f"kept.{k} = pending_changes.{k}" for k in KEY)}
                and kept.version = pending_changes.open_version
                and pending_changes.change in ('revised', 'withdrawn')
            """,
            [run_id, when],
        )
        conn.execute(
            f"""
            insert into {VERSIONS}
            select
                {key}, next_version, numerator, denominator, value,
                suppressed, status, provisional, delivery_date, ?, ?, null, null
            from pending_changes where change in ('new', 'revised')
            """,
            [run_id, when],
        )
        added = scalar(
            conn, "select count(*) from pending_changes where change in ('new', 'revised')"
        )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return int(str(added))


def revised_figures(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The figures of the staged `indicator_revisions` that were revised at some point (and are
    still published), flagged `revised` for the report."""
    return conn.execute(
        f"select distinct {', '.join(KEY)}, true as revised from publication.{REVISIONS_TABLE} "
        "where change = 'revised'"
    ).df()
