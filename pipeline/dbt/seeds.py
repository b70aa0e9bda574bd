"""Whether a build needs to load the seeds again.

The seeds are the project's reference data: CSV files in the code checkout, the same for every
run of the same code. Loading them and running their 116 tests cost each national nightly build
about 4 s (benchmarks/README.md, item 29), and while the files are unchanged those tests cannot
find anything new. So a full build that succeeded records the key of the dbt project it loaded
the seeds from (`project_key`, every file dbt parses, with dbt's version) in the warehouse; the
next full build leaves the seeds and their tests out when that key is still the project's and
every seed table is there. The tests between a model and a seed still run (with
DBT_INDIRECT_SELECTION=buildable a test stays selected when its parents are selected or
upstream of what is), and the test suite runs every seed test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
from dagster_dbt.compat import DBT_PYTHON_VERSION

from pipeline.dbt.project import project_key

SCHEMA = "dbt_state"
TABLE = "loaded_seeds"
LOADED = f"{SCHEMA}.{TABLE}"
# dbt's selector syntax; dagster-dbt passes a runtime --exclude on to dbt with its own selection.
WITHOUT_SEEDS = ["--exclude", "resource_type:seed"]


def seeds_key() -> str:
    """The project's files and the dbt that loads them: a new dbt may type a column anew."""
    return f"{project_key()} dbt {DBT_PYTHON_VERSION}"


def seed_nodes(manifest: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "seed"]


def seed_tables(manifest: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(schema, table) of every seed in the manifest."""
    return {(node["schema"], node.get("alias") or node["name"]) for node in seed_nodes(manifest)}


def seeds_loaded(conn: duckdb.DuckDBPyConnection, key: str, tables: set[tuple[str, str]]) -> bool:
    """True when the last full build that succeeded loaded the seeds from `key` and every seed
    table is still in the warehouse."""
    present = {
        (str(schema), str(name))
        for schema, name in conn.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    if (SCHEMA, TABLE) not in present:
        return False
    row = conn.execute(f"select project_key from {LOADED}").fetchone()
    return row is not None and row[0] == key and tables <= present


def record_seeds_loaded(conn: duckdb.DuckDBPyConnection, key: str) -> None:
    """Called after a full build that loaded the seeds succeeded (one row: the latest)."""
    conn.execute(f"create schema if not exists {SCHEMA}")
    conn.execute(
        f"create table if not exists {LOADED} "
        "(project_key varchar not null, loaded_at timestamptz not null)"
    )
    conn.execute(f"delete from {LOADED}")
    conn.execute(f"insert into {LOADED} values (?, current_timestamp)", [key])
