"""The warehouse connection applies the configured DuckDB memory limit."""

import duckdb

from pipeline.resources import WarehouseResource


def test_the_warehouse_connection_has_the_configured_memory_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("NOEGLETAL_ENV", "demo")
    monkeypatch.setenv("NOEGLETAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOEGLETAL_DUCKDB_MEMORY_LIMIT", "1GB")
    with duckdb.connect(config={"memory_limit": "1GB"}) as plain:
        (expected,) = plain.execute("select current_setting('memory_limit')").fetchone()
    with WarehouseResource().get_connection() as conn:
        (limit,) = conn.execute("select current_setting('memory_limit')").fetchone()
    with duckdb.connect() as default:
        (unlimited,) = default.execute("select current_setting('memory_limit')").fetchone()
    assert limit == expected
    assert limit != unlimited  # DuckDB's own default is 80 % of the machine's memory
