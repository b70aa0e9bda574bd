"""dbt's landing sources (`_landing__sources.yml`, written by hand for their Danish and English
descriptions) name exactly the tables and columns the ingestion creates from the input
contract (sources/extracts/spec.py through landing/columns.py), in the same order."""

from __future__ import annotations

import duckdb
import yaml

from pipeline.landing.tables import SCHEMA, ensure_landing_schema
from pipeline.paths import DBT_PROJECT_DIR

SOURCES = DBT_PROJECT_DIR / "models" / "staging" / "landing" / "_landing__sources.yml"


def _documented() -> dict[str, list[dict[str, str]]]:
    (source,) = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"]
    assert source["schema"] == SCHEMA
    return {table["name"]: table["columns"] for table in source["tables"]}


def _created() -> dict[str, list[str]]:
    with duckdb.connect() as conn:
        ensure_landing_schema(conn)
        rows = conn.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = ? order by table_name, ordinal_position",
            [SCHEMA],
        ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def test_the_sources_name_every_landing_table_and_column_in_order():
    documented, created = _documented(), _created()
    assert len(created) >= 19  # 4 core files, 12 optional ones, quarantine, deliveries, files
    assert sorted(documented) == sorted(created)
    for table, columns in created.items():
        assert [c["name"] for c in documented[table]] == columns, table


def test_every_source_column_is_described():
    for table, columns in _documented().items():
        for column in columns:
            assert str(column.get("description") or "").strip(), f"{table}.{column['name']}"
