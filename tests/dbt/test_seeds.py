"""When a build may leave the seeds out: the project it loaded them from is the one it runs
now, and every seed table is still there."""

import duckdb

from pipeline.dbt.seeds import LOADED, record_seeds_loaded, seed_tables, seeds_loaded

TABLES = {("reference", "units"), ("reference", "municipalities")}


def warehouse_with_seeds() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("create schema reference")
    conn.execute("create table reference.units (unit varchar)")
    conn.execute("create table reference.municipalities (code varchar)")
    return conn


def test_seeds_are_kept_only_after_a_build_recorded_the_same_project():
    conn = warehouse_with_seeds()
    # A warehouse no build has recorded: the seeds are loaded.
    assert not seeds_loaded(conn, "key-1", TABLES)
    record_seeds_loaded(conn, "key-1")
    assert seeds_loaded(conn, "key-1", TABLES)
    # The project (or dbt) changed since: loaded again.
    assert not seeds_loaded(conn, "key-2", TABLES)


def test_a_second_record_replaces_the_first():
    conn = warehouse_with_seeds()
    record_seeds_loaded(conn, "key-1")
    record_seeds_loaded(conn, "key-2")
    assert conn.execute(f"select project_key from {LOADED}").fetchall() == [("key-2",)]
    assert not seeds_loaded(conn, "key-1", TABLES)


def test_a_missing_seed_table_loads_the_seeds_again():
    conn = warehouse_with_seeds()
    record_seeds_loaded(conn, "key-1")
    conn.execute("drop table reference.units")
    assert not seeds_loaded(conn, "key-1", TABLES)


def test_the_seed_tables_are_read_from_the_manifest_under_their_alias():
    manifest = {
        "nodes": {
            "seed.p.units": {"resource_type": "seed", "schema": "reference", "name": "units"},
            "seed.p.kommuner": {
                "resource_type": "seed",
                "schema": "reference",
                "name": "kommuner",
                "alias": "municipalities",
            },
            "model.p.x": {"resource_type": "model", "schema": "marts", "name": "x"},
        }
    }
    assert seed_tables(manifest) == TABLES
