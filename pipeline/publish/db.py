"""Small DuckDB helpers of the publication step."""

from __future__ import annotations

import duckdb


class PublicationError(RuntimeError):
    """The release cannot be published; the previous publication stays."""


def literal(text: str) -> str:
    """A SQL string literal, for statements that take no parameters (ATTACH, COMMENT, COPY)."""
    return "'" + text.replace("'", "''") + "'"


def scalar(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> object:
    """The first value of a query's first row (None for no row). It fetches every row, so the
    connection has no unfinished result left (DuckDB refuses further work until then)."""
    rows = conn.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None
