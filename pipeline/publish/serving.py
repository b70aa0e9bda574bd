"""The serving DuckDB file and the Parquet copies: what BI tools open.

The dbt publication layer (warehouse schema `publication`, models/publication) is the list of
what is published: every relation in it is copied, and nothing else, so publishing another
mart is one suppressed model in that folder. The copy is written into a new file attached to
the warehouse connection, with the table and column comments dbt persisted, then checkpointed
and detached (closed) before it is swapped in (release.py).

The file is written in an older storage format (SERVING_STORAGE_VERSION), not DuckDB 2.0's:
the DuckDB drivers that BI tools bundle (Metabase's, the ODBC driver, Superset's
duckdb-engine with whatever duckdb its environment has) are often 1.x, and a 1.x client
refuses a 2.0 file outright ("database file with version number 999"). The tables use no
type that the older format lacks; tests/e2e/test_publication.py opens the file with DuckDB 1.1.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.publish.db import PublicationError, literal, scalar
from pipeline.publish.record import RECORD_COLUMNS, PublicationRecord

PUBLICATION_SCHEMA = "publication"
SERVING_FILE = "noegletal.duckdb"
PARQUET_DIR = "parquet"
RECORD_TABLE = "publication"
# The oldest DuckDB release whose clients must open the serving file (README, "Opening it").
SERVING_STORAGE_VERSION = "v1.1.0"
# The order BI tools list them in; anything else in the publication layer follows by name.
PREFERRED_ORDER = (
    "indicator_values",
    "indicator_values_wide",
    "indicator_values_wide_columns",
    "indicator_revisions",
    "goal_attainment",
    "ladder_transitions",
    "placement_durations",
    "benchmark_placements",
    "reconciliation",
    "indicators",
    "municipalities",
)
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def published_relations(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The relations of the warehouse's publication layer, in publishing order."""
    names = [
        name
        for (name,) in conn.execute(
            "select table_name from duckdb_tables() where schema_name = ? "
            "union select view_name from duckdb_views() where schema_name = ?",
            [PUBLICATION_SCHEMA, PUBLICATION_SCHEMA],
        ).fetchall()
    ]
    for name in names:
        if not _IDENTIFIER.fullmatch(name) or name == RECORD_TABLE:
            raise PublicationError(f"unexpected relation {PUBLICATION_SCHEMA}.{name!r}")
    if "indicator_values" not in names:
        raise PublicationError(
            "the warehouse has no publication.indicator_values: the dbt publication layer was "
            "not built"
        )
    rank = {name: i for i, name in enumerate(PREFERRED_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def write_serving_database(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    relations: list[str],
    record: PublicationRecord,
) -> dict[str, int]:
    """Copy the publication layer into a new DuckDB file at `path` (which must not exist),
    with comments, plus the publication record. Returns rows per table."""
    if path.exists():
        raise PublicationError(f"{path} exists already")
    rows: dict[str, int] = {}
    conn.execute(
        f"attach {literal(str(path))} as staged "
        f"(storage_version {literal(SERVING_STORAGE_VERSION)})"
    )
    try:
        for name in relations:
            conn.execute(
                f'create table staged.main."{name}" as select * from {PUBLICATION_SCHEMA}."{name}"'
            )
            _copy_comments(conn, name)
            rows[name] = int(str(scalar(conn, f'select count(*) from staged.main."{name}"')))
        final = PublicationRecord(**{**record.__dict__, "tables": rows})
        _write_record(conn, "staged.main", final)
        # Everything on disk in the main file (no WAL beside it) before the file is closed.
        conn.execute("checkpoint staged")
    finally:
        conn.execute("detach staged")
    return rows


def _copy_comments(conn: duckdb.DuckDBPyConnection, name: str) -> None:
    table_comment = scalar(
        conn,
        "select comment from duckdb_tables() where schema_name = ? and table_name = ?",
        [PUBLICATION_SCHEMA, name],
    )
    if table_comment:
        conn.execute(f'comment on table staged.main."{name}" is {literal(str(table_comment))}')
    for column, comment in conn.execute(
        "select column_name, comment from duckdb_columns() "
        "where schema_name = ? and table_name = ? and comment is not null",
        [PUBLICATION_SCHEMA, name],
    ).fetchall():
        conn.execute(f'comment on column staged.main."{name}"."{column}" is {literal(comment)}')


def _write_record(conn: duckdb.DuckDBPyConnection, schema: str, record: PublicationRecord) -> None:
    frame = pd.DataFrame([record.as_row()])
    conn.register("publication_record", frame)
    try:
        conn.execute(f"create table {schema}.{RECORD_TABLE} as select * from publication_record")
    finally:
        conn.unregister("publication_record")
    conn.execute(
        f"comment on table {schema}.{RECORD_TABLE} is "
        + literal("Which run published these tables, when, from which inputs. One row.")
    )
    for column, comment in RECORD_COLUMNS.items():
        conn.execute(f"comment on column {schema}.{RECORD_TABLE}.{column} is {literal(comment)}")


def write_parquet(
    conn: duckdb.DuckDBPyConnection, folder: Path, relations: list[str], run_id: str
) -> list[Path]:
    """One Parquet file per published relation and one for the record, each carrying the run
    id in its key-value metadata (so a reader can tell the files belong together)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    options = (
        f"format parquet, compression zstd, kv_metadata {{noegletal_run_id: {literal(run_id)}}}"
    )
    for name in relations:
        path = folder / f"{name}.parquet"
        source = f'select * from {PUBLICATION_SCHEMA}."{name}"'
        conn.execute(f"copy ({source}) to {literal(str(path))} ({options})")
        written.append(path)
    return written


def write_record_parquet(serving_file: Path, folder: Path, record_run_id: str) -> Path:
    """The publication record as Parquet, read from the staged serving file."""
    path = folder / f"{RECORD_TABLE}.parquet"
    with duckdb.connect(str(serving_file), read_only=True) as conn:
        conn.execute(
            f"copy (select * from {RECORD_TABLE}) to {literal(str(path))} "
            f"(format parquet, kv_metadata {{noegletal_run_id: {literal(record_run_id)}}})"
        )
    return path
